/**
 * `deno task bench portal [--seconds 5] [--concurrency 16] [--events 40] [--broker]`: the
 * self-serve portal of `main.ts` (its own process) under load; with `--broker` the system uses
 * the RabbitMQ of `BSS_RABBITMQ_URL`, so events reach the portal's feed through its queue.
 *
 * - TTFB: signed-in customers with 3 lines each load their account page (`GET /`, every
 *   line read through the self-serve tools) with `--concurrency` requests in flight; the
 *   time to the response headers, p50/p99.
 * - event → SSE: a customer's account stream is open; usage is recorded for one of their
 *   lines; the time until the stream delivers the line with its new balance, p50/p99. This
 *   spans mediation, rating and the line applying the usage as well as the portal's feed.
 * - island JS: the gzipped bytes of the island bundles the account page links.
 *
 * The load generator shares the 2-core machine with the server: figures include that.
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import { recordUsageRoute } from "../http/mediation/usage.ts";
import { getSubscription } from "../http/subscription/routes.ts";
import type { Client } from "../http/client.ts";
import { processEnv } from "../kernel/config.ts";
import { PORTAL_PORT } from "../portal/settings.ts";
import { Visitor } from "../tests/support/portal.ts";
import { until } from "../tests/support/system.ts";
import { order, signupCustomer } from "../tests/support/signup.ts";
import { openBenchDatabase } from "./lib/database.ts";
import { pool, runSystem } from "./lib/running.ts";
import { fmt, percentile, wallMs } from "./lib/stats.ts";
import { table } from "./lib/table.ts";
import { benchArgs } from "./lib/args.ts";

const LINES = 3;

/** A signed-in customer with `LINES` active lines. */
async function customer(client: Record<string, Client>, base: string, mailbox: string, i: number) {
  const email = `bench${i}@example.com`;
  const customerId = await signupCustomer(client, undefined, email);
  const subs: string[] = [];
  for (let n = 0; n < LINES; n++) {
    const placed = await order(client, customerId, "PLAN_M");
    subs.push(placed.productOrderItem[0].targetSubscriptionId!);
  }
  const visitor = new Visitor(base, mailbox);
  await visitor.signIn(email);
  const cookie = [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return { cookie, subs };
}

/** Milliseconds to the first byte of `GET /` as `cookie`. */
async function ttfb(base: string, cookie: string): Promise<number> {
  const t = wallMs();
  const r = await fetch(`${base}/`, { headers: { cookie } });
  const ms = wallMs() - t;
  if (r.status !== 200) throw new Error(`GET / answered ${r.status}`);
  await r.arrayBuffer();
  return ms;
}

/** Opens the account stream; resolves each `line` frame of `sub` to the waiting reader. */
async function stream(base: string, cookie: string) {
  const r = await fetch(`${base}/events`, { headers: { cookie } });
  const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const waiters: Array<(data: string) => void> = [];
  const ready = Promise.withResolvers<void>();
  (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.includes("event: ready")) ready.resolve();
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (block.includes("event: line") && data) waiters.shift()?.(data);
      }
    }
  })().catch(() => {});
  await ready.promise;
  return {
    next: () => new Promise<string>((resolve) => waiters.push(resolve)),
    close: () => reader.cancel(),
  };
}

