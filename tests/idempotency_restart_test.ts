/**
 * A request whose work fails because the database went away (a restart) cannot release its
 * key then; it does so once the database is back, so the client's retry runs at once instead
 * of waiting out the key's lease. On a server of the test's own (it is stopped).
 */
import assert from "node:assert/strict";
import { oncePerKey } from "../http/idempotency.ts";
import { waitFor } from "./support/bridge.ts";
import { onOwnServer } from "./support/db.ts";

Deno.test({
  name: "a key whose request lost the database is released once it is back",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    onOwnServer(async (sql, pg) => {
      const request = { scope: "probe", key: "K1", fingerprint: { n: 1 } };
      let restarted: Promise<void> | undefined;
      const first = await oncePerKey(sql, request, async () => {
        restarted = pg.restart(1500);
        await new Promise((r) => setTimeout(r, 500)); // the server is down
        throw Object.assign(new Error("the database went away"), { code: "ECONNREFUSED" });
      }).catch((e: Error) => e.message);
      assert.equal(first, "the database went away");
      await restarted;
      // Released: its lease ends before the one the claim took (10 s from the claim), which is
      // where a key whose release was lost stays.
      await waitFor(async () => {
        const [row] = await sql`
          select lease_until < created_at + interval '10 s' as released
          from idempotency.request where key = 'K1'`.catch(() => []);
        return row?.released === true;
      }, "the key's release");
      const second = await oncePerKey(sql, request, () => Promise.resolve("ran"));
      assert.equal(second, "ran");
      const [row] = await sql`select state, outcome from idempotency.request where key = 'K1'`;
      assert.deepEqual({ state: row.state, outcome: row.outcome }, {
        state: "done",
        outcome: { ok: true, value: "ran" },
      });
    }),
});
