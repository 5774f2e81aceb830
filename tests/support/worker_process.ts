/**
 * A separate worker process for multi-process tests: hosts the `counter` kind against the
 * database in `BSS_TEST_WORKER_DB`, prints `ready` once draining, stops cleanly on SIGTERM
 * (and dies however it is killed otherwise).
 *
 * @module
 */
import { ActorSystem } from "../../actors/runtime/system.ts";
import { clock } from "../../kernel/clock.ts";
import { processEnv } from "../../kernel/config.ts";
import { pool } from "../../kernel/db/connect.ts";
import { counterKind } from "./actors.ts";

const env = processEnv();
const sql = pool(env.BSS_TEST_WORKER_DB, 6);
await clock.refresh(sql);
const system = new ActorSystem(sql, {
  workers: Number(env.BSS_TEST_WORKERS ?? 2),
  backoffMs: 10,
  pollMs: 20,
  batchActors: 8,
  batchPerActor: 4,
});
system.register(counterKind);
await system.start();
console.log("ready");
Deno.addSignalListener("SIGTERM", async () => {
  await system.stop();
  await sql.end();
  Deno.exit(0);
});
