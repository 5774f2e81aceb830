/**
 * The portal's live feed: a signed-in customer's event stream carries fresh views of their
 * own lines only, as the events happen, and a reconnect with `Last-Event-ID` replays what
 * it missed. Run brokerless (the log tail), and with RabbitMQ (the portal's own queue on
 * `bss.events`; ignored without BSS_RABBITMQ_URL).
 */
import assert from "node:assert/strict";
import { recordUsageRoute } from "../http/mediation/usage.ts";
import { stageEvent, writeEvents } from "../kernel/events.ts";
import { configureLog } from "../kernel/log.ts";
import { type LiveEvent, liveFeed } from "../portal/live.ts";
import { BROKER_URL, leaseBroker } from "./support/broker.ts";
import { freshDatabase } from "./support/db.ts";
import { customerWithLine, Visitor } from "./support/portal.ts";
import { startSystem, type TestSystem, until } from "./support/system.ts";

const logs: { msg: string; source?: string }[] = [];
configureLog("info", (line) => logs.push(JSON.parse(line)));

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

/** Records 100 MB of data on `msisdn`. */
function useData(system: TestSystem, msisdn: string) {
  return system.client.mediation.call(recordUsageRoute, {
    body: {
      msisdn,
      eventType: "data",
      quantity: 100,
      unit: "mb",
      eventTime: new Date().toISOString(),
    },
  });
}

/** A line view frame showing 100 MB of data used. */
function used(f: Frame): boolean {
  const data = JSON.parse(f.data).bars?.find((x: { type: string }) => x.type === "data");
  return f.event === "line" && data.total - data.remaining === 100;
}

/** Signs `email` in and opens their event stream. */
async function streamOf(system: TestSystem, mailbox: string, email: string) {
  const v = new Visitor(system.portalUrl, mailbox);
  await v.signIn(email);
  const cookie = [...v.cookies].map(([k, x]) => `${k}=${x}`).join("; ");
  const response = await fetch(`${system.portalUrl}/events`, {
    headers: { cookie },
    signal: AbortSignal.timeout(60_000),
  });
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  const live = sse(response);
  await live.until((f) => f.some((x) => x.event === "ready"));
  return { cookie, live };
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
      const { cookie, live } = await streamOf(system, mailbox, "ann@example.com");
      await useData(system, b.msisdn);
      await useData(system, a.msisdn);
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

Deno.test({
  name: "portal live with RabbitMQ: the broker feeds each customer's stream their own events",
  ignore: !BROKER_URL,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const release = await leaseBroker("shared");
    const dir = await Deno.makeTempDir({ prefix: "bss_portal_live_mq_" });
    const mailbox = `${dir}/mailbox.jsonl`;
    const system = await startSystem("portal_live_mq", {
      BSS_PORTAL_DEV_MAILBOX_PATH: mailbox,
      BSS_RABBITMQ_URL: BROKER_URL!,
    });
    try {
      // The broker feeds the portal: the log tail stands down once its queue is consumed.
      await until(
        () => Promise.resolve(logs.some((l) => l.msg === "portal.live.source")),
        (up) => up,
        "the portal's broker queue",
      );
      const a = await customerWithLine(system.client, "ann@example.com");
      const b = await customerWithLine(system.client, "ben@example.com");
      const ann = await streamOf(system, mailbox, "ann@example.com");
      const ben = await streamOf(system, mailbox, "ben@example.com");
      await useData(system, b.msisdn);
      await useData(system, a.msisdn);
      const annSaw = (await ann.live.until((f) => f.some(used))).filter((f) => f.event === "line");
      const benSaw = (await ben.live.until((f) => f.some(used))).filter((f) => f.event === "line");
      await ann.live.close();
      await ben.live.close();
      assert.ok(annSaw.every((f) => JSON.parse(f.data).id === a.subscriptionId), "only hers");
      assert.ok(benSaw.every((f) => JSON.parse(f.data).id === b.subscriptionId), "only his");
      assert.ok(
        !logs.some((l) => l.msg === "portal.live.broker_down"),
        "the broker fed the streams throughout, the log tail never took over",
      );
    } finally {
      await system.stop();
      await release();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "portal live with the broker unreachable: the log tail feeds the subscribers",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("portal_live_down");
    // Nothing listens on port 1: the connection keeps failing and retrying meanwhile.
    const feed = liveFeed(db.sql, { brokerUrl: "amqp://guest:guest@127.0.0.1:1" });
    try {
      const got: LiveEvent[] = [];
      feed.subscribe(new Set(["SUB-mine"]), (e) => got.push(e));
      const event = (aggregateId: string) =>
        stageEvent({
          type: "usage.rated",
          aggregateType: "subscription",
          aggregateId,
          payload: { subscriptionId: aggregateId },
        });
      await until(
        async () => {
          await writeEvents(db.sql, [event("SUB-other"), event("SUB-mine")]);
          return got;
        },
        (g) => g.length > 0,
        "an event through the log tail",
      );
      assert.ok(got.every((e) => e.keys.includes("SUB-mine")), "only the subscriber's own");
      const mine = await db.sql<{ id: number }[]>`
        select id from audit.domain_event where aggregate_id = 'SUB-mine'`;
      const ids = new Set(mine.map((r) => r.id));
      assert.ok(got.every((e) => ids.has(e.id)), "ids are the log's");
    } finally {
      feed.stop();
      await db.drop();
    }
  },
});
