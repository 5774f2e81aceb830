/**
 * `deno task chaos [--signups 20] [--kills 5] [--topology single|split] [--no-pg-restart]
 * [--broker] [--output FILE]`: signups placed concurrently while faults strike — `kill -9` of
 * a process at a random moment (several rounds; in `split`, a random one of the four
 * processes), a restart of the system's own Postgres under load, and with `--broker` a 5 s
 * outage of RabbitMQ (a proxy in front of the machine's broker is cut, on a vhost of the run's
 * own, so the shared broker and other work on it are untouched). After each fault the suite
 * waits until the system is quiet and checks the invariants of `chaos/invariants.ts`. Prints a
 * table per round, the invariants, and one JSON line; exits 1 on any violation. `--output`
 * writes the processes' own logs (of each one's last start) to FILE at the end.
 *
 * Clients behave as real ones do: a create or submit that fails on the network or with a
 * 503 is sent again (with the same `Idempotency-Key`) until it is answered.
 *
 * @module
 */
import { pool } from "../kernel/db/connect.ts";
import { processEnv } from "../kernel/config.ts";
import { TMF622 } from "../http/com/schemas.ts";
import { signupCustomer } from "../tests/support/signup.ts";
import { brokerProxy } from "./chaos/broker_proxy.ts";
import { type Cluster, startCluster, type Topology } from "./chaos/cluster.ts";
import {
  busy,
  checkInvariants,
  describeBusy,
  isQuiet,
  RESERVATIONS,
  type Verdict,
} from "./chaos/invariants.ts";
import { ownPostgres } from "./lib/own_postgres.ts";
import { pool as inParallel } from "./lib/running.ts";
import { sleep, wallMs } from "./lib/stats.ts";
import { table } from "./lib/table.ts";
import { benchArgs } from "./lib/args.ts";

/** What to run. */
export interface ChaosOptions {
  topology: Topology;
  /** Signups placed at once in each round. */
  signups: number;
  /** Rounds with a `kill -9`. */
  kills: number;
  pgRestart: boolean;
  /** A broker outage round (needs `BSS_RABBITMQ_URL`; the system then uses the broker). */
  broker: boolean;
  /** How long a round may take to become quiet. */
  quietMs: number;
  /** Runs on the started cluster before the first fault (tests run the scenarios here). */
  before?: (cluster: Cluster) => Promise<void>;
  log?: (line: string) => void;
  /** Where to write the processes' own output (their logs) when the run ends. */
  outputFile?: string;
}

/** One round's outcome. */
export interface Round {
  fault: string;
  placed: number;
  completed: number;
  failed: number;
  /** Signups whose client never got the order submitted (it gave up). */
  unplaced: number;
  /** From the first order placed until every client had its answers. */
  placedS: number;
  quietS: number;
  violations: number;
}

/** The whole run. */
export interface ChaosReport {
  rounds: Round[];
  verdicts: Verdict[];
  violations: number;
  /** No process died other than by the suite's own kills. */
  survived: boolean;
  /** Of each process that died on its own: its name, exit code and last output. */
  deaths: string;
}

const TOKEN = `chaos-${crypto.randomUUID()}`;

