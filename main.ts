/**
 * `deno task start`: every role in one process by default, or `--role crm,com` for one
 * process per role (compose); with `--supervise` (what `deno task start` passes) a parent
 * process restarts it whenever it dies (kernel/supervisor.ts). Boots (configuration, database, migrations, clock), starts the
 * roles, prints where everything is, and stops cleanly on SIGINT/SIGTERM (exit 0).
 *
 * One instance per data dir: it refuses to start while another holds the data dir, and
 * records itself in `<data dir>/instance.json` for the CLI (kernel/instance.ts). A stop
 * stops the services, then the embedded Postgres it owns; a second signal hurries that.
 *
 * Exit codes: 0 after a clean stop, 2 for bad arguments or configuration, 1 when start-up
 * fails otherwise (with a message naming what to change, never a stack trace).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { seedReferenceData } from "./actors/seed.ts";
import { boot, configOrExit } from "./kernel/boot.ts";
import { processEnv } from "./kernel/config.ts";
import { readInstance, removeInstance, writeInstance } from "./kernel/instance.ts";
import { log } from "./kernel/log.ts";
import { supervise } from "./kernel/supervisor.ts";
import { takeOverSignals } from "./kernel/signals.ts";
import { selectRoles } from "./http/roles.ts";
import { runnableRoles, startRoles } from "./http/start.ts";

const USAGE = "usage: deno task start [--role a,b,…] [--supervise]";

/** `deno task start --help`. */
function help(): string {
  const roles = selectRoles();
  return [
    "deno task start — run the bss system: its services, the portal and their workers",
    "",
    USAGE,
    "",
    "  (no option)      every role in one process",
    "  --role a,b,…     only these roles in this process, of:",
    `                   ${roles.slice(0, 6).join(", ")},`,
    `                   ${roles.slice(6).join(", ")}`,
    "  --supervise      restart the process whenever it dies (`deno task start` passes it)",
    "",
    "With no BSS_DB_URL it runs on an embedded Postgres under BSS_DATA_DIR (default .bss/),",
    "initialised on first start; with BSS_RABBITMQ_URL events go through the broker. Every",
    'setting is an environment variable: README.md, "Configuration". Ctrl-C stops it cleanly.',
  ].join("\n");
}

/** The roles asked for, whether they were named (else: every role that can run), supervision. */
function rolesFromArgs() {
  try {
    const { values } = parseArgs({
      options: {
        role: { type: "string" },
        supervise: { type: "boolean" },
        // Set by the supervisor on its child (kernel/supervisor.ts).
        supervised: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.log(help());
      Deno.exit(0);
    }
    return {
      roles: selectRoles(values.role),
      named: values.role !== undefined,
      supervise: values.supervise ?? false,
      supervised: values.supervised ?? false,
    };
  } catch (e) {
    console.error(`bss: ${(e as Error).message}\n${USAGE}\n(deno task start --help for more)`);
    Deno.exit(2);
  }
}

/** Refuses to start while a live instance holds `dataDir`. */
function refuseBusy(dataDir: string): void {
  const other = readInstance(dataDir);
  if (other) {
    fail(
      `already running on ${dataDir} (pid ${other.pid}, since ${other.startedAt}, ` +
        `crm ${other.urls.crm ?? "-"}): stop it first, or set BSS_DATA_DIR to another folder`,
    );
  }
}

/** Start-up failed: one line saying why, then exit 1. */
function fail(e: unknown): never {
  console.error(`bss: ${e instanceof Error ? e.message : String(e)}`);
  Deno.exit(1);
}

const asked = rolesFromArgs();
const dataDir = configOrExit().BSS_DATA_DIR;
if (!asked.supervised) refuseBusy(dataDir);
if (asked.supervise) {
  // This process only keeps a child `main.ts` (same arguments) running: kernel/supervisor.ts.
  const args = Deno.args.filter((a) => a !== "--supervise");
  Deno.exit(await supervise(new URL(import.meta.url).pathname, args).catch(fail));
}
// Unsupervised, this process owns the embedded Postgres; supervised, its supervisor does.
const booted = await boot({ serviceName: "bss", ownsDatabase: !asked.supervised }).catch(fail);
const { config, db } = booted;
// Named roles must all start; the all-in-one default leaves out one that cannot (say why).
const roles = asked.named ? asked.roles : runnableRoles(config, asked.roles);
await seedReferenceData(db.sql);
const running = await startRoles(config, db.sql, roles).catch(async (e) => {
  await booted.shutdown();
  return fail(e);
});
writeInstance(dataDir, {
  pid: Deno.pid,
  ...asked.supervised && { supervisorPid: Deno.ppid },
  startedAt: new Date().toISOString(),
  portOffset: config.BSS_PORT_OFFSET,
  host: config.BSS_HOST,
  urls: running.urls,
  dbUrl: db.url,
  adminReset: config.BSS_ALLOW_ADMIN_RESET,
});

let stopping = 0;
async function stop(signal: Deno.Signal) {
  removeInstance(dataDir);
  // A terminal's Ctrl-C reaches this process and, through it, its supervisor, which passes
  // it on: the same stop, not a second signal.
  if (stopping && Date.now() - stopping < 1000) return;
  if (stopping) {
    // A second signal means "now": still never leave the embedded Postgres behind.
    await Promise.race([db.close(), new Promise((r) => setTimeout(r, 3000))]);
    Deno.exit(1);
  }
  stopping = Date.now();
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
  ...missingIdentities(),
].join("\n"));

/**
 * A hand-set environment naming `BSS_API_TOKEN` but not the CLI's and the services' own tokens
 * runs, but `default` asserts no actor: say so at start, not in an audit row later.
 */
function missingIdentities(): string[] {
  const env = processEnv();
  const missing = ["BSS_OPERATOR_CLI_API_TOKEN", "BSS_SERVICE_API_TOKEN"].filter((v) => !env[v]);
  if (!env.BSS_API_TOKEN || missing.length === 0) return [];
  return [
    `warning:  ${missing.join(" and ")} not set: the CLI's and the services' writes are ` +
    "recorded as `default`, and writes that need an operator actor are refused",
  ];
}
