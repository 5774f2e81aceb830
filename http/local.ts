/**
 * Calls between services of one process skip the socket: an app this process serves on a
 * loopback port is called through its `fetch` directly. The request still passes the app's
 * whole perimeter (token, scopes, input validation, server span), so a call answers exactly
 * as it would over TCP; what it saves is the loopback TCP round, the HTTP encoding and
 * parsing on both ends, and their syscalls. A service in another process (split roles,
 * replicas) is called over HTTP as before.
 *
 * @module
 */
import type { Fetcher } from "./serve.ts";

/** The apps this process serves, by port (they listen on loopback or on every address). */
const served = new Map<number, Fetcher>();

/** The requests sent through {@link localSend}: only this module can mark one. */
const local = new WeakSet<Request>();

/**
 * Whether `request` came from this process through {@link localSend}: its caller (a request
 * or a drain batch, which read the shared clock when they began, or an effect, whose process
 * follows the clock's changes) already works on this process's clock.
 */
export function isLocalCall(request: Request): boolean {
  return local.has(request);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** What the app sees of the caller: this process, on loopback. */
const LOCAL_INFO: Deno.ServeHandlerInfo = {
  remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 0 },
  completed: Promise.resolve(),
};

/** Records that this process serves `app` on `port` until the returned function is called. */
export function serveLocally(port: number, app: Fetcher): () => void {
  served.set(port, app);
  return () => {
    if (served.get(port) === app) served.delete(port);
  };
}

/** Which apps answer on `hostname`: only loopback and every-address listeners count. */
export function isLocalHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || hostname === "0.0.0.0" || hostname === "::";
}

/**
 * How to send a request to `url`: straight to the app when this process serves it on that
 * loopback port, else `undefined` (use the network). The request's abort signal (the
 * client's timeout) still ends the wait.
 */
export function localSend(url: URL): ((request: Request) => Promise<Response>) | undefined {
  if (!LOOPBACK.has(url.hostname)) return undefined;
  const app = served.get(Number(url.port || 80));
  if (!app) return undefined;
  return (request) =>
    new Promise<Response>((resolve, reject) => {
      const { signal } = request;
      if (signal.aborted) return reject(signal.reason);
      local.add(request);
      const abort = () => reject(signal.reason);
      signal.addEventListener("abort", abort, { once: true });
      Promise.resolve(app.fetch(request, LOCAL_INFO)).then(resolve, reject).finally(() =>
        signal.removeEventListener("abort", abort)
      );
    });
}
