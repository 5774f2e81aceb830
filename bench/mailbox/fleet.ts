/**
 * The worker processes of one bench phase (bench/mailbox/worker_process.ts), driven over
 * their stdin/stdout.
 *
 * @module
 */
import { lines, writeLine } from "../lib/lines.ts";
import type { ConsumerSpec } from "./engine.ts";
import type { ProbeReport } from "./probe.ts";

const SCRIPT = new URL("./worker_process.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

interface Member {
  child: Deno.ChildProcess;
  stdin: WritableStreamDefaultWriter<Uint8Array>;
  handled: number;
  report: Promise<ProbeReport>;
}

function spawn(spec: ConsumerSpec): Promise<Member> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, JSON.stringify(spec)],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let settle!: { ok(r: ProbeReport): void; fail(e: Error): void };
  const member: Member = {
    child,
    stdin: child.stdin.getWriter(),
    handled: 0,
    report: new Promise((ok, fail) => settle = { ok, fail }),
  };
  return new Promise((ready, failed) => {
    (async () => {
      for await (const line of lines(child.stdout)) {
        const msg = JSON.parse(line);
        if (msg.ready) ready(member);
        if (msg.handled !== undefined) member.handled = msg.handled;
        if (msg.report) settle.ok(msg.report);
      }
      throw new Error(`bench worker process ${child.pid} exited early`);
    })().catch((e) => {
      failed(e);
      settle.fail(e);
    });
  });
}

/** `processes` worker processes consuming with `spec`, connected and waiting for start. */
export class Fleet {
  private constructor(private readonly members: Member[]) {}

  /** Spawns the processes and waits until each is connected. */
  static async spawn(spec: ConsumerSpec, processes: number): Promise<Fleet> {
    return new Fleet(await Promise.all(Array.from({ length: processes }, () => spawn(spec))));
  }

  /** Tells every process to start draining. */
  async start(): Promise<void> {
    await Promise.all(this.members.map((m) => writeLine(m.stdin, "start")));
  }

  /** Messages handled so far, over all processes (as of their last progress line). */
  get handled(): number {
    return this.members.reduce((n, m) => n + m.handled, 0);
  }

  /** Stops every process cleanly and merges their reports. */
  async stop(): Promise<ProbeReport> {
    await Promise.all(this.members.map((m) => writeLine(m.stdin, "stop")));
    const reports = await Promise.all(this.members.map((m) => m.report));
    await Promise.all(this.members.map((m) => m.child.status));
    return {
      handled: reports.reduce((n, r) => n + r.handled, 0),
      violations: reports.reduce((n, r) => n + r.violations, 0),
      latencies: reports.flatMap((r) => r.latencies),
    };
  }
}
