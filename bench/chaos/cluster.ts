/**
 * The system under chaos: `main.ts` processes against one Postgres, in one of two shapes —
 * `single` (every role in one process, `deno task start`'s default) or `split` (three
 * processes sharing the roles, plus a fourth with a second replica of com, som and
 * subscription on ports of its own, reaching the other services through `BSS_<SERVICE>_URL`).
 * Any process can be killed (SIGKILL) and started again; the harness is its supervisor.
 *
 * @module
 */
import { type Client, createClient } from "../../http/client.ts";
import type { RoleName } from "../../http/roles.ts";
import { type ServiceName, SERVICES } from "../../http/services.ts";
import {
  freePortOffset,
  kill,
  type MainProcess,
  spawnMain,
  stopMain,
  waitHealthy,
} from "../../tests/support/http.ts";

/** How the roles are spread over processes. */
export type Topology = "single" | "split";

/** One process of the cluster. */
interface Member {
  name: string;
  roles: RoleName[];
  offset: number;
  env: Record<string, string>;
  main?: MainProcess;
  /** Set when the process exited without being killed by the harness: its exit code. */
  diedAlone?: number;
  killing?: boolean;
}

/** A running cluster. */
export interface Cluster {
  /** Typed clients of every service (the primary processes). */
  client: Record<ServiceName, Client>;
  /** Base URL of each service (the primary processes). */
  url(service: ServiceName): string;
  /** The environment a CLI needs to reach the cluster (`deno task bss …`). */
  cliEnv: Record<string, string>;
  /** The processes' names. */
  names: string[];
  /** SIGKILLs one process. */
  kill(name: string): Promise<void>;
  /** Starts a killed process again and waits until it serves. */
  restart(name: string): Promise<void>;
  /** Whether every process is still running (none died on its own). */
  alive(): boolean;
  /** Of each process that died on its own: its name, exit code and last output. */
  deaths(): string;
  /** The output of every process so far. */
  output(): string;
  stop(): Promise<void>;
}

const SPLIT: Array<{ name: string; roles: RoleName[]; replica?: boolean }> = [
  {
    name: "catalog,crm,payment,portal-self-serve",
    roles: ["catalog", "crm", "payment", "portal-self-serve"],
  },
  { name: "com,som,provisioning-sim", roles: ["com", "som", "provisioning-sim"] },
  { name: "subscription,mediation,rating", roles: ["subscription", "mediation", "rating"] },
  { name: "replica com,som,subscription", roles: ["com", "som", "subscription"], replica: true },
];

