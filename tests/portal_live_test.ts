/**
 * The portal's live feed: a signed-in customer's event stream carries fresh views of their
 * own lines only, as the events happen, and a reconnect with `Last-Event-ID` replays what
 * it missed.
 */
import assert from "node:assert/strict";
import { recordUsageRoute } from "../http/mediation/usage.ts";
import { customerWithLine, Visitor } from "./support/portal.ts";
import { startSystem } from "./support/system.ts";

type Frame = { event: string; id?: string; data: string };

/** An SSE response read frame by frame. */
function sse(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const seen: Frame[] = [];
  return {
    /** Reads until `done(frames so far)`; returns every frame so far. */
    async until(done: (f: Frame[]) => boolean): Promise<Frame[]> {
      while (!done(seen)) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const fields = Object.fromEntries(
            [...buffer.slice(0, cut).matchAll(/^(\w+): ?(.*)$/gm)].map((m) => [m[1], m[2]]),
          );
          buffer = buffer.slice(cut + 2);
          if (fields.data !== undefined) {
            seen.push({ event: fields.event ?? "message", id: fields.id, data: fields.data });
          }
        }
      }
      return seen;
    },
    close: () => reader.cancel(),
  };
}

Deno.test({
  name: "portal live: a customer's stream carries only their own lines, and Last-Event-ID " +
    "replays what a reconnect missed",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bss_portal_live_" });
    const mailbox = `${dir}/mailbox.jsonl`;
    const system = await startSystem("portal_live", { BSS_PORTAL_DEV_MAILBOX_PATH: mailbox });
    try {
      const a = await customerWithLine(system.client, "ann@example.com");
      const b = await customerWithLine(system.client, "ben@example.com");
      const v = new Visitor(system.portalUrl, mailbox);
      await v.signIn("ann@example.com");
      const cookie = [...v.cookies].map(([k, x]) => `${k}=${x}`).join("; ");
      const stream = await fetch(`${system.portalUrl}/events`, {
        headers: { cookie },
        signal: AbortSignal.timeout(60_000),
      });
      assert.equal(stream.headers.get("content-type"), "text/event-stream");
      const use = (msisdn: string) =>
        system.client.mediation.call(recordUsageRoute, {
          body: {
            msisdn,
            eventType: "data",
            quantity: 100,
            unit: "mb",
            eventTime: new Date().toISOString(),
          },
        });
      const live = sse(stream);
      await live.until((f) => f.some((x) => x.event === "ready"));
      await use(b.msisdn);
      await use(a.msisdn);
      const used = (f: Frame) => {
        const data = JSON.parse(f.data).bars?.find((x: { type: string }) => x.type === "data");
        return f.event === "line" && data.total - data.remaining === 100;
      };
      const seen = (await live.until((f) => f.some(used))).filter((f) => f.event === "line");
      await live.close();
      const views = seen.map((f) => JSON.parse(f.data));
      assert.ok(views.every((x) => x.id === a.subscriptionId), "only her own line");

      // Reconnect from before her usage: it is replayed.
      const lastId = Number(seen[0].id) - 1;
      const again = await fetch(`${system.portalUrl}/events`, {
        headers: { cookie, "last-event-id": String(lastId) },
        signal: AbortSignal.timeout(60_000),
      });
      const replay = sse(again);
      const replayed = await replay.until((f) => f.some((x) => x.event === "line"));
      await replay.close();
      const line = replayed.find((f) => f.event === "line")!;
      assert.equal(JSON.parse(line.data).id, a.subscriptionId);
      assert.ok(Number(line.id) > lastId);
    } finally {
      await system.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
