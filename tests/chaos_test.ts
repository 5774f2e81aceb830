/**
 * The chaos suite, bounded for CI: signups under a `kill -9` of the process and a restart of
 * its own Postgres (and a broker outage when `BSS_RABBITMQ_URL` is set), on `deno task
 * start`'s single process. The process survives the database restart and, once quiet, every
 * invariant holds (a line reserved by a turn the kill cut short is returned by the
 * abandoned-reservation sweeper, run with a short TTL by the suite).
 */
import assert from "node:assert/strict";
import { printReport, runChaos } from "../bench/chaos.ts";
import { BROKER_URL } from "./support/broker.ts";

for (const broker of [false, true]) {
  Deno.test({
    name: `chaos: kill -9 and a Postgres restart${broker ? " and a broker outage" : ""} ` +
      "under signups break no invariant",
    ignore: broker && !BROKER_URL,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const options = {
        topology: "single" as const,
        signups: 8,
        kills: 1,
        pgRestart: true,
        broker,
        quietMs: 180_000,
        log: () => {},
      };
      const report = await runChaos(options);
      printReport(report, options);
      assert.ok(
        report.survived,
        `no process died other than by the suite's kills:\n${report.deaths}`,
      );
      assert.equal(report.rounds.length, broker ? 3 : 2);
      for (const round of report.rounds) {
        assert.equal(round.unplaced, 0, `${round.fault}: every signup was placed`);
        assert.equal(round.completed + round.failed, round.placed, `${round.fault}: all ended`);
      }
      const broken = report.verdicts.filter((v) => v.violations);
      assert.deepEqual(broken, [], "every invariant holds");
    },
  });
}
