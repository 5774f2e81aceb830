/**
 * `deno task start`: every role in one process by default, or `--role crm,com` for one
 * process per role (compose); with `--supervise` (what `deno task start` passes) a parent
 * process restarts it whenever it dies (kernel/supervisor.ts). Boots (configuration, database, migrations, clock), starts the
 * roles, prints where everything is, and stops cleanly on SIGINT/SIGTERM (exit 0).
 *
 * Exit codes: 0 after a clean stop, 2 for bad arguments or configuration, 1 when start-up
 * fails otherwise.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { seedReferenceData } from "./actors/seed.ts";
import { boot } from "./kernel/boot.ts";
import { processEnv } from "./kernel/config.ts";
import { log } from "./kernel/log.ts";
import { supervise } from "./kernel/supervisor.ts";
import { takeOverSignals } from "./kernel/signals.ts";
import { type RoleName, selectRoles } from "./http/roles.ts";
import { runnableRoles, startRoles } from "./http/start.ts";

/** The roles asked for, whether they were named (else: every role that can run), supervision. */
function rolesFromArgs(): { roles: RoleName[]; named: boolean; supervise: boolean } {
  try {
    const { values } = parseArgs({
      options: { role: { type: "string" }, supervise: { type: "boolean" } },
      strict: true,
    });
    return {
      roles: selectRoles(values.role),
      named: values.role !== undefined,
      supervise: values.supervise ?? false,
    };
  } catch (e) {
    console.error(
      `bss: ${(e as Error).message}\nusage: deno task start [--role a,b,…] [--supervise]`,
    );
    Deno.exit(2);
  }
}

const asked = rolesFromArgs();
if (asked.supervise) {
  // This process only keeps a child `main.ts` (same arguments) running: kernel/supervisor.ts.
  const args = Deno.args.filter((a) => a !== "--supervise");
  Deno.exit(await supervise(new URL(import.meta.url).pathname, args));
}
const booted = await boot({ serviceName: "bss" });
const { config, db } = booted;
// Named roles must all start; the all-in-one default leaves out one that cannot (say why).
const roles = asked.named ? asked.roles : runnableRoles(config, asked.roles);
await seedReferenceData(db.sql);
const running = await startRoles(config, db.sql, roles).catch(async (e) => {
  log.error("start.failed", { error: String(e) });
  await booted.shutdown();
  return Deno.exit(1);
});

let stopping = false;
async function stop(signal: Deno.Signal) {
  // A second signal while stopping means "now".
  if (stopping) Deno.exit(1);
  stopping = true;
  log.info("stopping", { signal });
  try {
    await running.stop();
    await booted.shutdown();
  } catch (e) {
    log.error("stop.failed", { error: String(e) });
    Deno.exit(1);
  }
  Deno.exit(0);
}
takeOverSignals((signal) => void stop(signal));

const width = Math.max(...roles.map((r) => r.length));
const data = await Deno.realPath(config.BSS_DATA_DIR).catch(() => config.BSS_DATA_DIR);
console.log([
  `bss ${config.BSS_VERSION} ready:`,
  ...Object.entries(running.urls).map(([name, url]) => `  ${name.padEnd(width)}  ${url}`),
  `database: ${db.url.replace(/:[^:@/]+@/, ":***@")}${config.BSS_DB_URL ? "" : ` (${data}/pg)`}`,
  `tokens:   ${processEnv().BSS_API_TOKEN ? "from the environment" : `${data}/tokens.json`}`,
].join("\n"));