/** Starts the cluster against `dbUrl`; `env` adds settings to every process. */
export async function startCluster(
  topology: Topology,
  dbUrl: string,
  token: string,
  env: Record<string, string> = {},
): Promise<Cluster> {
  const offset = freePortOffset();
  // One portal pepper and one dev mailbox for every process and the CLI (scenarios read codes).
  const shared = await Deno.makeTempDir({ prefix: "bss_chaos_shared_" });
  // Every process and the CLI share every identity's token: each process has its own data dir,
  // so tokens generated per data dir would not match across them.
  const tokens = {
    BSS_API_TOKEN: token,
    BSS_OPERATOR_CLI_API_TOKEN: `chaos-cli-${crypto.randomUUID()}`,
    BSS_SERVICE_API_TOKEN: `chaos-service-${crypto.randomUUID()}`,
    BSS_OPERATOR_COCKPIT_API_TOKEN: `chaos-cockpit-${crypto.randomUUID()}`,
    BSS_PORTAL_SELF_SERVE_API_TOKEN: `chaos-portal-${crypto.randomUUID()}`,
  };
  const base = {
    ...tokens,
    BSS_PORTAL_TOKEN_PEPPER: `chaos-pepper-${crypto.randomUUID()}`,
    BSS_PORTAL_DEV_MAILBOX_PATH: `${shared}/portal-mailbox.jsonl`,
    BSS_DB_URL: dbUrl,
    BSS_LOG_LEVEL: "warn",
    BSS_ALLOW_ADMIN_RESET: "true",
    BSS_KNOWLEDGE_REINDEX_ON_START: "false",
    // A line reserved by a turn the kill cut short is returned within seconds, not half an hour
    // (orders still in flight keep theirs: the sweeper asks COM about the holder first).
    BSS_RESERVATION_TTL_SECONDS: "3",
    BSS_RECONCILIATION_INTERVAL_SECONDS: "1",
    ...env,
  };
  const primaryUrl = (s: ServiceName) => `http://127.0.0.1:${SERVICES[s].port + offset}`;
  const members: Member[] = topology === "single"
    ? [{ name: "all roles", roles: [], offset, env: { ...base, BSS_PORT_OFFSET: String(offset) } }]
    : SPLIT.map(({ name, roles, replica }) => {
      const own = replica ? freePortOffset() : offset;
      // A replica reaches the services it does not host at the primaries' ports.
      const urls = replica
        ? Object.fromEntries(
          (Object.keys(SERVICES) as ServiceName[]).filter((s) => !roles.includes(s)).map((
            s,
          ) => [`BSS_${s.toUpperCase().replaceAll("-", "_")}_URL`, primaryUrl(s)]),
        )
        : {};
      return { name, roles, offset: own, env: { ...base, ...urls, BSS_PORT_OFFSET: String(own) } };
    });

  // Each process its own data dir: one data dir holds one running instance.
  const dataDirs: string[] = [shared];
  for (const m of members) {
    const dir = await Deno.makeTempDir({ prefix: "bss_chaos_data_" });
    dataDirs.push(dir);
    m.env.BSS_DATA_DIR = dir;
  }
  const removeDataDirs = () =>
    Promise.all(dataDirs.map((d) => Deno.remove(d, { recursive: true }).catch(() => {})));
  const launch = async (m: Member) => {
    const main = m.main = spawnMain(m.env, m.roles.length ? ["--role", m.roles.join(",")] : []);
    m.killing = false;
    main.exited.then((code) => {
      if (!m.killing) m.diedAlone = code;
    });
    await waitHealthy(m.main, m.offset, {
      services: m.roles.length
        ? m.roles.filter((r): r is ServiceName => r in SERVICES)
        : (Object.keys(SERVICES) as ServiceName[]),
      ms: 120_000,
    });
  };
  // One at a time: the first applies the migrations and seeds.
  try {
    for (const m of members) await launch(m);
  } catch (e) {
    await Promise.all(members.map((m) => m.main && kill(m.main)));
    await removeDataDirs();
    throw e;
  }
  const byName = (name: string) => {
    const m = members.find((x) => x.name === name);
    if (!m) throw new Error(`no process "${name}"`);
    return m;
  };
  const diedAlone = () => members.filter((m) => m.diedAlone !== undefined);
  const services = Object.keys(SERVICES) as ServiceName[];
  return {
    client: Object.fromEntries(services.map((s) => [
      s,
      createClient({ baseUrl: primaryUrl(s), token, service: "chaos", timeoutMs: 30_000 }),
    ])) as Record<ServiceName, Client>,
    url: primaryUrl,
    cliEnv: {
      ...tokens,
      BSS_DB_URL: dbUrl,
      BSS_PORT_OFFSET: String(offset),
      BSS_ALLOW_ADMIN_RESET: "true",
      BSS_PORTAL_TOKEN_PEPPER: base.BSS_PORTAL_TOKEN_PEPPER,
      BSS_PORTAL_DEV_MAILBOX_PATH: base.BSS_PORTAL_DEV_MAILBOX_PATH,
    },
    names: members.map((m) => m.name),
    async kill(name) {
      const m = byName(name);
      m.killing = true;
      if (m.main) await kill(m.main);
    },
    restart: (name) => launch(byName(name)),
    alive: () => diedAlone().length === 0,
    deaths: () =>
      diedAlone()
        .map((m) => `--- ${m.name} exited ${m.diedAlone}\n${m.main?.output().slice(-3000)}`)
        .join("\n"),
    output: () => members.map((m) => `--- ${m.name}\n${m.main?.output() ?? ""}`).join("\n"),
    async stop() {
      await Promise.all(members.map(async (m) => {
        m.killing = true;
        if (m.main) await stopMain(m.main, { ms: 30_000 }).catch(() => kill(m.main!));
      }));
      await removeDataDirs();
    },
  };
}