/** Runs the bench. */
export async function main(args: string[]): Promise<void> {
  const { values, count, refuse } = benchArgs(
    "deno task bench portal [--seconds 5] [--concurrency 16] [--events 40] [--broker]",
    args,
    {
      seconds: { type: "string", default: "5" },
      concurrency: { type: "string", default: "16" },
      events: { type: "string", default: "40" },
      broker: { type: "boolean", default: false },
    },
  );
  const seconds = count("seconds");
  const concurrency = count("concurrency");
  const events = count("events");
  const brokerUrl = processEnv().BSS_RABBITMQ_URL;
  if (values.broker && !brokerUrl) refuse("--broker needs BSS_RABBITMQ_URL");
  const db = await openBenchDatabase("portal");
  const dir = await Deno.makeTempDir({ prefix: "bss_bench_portal_" });
  const mailbox = `${dir}/mailbox.jsonl`;
  const system = await runSystem(db.url, {
    BSS_PORTAL_TOKEN_PEPPER: `bench-pepper-${crypto.randomUUID()}`,
    BSS_PORTAL_SELF_SERVE_API_TOKEN: `bench-portal-${crypto.randomUUID()}`,
    BSS_PORTAL_DEV_MAILBOX_PATH: mailbox,
    BSS_DATA_DIR: dir,
    BSS_PORTAL_LOGIN_PER_IP_MAX: "100000",
    BSS_PROVISIONING_DELAY_SCALE: "0",
    // A model configured, as where the chat is offered: its widget counts in the island bytes.
    BSS_LLM_FIXTURE_PATH: new URL("../scenarios/fixtures/agent.json", import.meta.url).pathname,
    ...(values.broker ? { BSS_RABBITMQ_URL: brokerUrl! } : {}),
  });
  try {
    const base = `http://127.0.0.1:${PORTAL_PORT + system.offset}`;
    await until(
      () => fetch(`${base}/health`).then((r) => r.body?.cancel().then(() => r.ok), () => false),
      (ok) => ok === true,
      "the portal to answer",
    );
    const customers = await pool(
      concurrency,
      4,
      (i) => customer(system.client as Record<string, Client>, base, mailbox, i),
    );
    console.error(`[portal] ${db.description}; ${customers.length} customers × ${LINES} lines`);

    // Island JS shipped with the account page.
    const home = await (await fetch(`${base}/`, { headers: { cookie: customers[0].cookie } }))
      .text();
    let islandBytes = 0;
    const seen = new Set<string>();
    const queue = [...home.matchAll(/src="(\/static\/islands\/[^"]+)"/g)].map((m) => m[1]);
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const js = new Uint8Array(await (await fetch(`${base}${path}`)).arrayBuffer());
      islandBytes += gzipSync(js).length;
      const text = new TextDecoder().decode(js);
      for (const m of text.matchAll(/from"\.\/([^"]+\.js)"/g)) {
        queue.push(`/static/islands/${m[1]}`);
      }
    }

    // TTFB, closed loop.
    const latencies: number[] = [];
    const warm = wallMs() + 1000;
    await Promise.all(customers.map(async (c) => {
      while (wallMs() < warm) await ttfb(base, c.cookie);
    }));
    const end = wallMs() + seconds * 1000;
    await Promise.all(customers.map(async (c) => {
      while (wallMs() < end) latencies.push(await ttfb(base, c.cookie));
    }));

    // Event → SSE, one at a time.
    const delivery: number[] = [];
    const watched = customers.slice(0, 3);
    const streams = await Promise.all(watched.map((c) => stream(base, c.cookie)));
    for (let i = 0; i < events; i++) {
      const k = i % watched.length;
      const sub = watched[k].subs[i % LINES];
      const line = await system.client.subscription.call(getSubscription, { params: { id: sub } });
      const arrived = streams[k].next();
      const t = wallMs();
      await system.client.mediation.call(recordUsageRoute, {
        body: {
          msisdn: line.msisdn,
          eventType: "data",
          quantity: 1,
          unit: "mb",
          eventTime: new Date().toISOString(),
        },
      });
      await arrived;
      delivery.push(wallMs() - t);
    }
    await Promise.all(streams.map((s) => s.close()));

    console.log(table(["measure", "samples", "p50 ms", "p99 ms"], [
      [
        "TTFB GET / (3 lines)",
        fmt(latencies.length),
        fmt(percentile(latencies, 50), 2),
        fmt(percentile(latencies, 99), 2),
      ],
      [
        "usage → SSE line",
        fmt(delivery.length),
        fmt(percentile(delivery, 50), 2),
        fmt(percentile(delivery, 99), 2),
      ],
    ]));
    console.log(JSON.stringify({
      concurrency,
      ttfb_samples: latencies.length,
      ttfb_p50_ms: +percentile(latencies, 50).toFixed(2),
      ttfb_p99_ms: +percentile(latencies, 99).toFixed(2),
      usage_to_sse_p50_ms: +percentile(delivery, 50).toFixed(2),
      usage_to_sse_p99_ms: +percentile(delivery, 99).toFixed(2),
      island_js_gzip_bytes: islandBytes,
    }));
  } finally {
    await system.stop();
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
}
