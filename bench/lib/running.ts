/**
 * The system under a bench: `main.ts` (what `deno task start` runs) in its own process
 * against the bench database, on a free port range, with typed clients of every service.
 * The bench process is only the load generator, as a real client would be.
 *
 * @module
 */
import { type Client, createClient } from "../../http/client.ts";
import { processEnv } from "../../kernel/config.ts";
import { type ServiceName, SERVICES } from "../../http/services.ts";
import {
  freePortOffset,
  type MainProcess,
  spawnMain,
  stopMain,
  waitHealthy,
} from "../../tests/support/http.ts";

/** A running system. */
export interface Running {
  main: MainProcess;
  /** Its `BSS_PORT_OFFSET`. */
  offset: number;
  client: Record<ServiceName, Client>;
  stop(): Promise<void>;
}

/** The bench's own `BSS_OTEL_*` settings, so telemetry's cost can be measured on and off. */
const telemetrySettings = () =>
  Object.fromEntries(
    Object.entries(processEnv()).filter(([k]) => k.startsWith("BSS_OTEL_")),
  );

/**
 * Starts `main.ts` against `dbUrl` with `env` (and the bench's `BSS_OTEL_*`) and waits until
 * every service is healthy.
 */
export async function runSystem(dbUrl: string, env: Record<string, string> = {}): Promise<Running> {
  const offset = freePortOffset();
  const token = `bench-${crypto.randomUUID()}`;
  const main = spawnMain({
    BSS_DB_URL: dbUrl,
    BSS_API_TOKEN: token,
    BSS_PORT_OFFSET: String(offset),
    BSS_LOG_LEVEL: "warn",
    ...telemetrySettings(),
    ...env,
  });
  await waitHealthy(main, offset, { ms: 60_000 });
  const client = Object.fromEntries(
    (Object.keys(SERVICES) as ServiceName[]).map((name) => [
      name,
      createClient({
        baseUrl: `http://127.0.0.1:${SERVICES[name].port + offset}`,
        token,
        service: "bench",
        timeoutMs: 60_000,
      }),
    ]),
  ) as Record<ServiceName, Client>;
  return { main, offset, client, stop: () => stopMain(main, { ms: 15_000 }).then(() => {}) };
}

/** Prints the error lines the system logged (its output is not shown otherwise): a run failed. */
export function printErrors(system: Running): void {
  const lines = system.main.output().split("\n").filter((l) => l.includes('"level":"error"'));
  console.error(
    `[bench] the system logged ${lines.length} error line(s)${lines.length ? ":" : ""}`,
  );
  for (const line of lines.slice(-20)) console.error(line);
}

/** Runs `task(i)` for i in [0, n) with at most `width` in flight. */
export async function pool<T>(n: number, width: number, task: (i: number) => Promise<T>) {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await task(i);
    }
  }));
  return out;
}
