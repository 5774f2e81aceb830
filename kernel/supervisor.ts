/**
 * `deno task start` runs `main.ts --supervise`: this small parent process keeps the roles
 * running. It starts the embedded Postgres (unless `BSS_DB_URL` is set), runs `main.ts` with
 * the same arguments as a child, and starts the child again whenever it dies (a crash, an
 * out-of-memory kill, `kill -9`), after a pause that doubles from 1 s up to 30 s while it
 * keeps dying early (back to 1 s once it has run a minute). A clean exit (0), a usage or
 * configuration error (2), or a first start that fails before the child is ever ready (a port
 * in use, a database that refuses it: said once, not retried every 30 s) ends the supervisor
 * with the child's code; ready means it recorded itself in `instance.json`. SIGINT/SIGTERM
 * are passed to the child, then the embedded Postgres is stopped. Mailboxes, the outbox and
 * the turn claims are in Postgres, so a restarted child resumes whatever the dead one left.
 *
 * The supervisor owns the embedded server so that a dead child does not take it down with it
 * (the restarted child attaches to it) and so that it stops only when the supervisor stops.
 *
 * @module
 */
import { configOrExit } from "./boot.ts";
import { startEmbedded } from "./db/embedded.ts";
import { readInstance } from "./instance.ts";
import { log } from "./log.ts";
import { takeOverSignals } from "./signals.ts";

const FIRST_PAUSE_MS = 1000;
const LONGEST_PAUSE_MS = 30_000;
/** A child that ran this long is healthy again: the next restart pauses briefly. */
const STEADY_MS = 60_000;

/** Supervises `main.ts <args>` until it exits cleanly or a signal stops it; returns its code. */
export async function supervise(main: string, args: string[]): Promise<number> {
  const config = configOrExit();
  let stopping = false;
  let child: Deno.ChildProcess | undefined;
  let endPause = () => {};
  takeOverSignals((signal) => {
    // A second signal is passed on too (the child takes it as "stop now").
    stopping = true;
    endPause();
    try {
      child?.kill(signal);
    } catch { /* already gone */ }
  });
  const embedded = config.BSS_DB_URL
    ? undefined
    : await startEmbedded(config.BSS_DATA_DIR, config.BSS_EMBEDDED_PG_PORT, { own: true });
  let pause = FIRST_PAUSE_MS;
  let code = 0;
  let everReady = false;
  try {
    while (!stopping) {
      const started = Date.now();
      child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", main, "--supervised", ...args],
        stdin: "null",
      }).spawn();
      const { pid } = child;
      const status = await child.status;
      child = undefined;
      code = status.code;
      if (stopping || code === 0 || code === 2) break;
      everReady ||= readInstance(config.BSS_DATA_DIR)?.pid === pid;
      if (!everReady) break;
      if (Date.now() - started > STEADY_MS) pause = FIRST_PAUSE_MS;
      log.error("supervisor.child_died", { code, signal: status.signal, restart_in_ms: pause });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        endPause = () => (clearTimeout(timer), resolve());
      });
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
  } finally {
    await embedded?.stop();
  }
  return code;
}
