/**
 * Whether an operator command has a system to talk to: a live instance of the data dir (its
 * `instance.json`, written by `deno task start`) or a setting naming where the services are.
 * Without either, commands say so and call nothing: not whatever answers on the default
 * ports, and not an embedded Postgres started just for them.
 *
 * @module
 */
import { DEFAULT_DATA_DIR } from "../kernel/config.ts";
import { readInstance } from "../kernel/instance.ts";
import { SERVICES } from "../http/services.ts";

/** What such a command says when nothing runs here. */
export const NOT_RUNNING = "bss is not running here — start it with `deno task start`";

/** Whether `env` (the process environment) leaves the command with no system to talk to. */
export function notRunningHere(env: Record<string, string | undefined>): boolean {
  const locating = [
    "BSS_PORT_OFFSET",
    ...Object.keys(SERVICES).map((s) => `BSS_${s.toUpperCase().replaceAll("-", "_")}_URL`),
  ];
  return !readInstance(env.BSS_DATA_DIR || DEFAULT_DATA_DIR) && !locating.some((k) => env[k]);
}
