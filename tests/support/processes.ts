/**
 * Spawning and waiting on worker processes (tests/support/worker_process.ts).
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";

const SCRIPT = new URL("./worker_process.ts", import.meta.url).pathname;

/** A running worker process. */
export interface WorkerProcess {
  child: Deno.ChildProcess;
  pid: number;
}

/** Starts a worker process against `dbUrl` and waits until it prints `ready`. */
export async function spawnWorker(dbUrl: string, workers = 2): Promise<WorkerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT],
    env: { BSS_TEST_WORKER_DB: dbUrl, BSS_TEST_WORKERS: String(workers) },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("worker process exited before it was ready");
    seen += value;
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  (async () => {
    while (!(await reader.read()).done);
  })().catch(() => {});
  return { child, pid: child.pid };
}

/** Kills a worker with `signal` and waits for it to exit. */
export async function stopWorker(w: WorkerProcess, signal: Deno.Signal = "SIGTERM"): Promise<void> {
  try {
    w.child.kill(signal);
  } catch { /* already gone */ }
  await w.child.status;
}

/** Polls `check` every 25 ms until it holds, failing after `ms`. */
export async function waitUntil(check: () => Promise<boolean>, what: string, ms = 30_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Count of rows in the counter log (optionally for one key prefix). */
export async function handledCount(sql: Sql, prefix = ""): Promise<number> {
  const [r] = await sql`select count(*)::int as c from test_counter.log where key like ${
    prefix + "%"
  }`;
  return r.c;
}
