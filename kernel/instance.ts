/**
 * One instance per data dir: `deno task start` records where it runs in
 * `<data dir>/instance.json` (its pid, port offset, service URLs, Postgres URL, whether admin
 * reset is open), removes it when it stops, and refuses to start while a live instance holds
 * the data dir. The CLI, the REPL, `deno task actors`, `bss trace` and the benchmarks read it,
 * so they reach the instance of their data dir — never a neighbour's on the default ports. The
 * environment still wins: a setting given explicitly is not overridden.
 *
 * @module
 */
import process from "node:process";
import { z } from "zod";
import { DEFAULT_DATA_DIR } from "./config.ts";

/** What a running instance records about itself. */
export const Instance = z.object({
  pid: z.number().int(),
  /** The supervisor restarting `pid` when it dies (`deno task start`): live while it is. */
  supervisorPid: z.number().int().optional(),
  startedAt: z.string(),
  portOffset: z.number().int(),
  host: z.string(),
  /** Service name → base URL. */
  urls: z.record(z.string(), z.string()),
  /** The database it runs on (embedded or `BSS_DB_URL`). */
  dbUrl: z.string(),
  adminReset: z.boolean(),
});
/** A running instance's record. */
export type Instance = z.infer<typeof Instance>;

/** The instance file of a data dir. */
export function instancePath(dataDir: string): string {
  return `${dataDir}/instance.json`;
}

/** The live instance of `dataDir`, or undefined (no file, a bad one, or its process is gone). */
export function readInstance(dataDir: string): Instance | undefined {
  try {
    const parsed = Instance.safeParse(JSON.parse(Deno.readTextFileSync(instancePath(dataDir))));
    if (!parsed.success) return undefined;
    const { pid, supervisorPid } = parsed.data;
    return alive(pid) || (supervisorPid !== undefined && alive(supervisorPid))
      ? parsed.data
      : undefined;
  } catch {
    return undefined;
  }
}

/** Records this process as the instance of `dataDir` (owner-only: it holds the DB URL). */
export function writeInstance(dataDir: string, instance: Instance): void {
  // With an external database nothing else may have made the data dir (a fresh clone).
  Deno.mkdirSync(dataDir, { recursive: true });
  Deno.writeTextFileSync(instancePath(dataDir), JSON.stringify(instance, null, 2) + "\n", {
    mode: 0o600,
  });
}

/** Removes the instance file if it is this process's. */
export function removeInstance(dataDir: string): void {
  try {
    const recorded = JSON.parse(Deno.readTextFileSync(instancePath(dataDir)));
    if (recorded.pid === Deno.pid) Deno.removeSync(instancePath(dataDir));
  } catch { /* none, or not ours */ }
}

/**
 * `env` completed from the live instance of its data dir: the port offset and host, the
 * database, and whether admin reset is open — each only where `env` does not set it.
 */
export function withInstance(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const instance = readInstance(env.BSS_DATA_DIR || DEFAULT_DATA_DIR);
  if (!instance) return env;
  const filled: Record<string, string> = {
    BSS_PORT_OFFSET: String(instance.portOffset),
    BSS_HOST: instance.host,
    BSS_DB_URL: instance.dbUrl,
    BSS_ALLOW_ADMIN_RESET: String(instance.adminReset),
  };
  const out = { ...env };
  for (const [key, value] of Object.entries(filled)) {
    if (env[key] === undefined || env[key] === "") out[key] = value;
  }
  return out;
}

/** Whether process `pid` exists (EPERM: it does, but is not ours to signal). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}
