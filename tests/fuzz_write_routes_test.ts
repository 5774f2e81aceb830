/**
 * Bad input never yields a 5xx: random, schema-shaped-but-wrong and malformed bodies against
 * every POST/PATCH/PUT/DELETE of the built services, served as `deno task start` serves them.
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/seed.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import { clock } from "../kernel/clock.ts";
import { type RoleName, ROLES } from "../http/roles.ts";
import { startRoles } from "../http/start.ts";
import { freshDatabase } from "./support/db.ts";
import { bodyKeys, prng, randomBody } from "./support/fuzz.ts";
import { freePortOffset, testConfig, TOKEN } from "./support/http.ts";

const ROLES_UNDER_TEST = Object.keys(ROLES) as RoleName[];
const PER_ROUTE = 25;
// Path ids: unknown, seeded, and hostile.
const IDS = ["nope", "PLAN_S", "90000001", "CUST-00000000", "%20", "x".repeat(300), "1"];

Deno.test({
  name: "random and malformed bodies against every write route never produce a 5xx",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const seed = Date.now() % 1_000_000;
    console.log(`fuzz seed ${seed}`);
    const rand = prng(seed);
    const db = await freshDatabase("fuzz");
    await clock.refresh(db.sql);
    await seedReferenceData(db.sql);
    const config = testConfig({ BSS_PORT_OFFSET: String(freePortOffset()) });
    const running = await startRoles(config, db.sql, ROLES_UNDER_TEST);
    const deps = { config, sql: db.sql, system: new ActorSystem(db.sql) };
    const failures: string[] = [];
    let sent = 0;
    try {
      for (const role of ROLES_UNDER_TEST) {
        const routes = ROLES[role].endpoints(deps).map((e) => e.route)
          .filter((r) => r.method !== "GET");
        for (const route of routes) {
          const keys = bodyKeys(route.body);
          for (let i = 0; i < PER_ROUTE; i++) {
            const path = route.path.replace(
              /:(\w+)(\{[^}]*\})?/g,
              () => encodeURIComponent(IDS[Math.floor(rand() * IDS.length)]),
            );
            const body = randomBody(rand, keys);
            const r = await fetch(`${running.urls[role]}${path}`, {
              method: route.method,
              headers: {
                "x-bss-api-token": TOKEN,
                "x-bss-actor": "fuzz",
                "content-type": "application/json",
              },
              body: route.method === "DELETE" && rand() < 0.5 ? undefined : body,
            });
            await r.body?.cancel();
            sent++;
            if (r.status >= 500) failures.push(`${r.status} ${route.method} ${path} ${body}`);
          }
        }
      }
      console.log(`fuzz: ${sent} requests`);
      assert.ok(sent > 100, `sent ${sent} requests`);
      assert.deepEqual(failures.slice(0, 10), [], `seed ${seed}: ${failures.length} 5xx`);
    } finally {
      await running.stop();
      await db.drop();
    }
  },
});
