/**
 * The pool's reconnect delay: short and bounded however many errors the pool has counted (a
 * Postgres restart under load counts one per busy connection at once).
 */
import assert from "node:assert/strict";
import { reconnectDelayS } from "../kernel/db/connect.ts";

Deno.test("a connection closed on an error connects again within a second", () => {
  for (const errors of [1, 2, 5, 20, 100, 10_000]) {
    for (let i = 0; i < 50; i++) {
      const s = reconnectDelayS(errors);
      assert.ok(s > 0 && s <= 1, `${errors} errors: ${s} s`);
    }
  }
  // It grows with the errors: a server that stays away is not hammered by every connection.
  assert.ok(reconnectDelayS(1) <= 0.2);
  assert.ok(reconnectDelayS(10) >= 0.5);
});
