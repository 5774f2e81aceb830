/**
 * A batch that died leaves its turn claim behind; the next drain to load any actors counts an
 * attempt on the claim's messages and drops it. While one drain counts a claim (its row
 * locked until that drain's statement commits), another drain that loads the claim's message
 * must not run it as if it had never been tried: it leaves it for its next batch, which sees
 * the new count. (Run at once, a message whose cascade had failed cascaded again, and one
 * failure was counted twice.)
 */
import assert from "node:assert/strict";
import { claimAndLoad } from "../actors/runtime/sql.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import { counterDatabase } from "./support/actors.ts";

Deno.test({
  name: "a message whose dead claim another drain is counting waits for that count",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await counterDatabase("claim_counting");
    try {
      const id = await new ActorSystem(db.sql).tell("counter", "k", { type: "add" });
      // A batch that claimed the message and rolled back.
      let dead = "";
      await db.sql.begin(async (tx) => {
        [{ xid: dead }] = await tx`select pg_current_xact_id()::text as xid`;
        throw new Error("rolled back");
      }).catch(() => {});
      await db.sql`insert into actor.turn_claim (xid, ids) values (${dead}::xid8, ${[id]})`;
      const load = () =>
        db.sql.begin(async (tx) => {
          const [{ xid }] = await tx`select pg_current_xact_id()::text as xid`;
          const rows = await claimAndLoad(db.sql, xid, [{ kind: "counter", key: "k" }], 4);
          await tx`delete from actor.turn_claim where xid = ${xid}::xid8`;
          return rows.map((r) => ({ attempts: r.attempts, runnable: r.runnable }));
        });

      // Another drain is counting the dead claim: it holds the claim's row.
      let release!: () => void;
      const held = new Promise<void>((r) => release = r);
      let locked!: () => void;
      const holding = new Promise<void>((r) => locked = r);
      const counter = db.sql.begin(async (tx) => {
        await tx`select from actor.turn_claim where xid = ${dead}::xid8 for update`;
        locked();
        await held;
        await tx`delete from actor.turn_claim where xid = ${dead}::xid8`;
        await tx`update actor.mailbox set attempts = attempts + 1 where id = ${id}`;
      });
      await holding;
      assert.deepEqual(await load(), [{ attempts: 0, runnable: false }]);
      release();
      await counter;
      // Its next batch sees the count and runs it, alone, as a suspect.
      assert.deepEqual(await load(), [{ attempts: 1, runnable: true }]);
      const [{ n }] = await db.sql`select attempts as n from actor.mailbox where id = ${id}`;
      assert.equal(n, 1, "counted once");
    } finally {
      await db.drop();
    }
  },
});
