import assert from "node:assert/strict";
import { isLocalCall, localSend } from "../http/local.ts";
import { serve } from "../http/serve.ts";
import { tracedFetch } from "../kernel/telemetry/http.ts";

/**
 * Answers the caller's port as the app saw it and whether the request is marked as a call
 * from this process (the clock middleware skips its read for those); `/slow` never answers.
 */
const app = {
  fetch: (request: Request, info: Deno.ServeHandlerInfo) =>
    new URL(request.url).pathname === "/slow" ? new Promise<Response>(() => {}) : Response.json({
      port: (info.remoteAddr as Deno.NetAddr).port,
      local: isLocalCall(request),
    }),
};

Deno.test("a service this process serves is called without a socket, over HTTP otherwise", async () => {
  const served = serve(app, "127.0.0.1", 0);
  try {
    const send = localSend(new URL(served.url));
    assert.ok(send, "listed for this process's clients");
    const local = await tracedFetch(`${served.url}/who`, {}, { service: "test", send });
    assert.deepEqual(await local.json(), { port: 0, local: true }, "answered in process");
    const remote = await (await fetch(`${served.url}/who`)).json();
    assert.notEqual(remote.port, 0, "the network path still serves it");
    assert.equal(remote.local, false, "a request from the network is never taken as local");
    assert.equal(localSend(new URL(`http://127.0.0.1:${served.port + 1}/`)), undefined);
    assert.equal(localSend(new URL(`http://example.com:${served.port}/`)), undefined);
    // The client's timeout still ends the wait.
    await assert.rejects(
      tracedFetch(`${served.url}/slow`, { signal: AbortSignal.timeout(50) }, {
        service: "test",
        send,
      }),
      (e: unknown) => e instanceof DOMException && e.name === "TimeoutError",
    );
  } finally {
    await served.shutdown();
  }
  assert.equal(localSend(new URL(served.url)), undefined, "unlisted once shut down");
});
