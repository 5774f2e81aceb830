/**
 * Whether an operator command has a system to talk to: a live instance of the data dir (its
 * `instance.json`, written by `deno task start`) or a setting naming where the services are
 * (for a command that reads the database itself, `BSS_DB_URL` names it too). Without either,
 * commands say so and call nothing: not whatever answers on the default ports, and not an
 * embedded Postgres started (or initialised) just for them.
 *
 * @module
 */
import { DEFAULT_DATA_DIR } from "../kernel/config.ts";
import { readInstance } from "../kernel/instance.ts";
import { SERVICES } from "../http/services.ts";

/** What such a command says when nothing runs here. */
export const NOT_RUNNING = "bss is not running here — start it with `deno task start`";

/**
 * Whether `env` (the process environment) leaves the command with no system to talk to;
 * `database`: the command reads the database itself (`bss trace`, `deno task actors`).
 */
export function notRunningHere(
  env: Record<string, string | undefined>,
  { database = false } = {},
): boolean {
  const locating = [
    "BSS_PORT_OFFSET",
    ...Object.keys(SERVICES).map((s) => `BSS_${s.toUpperCase().replaceAll("-", "_")}_URL`),
    ...(database ? ["BSS_DB_URL"] : []),
  ];
  return !readInstance(env.BSS_DATA_DIR || DEFAULT_DATA_DIR) && !locating.some((k) => env[k]);
}
