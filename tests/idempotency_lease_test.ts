/**
 * A keyed request keeps its claim while its work runs: the lease is renewed every third of its
 * length, so a slow run is not taken over by a retry while it lasts.
 */
import assert from "node:assert/strict";
import { oncePerKey } from "../http/idempotency.ts";
import { waitFor } from "./support/bridge.ts";
import { freshDatabase } from "./support/db.ts";

Deno.test("a slow keyed request renews its lease while it runs", async () => {
  const db = await freshDatabase("idempotency_lease");
  try {
    const request = { scope: "probe", key: "slow", fingerprint: {} };
    const value = await oncePerKey(db.sql, request, async () => {
      // Past the claim's own lease end (10 s from the claim) only if renewed.
      await waitFor(
        async () => {
          const [row] = await db.sql`
          select lease_until > created_at + interval '10 s' as renewed
          from idempotency.request where key = 'slow'`;
          return row?.renewed === true;
        },
        "a renewal",
        8_000,
      );
      return "done";
    });
    assert.equal(value, "done");
  } finally {
    await db.drop();
  }
});