/** Runs the suite. */
export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const say = o.log ?? ((line: string) => console.error(`[chaos] ${line}`));
  const brokerUrl = processEnv().BSS_RABBITMQ_URL;
  if (o.broker && !brokerUrl) throw new Error("--broker needs BSS_RABBITMQ_URL");
  const pg = await ownPostgres();
  const vhost = o.broker
    ? await ownVhost().catch(async (e) => (await pg.destroy(), Promise.reject(e)))
    : undefined;
  const proxy = o.broker ? brokerProxy(upstreamOf(brokerUrl!)) : undefined;
  const env: Record<string, string> = { BSS_PROVISIONING_DELAY_SCALE: "0" };
  if (proxy) env.BSS_RABBITMQ_URL = `amqp://guest:guest@127.0.0.1:${proxy.port}/${vhost!.name}`;
  const sql = pool(pg.url, 4);
  const rounds: Round[] = [];
  let verdicts: Verdict[] = [];
  let cluster: Cluster | undefined;
  try {
    say(`starting a ${o.topology} cluster on its own Postgres${proxy ? " and broker vhost" : ""}`);
    const running = cluster = await startCluster(o.topology, pg.url, TOKEN, env);
    await o.before?.(cluster);
    const faults: Array<{ name: string; strike: () => Promise<void> }> = [];
    for (let i = 0; i < o.kills; i++) {
      const victim = cluster.names[Math.floor(Math.random() * cluster.names.length)];
      faults.push({
        name: `kill -9 ${victim}`,
        strike: async () => {
          await running.kill(victim);
          await running.restart(victim);
        },
      });
    }
    if (o.pgRestart) faults.push({ name: "Postgres restart", strike: () => pg.restart(1000) });
    if (proxy) {
      faults.push({
        name: "broker outage 5 s",
        strike: async () => {
          proxy.cut();
          await sleep(5000);
          proxy.restore();
        },
      });
    }
    const comUrl = `${cluster.url("com")}${TMF622}/productOrder`;
    for (const fault of faults) {
      say(`${fault.name}: signing up ${o.signups} verified customers with cards`);
      const customers = await inParallel(o.signups, 4, () => signupCustomer(running.client));
      const started = wallMs();
      const slowest: Slowest = { ms: 0, what: "" };
      const placing = Promise.all(customers.map((c) => placeWithRetries(comUrl, c, slowest)));
      // Awaited after the strike; handled now, so that a failure meanwhile reaches the cleanup
      // instead of ending the process as an unhandled rejection (leaking its own Postgres).
      placing.catch(() => {});
      await sleep(100 + Math.random() * 1400);
      say(`${fault.name}: strike`);
      await fault.strike();
      const ids = await placing;
      const placedS = (wallMs() - started) / 1000;
      say(`${fault.name}: slowest answer ${(slowest.ms / 1000).toFixed(1)} s: ${slowest.what}`);
      await waitQuiet(sql, o.quietMs, (line) => say(`${fault.name}: ${line}`));
      const quietS = (wallMs() - started) / 1000;
      verdicts = await settledInvariants(sql);
      const placed = ids.filter((id): id is string => id !== undefined);
      const [counts] = await sql<{ completed: number; failed: number }[]>`
        select count(*) filter (where state = 'completed')::int as completed,
          count(*) filter (where state = 'failed')::int as failed
        from order_mgmt.product_order where id = any(${placed}::text[])`;
      const round: Round = {
        fault: fault.name,
        placed: placed.length,
        ...counts,
        unplaced: ids.length - placed.length,
        placedS,
        quietS,
        violations: verdicts.reduce((n, v) => n + v.violations, 0),
      };
      rounds.push(round);
      say(`${fault.name}: ${JSON.stringify(round)}`);
    }
    return {
      rounds,
      verdicts,
      violations: verdicts.reduce((n, v) => n + v.violations, 0),
      survived: cluster.alive(),
      deaths: cluster.deaths(),
    };
  } finally {
    if (cluster && !cluster.alive()) say(`a process died on its own:\n${cluster.deaths()}`);
    await cluster?.stop();
    if (cluster && o.outputFile) await Deno.writeTextFile(o.outputFile, cluster.output());
    await sql.end({ timeout: 5 });
    proxy?.close();
    await vhost?.drop();
    await pg.destroy();
  }
}

/** A round's slowest client answer: how long, and to what. */
interface Slowest {
  ms: number;
  what: string;
}

/**
 * Creates and submits one order as a patient client: network failures, 503s and answers cut
 * off mid-body are sent again with the same key until answered (each answer's time goes into
 * `slowest`). Returns the order id, or undefined if it gave up.
 */
