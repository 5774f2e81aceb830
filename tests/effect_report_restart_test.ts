/**
 * The database restarts after an effect ran and before its outcome is written: the runner
 * holds the outcome and writes it once the server is back, so the effect is not left to wait
 * out its lease and run a second time. On a server of the test's own (it is stopped).
 */
import assert from "node:assert/strict";
import { outcomeMessage, stageEffect } from "../actors/effects/effect.ts";
import { startEffectRunner } from "../actors/effects/runner.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { ActorKind } from "../actors/runtime/types.ts";
import { waitFor } from "./support/bridge.ts";
import { onOwnServer } from "./support/db.ts";

const Outcome = outcomeMessage("done");

Deno.test({
  name: "an outcome whose write meets a database restart is written when it is back",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    onOwnServer(async (sql, pg) => {
      await sql`create table heard (key text, outcome jsonb)`;
      const kind: ActorKind = {
        kind: "restart_probe",
        async handle(turn, m) {
          if (m.type === "start") {
            await stageEffect(turn, {
              type: "probe.run",
              key: `run:${turn.key}`,
              input: {},
              replyType: "done",
            });
            return;
          }
          const o = Outcome.parse(m);
          await turn.sql`insert into heard values (${turn.key}, ${
            JSON.stringify(o.outcome)
          }::text::jsonb)`;
        },
      };
      const system = new ActorSystem(sql, { pollMs: 50, workers: 1 });
      system.register(kind);
      await system.start();
      let runs = 0;
      let restarted: Promise<void> | undefined;
      // A lease far longer than the test: an outcome left to it would never arrive here.
      const runner = await startEffectRunner(sql, { "probe.run": () => Promise.resolve(++runs) }, {
        pollMs: 50,
        leaseMs: 600_000,
        beforeReport: async () => {
          restarted ??= pg.restart(1000);
          // The report is sent while the server is down (or not yet accepting).
          await new Promise((r) => setTimeout(r, 200));
        },
      });
      try {
        await system.tell("restart_probe", "A", { type: "start" });
        await waitFor(() => Promise.resolve(restarted !== undefined), "the run");
        await restarted;
        await waitFor(
          async () => (await sql`select 1 from heard where key = 'A'`.catch(() => [])).length > 0,
          "the outcome, after the restart",
        );
        const [row] =
          await sql`select state, attempts from effect.effect where idempotency_key = 'run:A'`;
        assert.deepEqual({ state: row.state, attempts: row.attempts }, {
          state: "done",
          attempts: 1,
        });
        assert.equal(runs, 1, "the effect ran once");
        const [heard] = await sql`select outcome from heard where key = 'A'`;
        assert.deepEqual(heard.outcome, { ok: true, value: 1 });
      } finally {
        await runner.stop();
        await system.stop();
      }
    }),
});
