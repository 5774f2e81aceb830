import assert from "node:assert/strict";
import { pruneSpans } from "../kernel/telemetry/retention.ts";
import { freshDatabase } from "./support/db.ts";

Deno.test("retention deletes spans older than the window and keeps the rest", async () => {
  const db = await freshDatabase("span_retention");
  try {
    await db.sql`
      insert into telemetry.span (trace_id, span_id, name, service, kind, start_time, duration_ms,
        status_code)
      values ('t', 'old', 'x', 's', 'INTERNAL', now() - interval '80 hours', 1, 'UNSET'),
             ('t', 'new', 'x', 's', 'INTERNAL', now() - interval '1 hour', 1, 'UNSET')`;
    assert.equal(await pruneSpans(db.sql, 72), 1);
    const left = (await db.sql`select span_id from telemetry.span`).map((r) => r.span_id);
    assert.deepEqual(left, ["new"]);
  } finally {
    await db.drop();
  }
});