async function placeWithRetries(
  url: string,
  customerId: string,
  slowest: Slowest,
): Promise<string | undefined> {
  const key = crypto.randomUUID();
  const until = wallMs() + 120_000;
  const send = async (path: string, body?: unknown) => {
    while (wallMs() < until) {
      const sentAt = wallMs();
      const r = await fetch(`${url}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-bss-api-token": TOKEN,
          "idempotency-key": `${key}${path}`,
        },
        body: JSON.stringify(body ?? {}),
      }).catch(() => undefined);
      const json = await r?.json().catch(() => undefined);
      const tookMs = wallMs() - sentAt;
      if (tookMs > slowest.ms) {
        Object.assign(slowest, {
          ms: tookMs,
          what: `POST ${path || "/"} → ${r?.status ?? "no answer"}`,
        });
      }
      // An answer cut off by the kill (headers sent, body not) is no answer: ask again.
      if (r && r.status < 500 && json !== undefined) return { status: r.status, body: json };
      await sleep(250);
    }
    return undefined;
  };
  const created = await send("", { customerId, offeringId: "PLAN_S" });
  if (created?.status !== 201) return undefined;
  const id = created.body.id as string;
  const submitted = await send(`/${id}/submit`);
  // A submit answered 422 after a retry was taken by the first try: the order is submitted.
  return submitted ? id : undefined;
}

/** Abandoned reservations wait for the sweeper's next pass: checked again for up to 20 s. */
async function settledInvariants(sql: ReturnType<typeof pool>): Promise<Verdict[]> {
  const until = wallMs() + 20_000;
  for (;;) {
    const verdicts = await checkInvariants(sql);
    const held = verdicts.find((v) => v.invariant === RESERVATIONS)?.violations === 0;
    if (held || wallMs() > until) return verdicts;
    await sleep(1000);
  }
}

/** Waits until quiet (or `ms`), saying every 15 s, and on giving up, what is still busy. */
async function waitQuiet(
  sql: ReturnType<typeof pool>,
  ms: number,
  say: (line: string) => void,
): Promise<void> {
  const start = wallMs();
  let said = start;
  // Twice in a row, a little apart: a message may be between a mailbox and the outbox.
  let calm = 0;
  while (calm < 2) {
    const b = await busy(sql).catch((e) => e as Error);
    const what = b instanceof Error
      ? `the database did not answer (${b.message})`
      : describeBusy(b);
    const waited = ((wallMs() - start) / 1000).toFixed(0);
    if (wallMs() - start > ms) return say(`not quiet after ${waited} s: ${what}`);
    if (wallMs() - said > 15_000) {
      said = wallMs();
      say(`waiting to be quiet (${waited} s): ${what}`);
    }
    calm = b instanceof Error || !isQuiet(b) ? 0 : calm + 1;
    await sleep(200);
  }
}

function upstreamOf(url: string) {
  const u = new URL(url);
  return { hostname: u.hostname, port: Number(u.port) || 5672 };
}

/** A RabbitMQ vhost of the run's own (guest may use it), deleted afterwards. */
async function ownVhost(): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `bss_chaos_${crypto.randomUUID().slice(0, 8)}`;
  const ctl = async (...args: string[]) => {
    const r = await new Deno.Command("rabbitmqctl", { args, stdout: "null", stderr: "piped" })
      .output();
    if (r.code !== 0) {
      throw new Error(`rabbitmqctl ${args[0]}: ${new TextDecoder().decode(r.stderr)}`);
    }
  };
  await ctl("add_vhost", name);
  await ctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
  return { name, drop: () => ctl("delete_vhost", name).catch(() => {}) };
}

/** Prints the report: rounds, invariants, one JSON line. */
export function printReport(report: ChaosReport, options: ChaosOptions): void {
  console.log(table(
    [
      "fault",
      "placed",
      "completed",
      "failed",
      "unplaced",
      "placed in s",
      "quiet after s",
      "violations",
    ],
    report.rounds.map((r) => [
      r.fault,
      String(r.placed),
      String(r.completed),
      String(r.failed),
      String(r.unplaced),
      r.placedS.toFixed(1),
      r.quietS.toFixed(1),
      String(r.violations),
    ]),
  ));
  console.log(table(
    ["invariant (after the last round)", "violations", "sample"],
    report.verdicts.map((v) => [v.invariant, String(v.violations), v.sample.join("; ")]),
  ));
  console.log(JSON.stringify({
    topology: options.topology,
    broker: options.broker,
    signups_per_round: options.signups,
    rounds: report.rounds.length,
    orders: report.rounds.reduce((n, r) => n + r.placed, 0),
    completed: report.rounds.reduce((n, r) => n + r.completed, 0),
    failed: report.rounds.reduce((n, r) => n + r.failed, 0),
    unplaced: report.rounds.reduce((n, r) => n + r.unplaced, 0),
    violations: report.violations,
    by_invariant: Object.fromEntries(report.verdicts.map((v) => [v.invariant, v.violations])),
    survived: report.survived,
  }));
}

/** `deno task chaos …`. */
export async function main(args: string[]): Promise<void> {
  const { values, count, refuse } = benchArgs(
    "deno task chaos [--signups 20] [--kills 5] [--topology single|split] [--no-pg-restart] " +
      "[--broker] [--output FILE]",
    args,
    {
      signups: { type: "string", default: "20" },
      kills: { type: "string", default: "5" },
      topology: { type: "string", default: "single" },
      "no-pg-restart": { type: "boolean", default: false },
      broker: { type: "boolean", default: false },
      output: { type: "string" },
    },
  );
  const topology = values.topology as Topology;
  if (topology !== "single" && topology !== "split") refuse("--topology is single or split");
  if (values.broker && !processEnv().BSS_RABBITMQ_URL) refuse("--broker needs BSS_RABBITMQ_URL");
  const options: ChaosOptions = {
    topology,
    signups: count("signups"),
    kills: count("kills", 0),
    pgRestart: !values["no-pg-restart"],
    broker: values.broker,
    quietMs: 180_000,
    outputFile: values.output,
  };
  const report = await runChaos(options);
  printReport(report, options);
  Deno.exit(report.violations === 0 && report.survived ? 0 : 1);
}

if (import.meta.main) await main(Deno.args);
