/**
 * The bad-input corpus against every write route of every service, served as `deno task
 * start` serves them: deep nesting, NUL, lone surrogates, 10 MB, a wrong content type,
 * invalid UTF-8 (each refused at the edge with its own code on routes that take a body),
 * SQL-injection strings, huge numbers, negative amounts and unknown enums in every field.
 * Zero 5xx; and nothing a refused request carried is stored (a full pg_dump holds none of
 * its markers, nor a U+FFFD replacement character).
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/seed.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import { clock } from "../kernel/clock.ts";
import { type RoleName, ROLES } from "../http/roles.ts";
import { fillPath } from "../http/route.ts";
import { startRoles } from "../http/start.ts";
import { freshDatabase } from "./support/db.ts";
import { bodyKeys } from "./support/fuzz.ts";
import { freePortOffset, testConfig, TOKEN } from "./support/http.ts";

const MARK = "GARBAGE-MARKER";
const TEN_MB = new TextEncoder().encode(JSON.stringify({ name: "x".repeat(10 * 1024 * 1024) }));

/** One request of the corpus: its body and type, and the edge's answer when it is refused. */
interface Probe {
  name: string;
  body: (keys: string[]) => BodyInit;
  type?: string;
  /** Status and code for a route that takes a body; else only "no 5xx". */
  refused?: [number, string];
}

const everyKey = (keys: string[], value: unknown) =>
  JSON.stringify(Object.fromEntries((keys.length ? keys : ["x"]).map((k) => [k, value])));
const firstKey = (keys: string[]) => keys[0] ?? "x";

const CORPUS: Probe[] = [
  {
    name: "deep nesting",
    body: () => `{"note":"${MARK}","x":${"[".repeat(20_000)}${"]".repeat(20_000)}}`,
    refused: [400, "TOO_DEEP"],
  },
  {
    name: "NUL",
    body: (keys) => JSON.stringify({ [firstKey(keys)]: `${MARK}\u0000` }),
    refused: [400, "INVALID_TEXT"],
  },
  {
    name: "lone surrogate",
    body: (keys) => `{"${firstKey(keys)}":"${MARK}\\ud800"}`,
    refused: [400, "INVALID_TEXT"],
  },
  { name: "10 MB", body: () => TEN_MB, refused: [413, "PAYLOAD_TOO_LARGE"] },
  {
    name: "wrong content type",
    body: (keys) => everyKey(keys, MARK),
    type: "text/plain",
    refused: [415, "UNSUPPORTED_MEDIA_TYPE"],
  },
  {
    name: "invalid UTF-8",
    body: (keys) =>
      new Uint8Array([
        ...new TextEncoder().encode(`{"${firstKey(keys)}":"${MARK}`),
        0xc3,
        0x28,
        0x22,
        0x7d,
      ]),
    refused: [400, "INVALID_UTF8"],
  },
  { name: "SQL injection", body: (keys) => everyKey(keys, "x'); drop table crm.customer; --") },
  { name: "huge number", body: (keys) => everyKey(keys, 0).replaceAll(":0", ":1e400") },
  {
    name: "unsafe integer",
    body: (keys) => everyKey(keys, 0).replaceAll(":0", ":9007199254740993"),
  },
  { name: "negative amount", body: (keys) => everyKey(keys, -1) },
  { name: "negative money string", body: (keys) => everyKey(keys, "-5.00") },
  { name: "unknown enum", body: (keys) => everyKey(keys, "NOT_A_KNOWN_VALUE") },
];

Deno.test({
  name: "the bad-input corpus against every write route: zero 5xx, nothing refused is stored",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("bad_input");
    await clock.refresh(db.sql);
    await seedReferenceData(db.sql);
    const config = testConfig({ BSS_PORT_OFFSET: String(freePortOffset()) });
    const roles = Object.keys(ROLES) as RoleName[];
    const running = await startRoles(config, db.sql, roles);
    const deps = { config, sql: db.sql, system: new ActorSystem(db.sql) };
    const failures: string[] = [];
    let sent = 0;
    let edgeChecked = 0;
    try {
      for (const role of roles) {
        const routes = ROLES[role].endpoints(deps).map((e) => e.route)
          .filter((r) => r.method !== "GET");
        for (const route of routes) {
          const keys = bodyKeys(route.body);
          const path = fillPath(route.path, () => "CUST-00000000");
          for (const probe of CORPUS) {
            const r = await fetch(`${running.urls[role]}${path}`, {
              method: route.method,
              headers: {
                "x-bss-api-token": TOKEN,
                "content-type": probe.type ?? "application/json",
              },
              body: probe.body(keys),
            });
            const text = await r.text();
            sent++;
            const where = `${probe.name}: ${route.method} ${route.path}`;
            if (r.status >= 500) failures.push(`${where} → ${r.status} ${text.slice(0, 120)}`);
            if (route.body && probe.refused) {
              edgeChecked++;
              const code = text.startsWith("{") ? JSON.parse(text).code : text;
              if (r.status !== probe.refused[0] || code !== probe.refused[1]) {
                failures.push(`${where} → ${r.status} ${code}, not ${probe.refused.join(" ")}`);
              }
            }
          }
        }
      }
      assert.ok(sent > 500, `sent ${sent}`);
      assert.ok(edgeChecked > 200, `checked ${edgeChecked} edge refusals`);
      assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
      const dump = await new Deno.Command("pg_dump", { args: ["--data-only", db.url] }).output();
      assert.equal(dump.code, 0);
      const text = new TextDecoder().decode(dump.stdout);
      assert.ok(!text.includes(MARK), "a refused request's content was stored");
      assert.ok(!text.includes("\ufffd"), "a replacement character was stored");
      const [{ n }] = await db.sql`select count(*)::int as n from crm.customer`;
      assert.equal(typeof n, "number", "crm.customer is still there");
    } finally {
      await running.stop();
      await db.drop();
    }
  },
});
