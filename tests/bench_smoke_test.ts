import assert from "node:assert/strict";
import { runMailboxBench } from "../bench/mailbox.ts";
import { summary } from "../bench/mailbox/report.ts";
import { parseMailboxArgs } from "../bench/mailbox/options.ts";
import { freshDatabase } from "./support/db.ts";

Deno.test({
  name: "the mailbox bench runs end to end on a tiny load and reports sane numbers",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("bench_smoke");
    try {
      const options = parseMailboxArgs([
        ...["--messages", "400", "--actors", "20", "--chunk", "20"],
        ...[
          "--processes",
          "1",
          "--workers",
          "1,2",
          "--batch-actors",
          "8",
          "--batch-per-actor",
          "4",
        ],
        ...["--graphile-concurrency", "2", "--graphile-local-queue", "0"],
        ...["--rate", "50", "--seconds", "1", "--max-drain-seconds", "60"],
      ]);
      const result = await runMailboxBench(db, options);
      for (const c of [result.bss, result.graphileUnordered, result.graphileOrdered]) {
        for (const t of c.trials) {
          assert.equal(t.drain.handled, 400, `${c.name} [${t.config}] drained everything`);
          assert.ok(t.drain.perS > 0 && t.drain.enqueuePerS > 0, `${c.name} rates`);
          assert.ok(!t.drain.capped, `${c.name} was not cut short`);
        }
        assert.equal(c.latency.sent, 50, `${c.name} sent the stream`);
        assert.ok(c.latency.p50 >= 0 && c.latency.p99 >= c.latency.p50, `${c.name} percentiles`);
      }
      assert.equal(result.bss.trials.length, 2, "both bss worker counts were tried");
      const json = summary(result);
      assert.deepEqual(Object.keys(json).slice(0, 5), [
        "bss_msgs_per_s",
        "graphile_ordered_jobs_per_s",
        "graphile_unordered_jobs_per_s",
        "bss_p99_ms",
        "graphile_p99_ms",
      ]);
      assert.equal(json.bss_fifo_violations, 0);
      assert.equal(json.graphile_ordered_fifo_violations, 0);
    } finally {
      await db.drop();
    }
  },
});
