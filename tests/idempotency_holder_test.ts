/**
 * A keyed request whose claimant's process is gone is taken over at once, with the id that
 * claimant fixed; one whose claimant lives waits for its outcome however long its lease.
 */
import assert from "node:assert/strict";
import { oncePerKey } from "../http/idempotency.ts";
import { currentCaller } from "../kernel/context.ts";
import { PROCESS_HOLDER } from "../kernel/db/holder.ts";
import { freshDatabase } from "./support/db.ts";

Deno.test("a claim held by a gone process is taken over at once; a live one's is waited for", async () => {
  const db = await freshDatabase("idempotency_holder");
  const claimed = (key: string, holder: string) =>
    db.sql`
      insert into idempotency.request (tenant_id, scope, key, fingerprint, lease_until, holder,
        resource_id)
      values (${currentCaller().tenant}, 'probe', ${key}, '{}', now() + interval '1 hour',
        ${holder}, ${`ORD-${key}`})`;
  try {
    await claimed("gone", "bss/0/gone");
    const fixed: (string | null)[] = [];
    const value = await oncePerKey(
      db.sql,
      { scope: "probe", key: "gone", fingerprint: {} },
      (run) => {
        fixed.push(run.fixedId);
        return Promise.resolve("ran");
      },
    );
    assert.equal(value, "ran");
    assert.deepEqual(fixed, ["ORD-gone"], "the takeover acts on the id its claimant fixed");

    await claimed("live", PROCESS_HOLDER);
    let ran = false;
    const waiting = oncePerKey(db.sql, { scope: "probe", key: "live", fingerprint: {} }, () => {
      ran = true;
      return Promise.resolve("twice");
    });
    const early = await Promise.race([
      waiting,
      new Promise((r) => setTimeout(() => r("still waiting"), 500)),
    ]);
    assert.equal(early, "still waiting");
    // The live claimant's outcome arrives: the retry answers it and never ran the work.
    await db.sql`update idempotency.request set state = 'done',
      outcome = '{"ok": true, "value": "first"}' where key = 'live'`;
    assert.equal(await waiting, "first");
    assert.equal(ran, false);
  } finally {
    await db.drop();
  }
});
