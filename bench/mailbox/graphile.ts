/**
 * graphile-worker as a bench queue, in its own schema on the bench database: jobs of a no-op
 * task, added with `addJobs` (bulk) or `addJob`, run by `run()`. Ordered mode puts each
 * actor's jobs in its own named queue (`queueName`), which graphile runs serially.
 *
 * @module
 */
import { Logger, makeWorkerUtils, run, runMigrations, type WorkerUtils } from "graphile-worker";
import type { Pool } from "../../kernel/db/types.ts";
import type { BenchMessage, GraphileConsumerSpec, PrepareConsumer, Queue } from "./engine.ts";

/** The schema graphile-worker is installed in (not its default, to leave any real one be). */
export const GRAPHILE_SCHEMA = "bench_graphile_worker";

const TASK = "noop";

/** graphile's logger, silenced except for errors. */
const logger = new Logger(() => (level, message) => {
  if (level === "error") console.error(`graphile-worker: ${message}`);
});

/** The producer side; `ordered` sends each actor's jobs through its own named queue. */
export function graphileQueue(sql: Pool, url: string, ordered: boolean): Queue {
  const options = { connectionString: url, schema: GRAPHILE_SCHEMA, logger };
  let utils: WorkerUtils | undefined;
  const spec = (m: BenchMessage) => ({
    identifier: TASK,
    payload: m,
    queueName: ordered ? m.actor : undefined,
  });
  const ready = () => {
    if (!utils) throw new Error("graphile queue used before reset()");
    return utils;
  };
  return {
    async reset() {
      await utils?.release();
      await sql.unsafe(`drop schema if exists ${GRAPHILE_SCHEMA} cascade`);
      await runMigrations(options);
      utils = await makeWorkerUtils(options);
    },
    async enqueueBulk(messages) {
      await ready().addJobs(messages.map(spec));
    },
    async send(m) {
      const { identifier, payload, queueName } = spec(m);
      await ready().addJob(identifier, payload, { queueName });
    },
    async analyze() {
      await sql.unsafe(
        `analyze ${GRAPHILE_SCHEMA}._private_jobs, ${GRAPHILE_SCHEMA}._private_job_queues`,
      );
    },
    async pending() {
      const [r] = await sql.unsafe(
        `select count(*)::int as n from ${GRAPHILE_SCHEMA}._private_jobs`,
      );
      return r.n;
    },
    async close() {
      await utils?.release();
      utils = undefined;
      await sql.unsafe(`drop schema if exists ${GRAPHILE_SCHEMA} cascade`);
    },
  };
}

/**
 * The consumer side: a graphile runner with the spec's concurrency. A local queue also turns
 * on batched completion (`completeJobBatchDelay: 0`), graphile's high-throughput settings.
 */
export const prepareGraphile: PrepareConsumer<GraphileConsumerSpec> = (spec, probe) => {
  let runner: Awaited<ReturnType<typeof run>> | undefined;
  const batching = spec.localQueue > 0
    ? { localQueue: { size: spec.localQueue }, completeJobBatchDelay: 0, failJobBatchDelay: 0 }
    : {};
  return Promise.resolve({
    async start() {
      runner = await run({
        connectionString: spec.url,
        schema: spec.schema,
        logger,
        concurrency: spec.concurrency,
        maxPoolSize: spec.concurrency + 2,
        noHandleSignals: true,
        preset: { worker: batching },
        taskList: { [TASK]: (payload) => probe.observe(payload as BenchMessage) },
      });
    },
    async stop() {
      await runner?.stop();
    },
  });
};
