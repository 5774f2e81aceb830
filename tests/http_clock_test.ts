/**
 * The clock routes: reading is free; freeze, unfreeze, advance and reset only with
 * BSS_ALLOW_ADMIN_RESET (else 403 ADMIN_CLOCK_DISABLED); bad input is 422 INVALID_AT /
 * INVALID_DURATION. Mounted on every service, catalog included.
 */
import assert from "node:assert/strict";
import { clock } from "../kernel/clock.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest } from "./support/http.ts";

const db = await freshDatabase("http_clock");
await clock.refresh(db.sql);
const open = serveTest({ sql: db.sql, service: "catalog", env: { BSS_ALLOW_ADMIN_RESET: "yes" } });
const closed = serveTest({ sql: db.sql, service: "rating" });

const post = (path: string, json?: unknown) =>
  open.request(`/admin-api/v1/clock/${path}`, { method: "POST", json });

Deno.test("now is readable without the flag", async () => {
  const r = await reply(await closed.request("/admin-api/v1/clock/now"));
  assert.equal(r.status, 200);
  assert.equal(r.body.mode, "wall");
  assert.equal(r.body.frozenAt, null);
  assert.equal(typeof r.body.offsetSeconds, "number");
  assert.ok(Math.abs(Date.parse(r.body.now) - Date.now()) < 5000);
});

Deno.test("changes without the flag are 403 ADMIN_CLOCK_DISABLED", async () => {
  for (
    const [path, json] of [
      ["freeze", {}],
      ["unfreeze", undefined],
      ["advance", { duration: "1h" }],
      [
        "reset",
        undefined,
      ],
    ]
  ) {
    const r = await reply(
      await closed.request(`/admin-api/v1/clock/${path}`, { method: "POST", json }),
    );
    assert.deepEqual([r.status, r.body.code], [403, "ADMIN_CLOCK_DISABLED"], String(path));
  }
  assert.equal(clock.state().mode, "wall");
});

Deno.test("freeze at an instant, advance, then unfreeze keeping the offset", async () => {
  const frozen = await reply(await post("freeze", { at: "2030-01-01T00:00:00Z" }));
  assert.equal(frozen.status, 200);
  assert.deepEqual(frozen.body, {
    mode: "frozen",
    now: "2030-01-01T00:00:00.000Z",
    offsetSeconds: 0,
    frozenAt: "2030-01-01T00:00:00.000Z",
  });
  const advanced = await reply(await post("advance", { duration: "2d" }));
  assert.equal(advanced.body.now, "2030-01-03T00:00:00.000Z");
  // Every service shares the clock: the other app sees the change.
  const seen = await reply(await closed.request("/admin-api/v1/clock/now"));
  assert.equal(seen.body.frozenAt, "2030-01-03T00:00:00.000Z");
  const wall = await reply(await post("unfreeze"));
  assert.equal(wall.body.mode, "wall");
  assert.equal(wall.body.frozenAt, null);
  assert.ok(Math.abs(Date.parse(wall.body.now) - Date.parse("2030-01-03T00:00:00Z")) < 5000);
});

Deno.test("reset puts the clock back to wall time from frozen or offset", async () => {
  await post("freeze", { at: "2040-01-01T00:00:00Z" }).then((x) => x.body?.cancel());
  const fromFrozen = await reply(await post("reset"));
  assert.deepEqual([fromFrozen.body.mode, fromFrozen.body.offsetSeconds], ["wall", 0]);
  await post("advance", { duration: "3d" }).then((x) => x.body?.cancel());
  const fromOffset = await reply(await post("reset"));
  assert.equal(fromOffset.status, 200);
  assert.deepEqual([fromOffset.body.mode, fromOffset.body.offsetSeconds], ["wall", 0]);
  assert.ok(Math.abs(Date.parse(fromOffset.body.now) - Date.now()) < 5000);
});

Deno.test("advance in wall mode grows the offset", async () => {
  const before = (await reply(await open.request("/admin-api/v1/clock/now"))).body.offsetSeconds;
  const r = await reply(await post("advance", { duration: " 90 m " }));
  assert.equal(r.body.mode, "wall");
  assert.equal(r.body.offsetSeconds, before + 5400);
});

Deno.test("freeze without `at` freezes the current BSS instant", async () => {
  const r = await reply(await post("freeze"));
  assert.equal(r.body.mode, "frozen");
  assert.ok(Math.abs(Date.parse(r.body.now) - clock.now().getTime()) < 1000);
  await post("unfreeze").then((x) => x.body?.cancel());
});

Deno.test("a naive `at` is UTC", async () => {
  const r = await reply(await post("freeze", { at: "2031-06-01T12:30:00" }));
  assert.equal(r.body.frozenAt, "2031-06-01T12:30:00.000Z");
  const offset = await reply(await post("freeze", { at: "2031-06-01T12:30:00+02:00" }));
  assert.equal(offset.body.frozenAt, "2031-06-01T10:30:00.000Z");
  await post("unfreeze").then((x) => x.body?.cancel());
});

Deno.test("a bad `at` is 422 INVALID_AT", async () => {
  for (const at of ["yesterday", "2031-13-45T00:00:00Z", ""]) {
    const r = await reply(await post("freeze", { at }));
    assert.deepEqual([r.status, r.body.code], [422, "INVALID_AT"], at);
  }
  assert.equal(clock.state().mode, "wall");
});

Deno.test("a bad duration is 422 INVALID_DURATION", async () => {
  for (const duration of ["1 week", "-1h", "10", "1.5h", ""]) {
    const r = await reply(await post("advance", { duration }));
    assert.deepEqual([r.status, r.body.code], [422, "INVALID_DURATION"], duration);
  }
});

Deno.test("advance with no duration at all is a validation error", async () => {
  for (const json of [undefined, {}, { duration: 5 }]) {
    const r = await reply(await post("advance", json));
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], JSON.stringify(json));
  }
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await open.stop();
    await closed.stop();
    await db.drop();
  },
});
