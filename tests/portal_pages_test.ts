/**
 * The self-serve portal as `deno task start` runs it: a role on 9001 (+ offset) beside the
 * services, its public pages rendered on the server with the brand from config, its static
 * files content-hashed, an unknown address its own 404 page, and a role that cannot run (no
 * pepper) refused with its reason; with its services down a page answers 503.
 */
import assert from "node:assert/strict";
import { selectRoles } from "../http/roles.ts";
import { startRoles } from "../http/start.ts";
import { freshDatabase } from "./support/db.ts";
import { freePortOffset, testConfig } from "./support/http.ts";
import { startSystem } from "./support/system.ts";

Deno.test({
  name: "portal: health, welcome and plans from the catalog, with the brand from config",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const system = await startSystem("portal_pages", { BSS_OPERATOR_NAME: "Kopi Mobile" });
    try {
      const base = system.portalUrl;
      const health = await (await fetch(`${base}/health`)).json();
      assert.deepEqual(health, { status: "ok", service: "portal-self-serve", version: "0.1.0" });

      const welcome = await fetch(`${base}/welcome`);
      const html = await welcome.text();
      assert.equal(welcome.status, 200);
      assert.match(html, /<html lang="en">/);
      assert.match(html, /Kopi Mobile/);
      assert.equal(welcome.headers.get("x-frame-options"), "DENY");

      const plans = await (await fetch(`${base}/plans`)).text();
      const order = [...plans.matchAll(/data-plan="(PLAN_\w)"/g)].map((m) => m[1]);
      assert.deepEqual(order, ["PLAN_S", "PLAN_M", "PLAN_L"]);
      // A visitor reads what a plan lacks in words, not as a dash.
      assert.match(plans, /data-plan="PLAN_S"[\s\S]*?Roaming: Not included/);
      assert.match(plans, /href="\/auth\/login\?next=%2Fsignup%2FPLAN_S%2Fmsisdn"/);

      const css = /href="(\/static\/portal-[0-9a-f]{12}\.css)"/.exec(plans)?.[1];
      assert.ok(css, "the stylesheet is content-hashed");
      const sheet = await fetch(`${base}${css}`);
      assert.match(sheet.headers.get("cache-control") ?? "", /immutable/);
      await sheet.body?.cancel();

      // A mistyped address gets the portal's own page, with a way back, not a bare "404".
      const lost = await fetch(`${base}/no-such-page`);
      assert.equal(lost.status, 404);
      const lostHtml = await lost.text();
      assert.match(lostHtml, /<h1>Not found<\/h1>/);
      assert.match(lostHtml, /Kopi Mobile/);
      assert.match(lostHtml, /href="\/plans"/);
    } finally {
      await system.stop();
    }
  },
});

Deno.test({
  name: "portal: with the services it calls down, a page answers 503 and asks to retry",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("portal_alone");
    const config = testConfig({ BSS_PORT_OFFSET: String(freePortOffset()) });
    const roles = await startRoles(config, db.sql, selectRoles("portal-self-serve"));
    try {
      const plans = await fetch(`${roles.urls["portal-self-serve"]}/plans`);
      assert.equal(plans.status, 503);
      assert.equal(plans.headers.get("retry-after"), "5");
      assert.match(await plans.text(), /Please try again in a moment\./);
    } finally {
      await roles.stop();
      await db.drop();
    }
  },
});

Deno.test({
  name: "portal: a named portal role without a usable pepper refuses to start, saying why",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("portal_pepper");
    try {
      for (const pepper of ["", "changeme", "short-pepper"]) {
        const config = testConfig({
          BSS_PORT_OFFSET: String(freePortOffset()),
          BSS_PORTAL_TOKEN_PEPPER: pepper,
        });
        await assert.rejects(
          startRoles(config, db.sql, selectRoles("portal-self-serve")),
          /BSS_PORTAL_TOKEN_PEPPER/,
        );
      }
    } finally {
      await db.drop();
    }
  },
});
