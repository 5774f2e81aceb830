/**
 * `bss trace for-order ORD-… | for-subscription SUB-… | for-ask | get <trace id>` with `--json`,
 * `--width N` and `--show-sql`:
 * finds a trace in the span store (or Jaeger, when `BSS_JAEGER_QUERY_URL` is set) and prints
 * its swimlane (or, with `--json`, its facts and spans). `for-order` draws the order's
 * placement trace and lists its other traces (creation, a resolve, a cancel) after it. Exit
 * codes (`cockpit/exit.ts`): 0 printed, 1 Jaeger failed, 2 bad command line, 3 no such id.
 *
 * Runnable on its own: `deno run -A cockpit/trace/command.ts for-order ORD-0001`.
 *
 * @module
 */
import { boot } from "../../kernel/boot.ts";
import { type Config, processEnv } from "../../kernel/config.ts";
import { withInstance } from "../../kernel/instance.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { JaegerError } from "../../kernel/telemetry/jaeger.ts";
import {
  type SpanSource,
  spanSource,
  traceForAsk,
  traceForOrder,
  traceForSubscription,
  traceGet,
  type TraceView,
} from "../../kernel/telemetry/traces.ts";
import { EXIT } from "../exit.ts";
import { NOT_RUNNING, notRunningHere } from "../running.ts";
import { renderSwimlane } from "./swimlane.ts";

/** Options of {@link runTraceCommand} (tests). */
export interface TraceCommandOptions {
  /** Environment to read instead of the process's. */
  env?: Record<string, string | undefined>;
  /** The configuration already loaded, or how to load it (wins over `env`). */
  config?: Config | (() => Config);
  /** Where output goes (default stdout / stderr). */
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** Colour the swimlane (default: stdout is a terminal and NO_COLOR is unset). */
  color?: boolean;
  /** Nothing runs here and no database is named: say so, open nothing (`cockpit/running.ts`). */
  notRunning?: boolean;
}

const USAGE =
  "Usage: bss trace for-order ORD-… | for-subscription SUB-… | for-ask | get <trace id>\n" +
  "         [--json] [--width N] [--show-sql]\n" +
  "       bss trace services [--window 1h] [--json | --format card|plain]  (per-service figures)";
const FALLBACK_WIDTH = 120;

const LOOKUPS: Record<
  string,
  (sql: Sql, spans: SpanSource, id: string) => Promise<TraceView | null>
> = {
  "for-order": traceForOrder,
  "for-subscription": traceForSubscription,
  get: (_, spans, id) => traceGet(spans, id),
  // The latest agent turn (`bss ask`, the cockpit): no id.
  "for-ask": (sql, spans) => traceForAsk(sql, spans),
};

interface Parsed {
  verb: string;
  id: string;
  json: boolean;
  showSql: boolean;
  width?: number;
}

function parse(argv: string[]): Parsed | string {
  const positional: string[] = [];
  let json = false;
  let showSql = false;
  let width: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") json = true;
    else if (arg === "--show-sql") showSql = true;
    else if (arg === "--width" || arg.startsWith("--width=")) {
      const value = arg === "--width" ? argv[++i] : arg.slice("--width=".length);
      width = Number(value);
      if (!Number.isInteger(width) || width < 1) {
        return `--width wants a whole number, not "${value}"`;
      }
    } else if (arg.startsWith("-")) return `unknown option ${arg}`;
    else positional.push(arg);
  }
  const [verb, id, ...extra] = positional;
  if (!verb || !(verb in LOOKUPS)) return verb ? `unknown command "${verb}"` : "missing command";
  if (!id && verb !== "for-ask") return `${verb} needs an id`;
  if (extra.length) return `unexpected argument "${extra[0]}"`;
  return { verb, id: id ?? "", json, showSql, width };
}

function terminalWidth(): number {
  try {
    return Deno.stdout.isTerminal() ? Deno.consoleSize().columns : FALLBACK_WIDTH;
  } catch {
    return FALLBACK_WIDTH;
  }
}

/** Runs one `bss trace …` command line; resolves to the exit code. */
export async function runTraceCommand(
  argv: string[],
  options: TraceCommandOptions = {},
): Promise<number> {
  const out = options.out ?? ((text: string) => console.log(text));
  const err = options.err ?? ((text: string) => console.error(text));
  if (argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    out(USAGE);
    return 0;
  }
  const parsed = parse(argv);
  if (typeof parsed === "string") {
    err(`trace: ${parsed}\n${USAGE}`);
    return EXIT.usage;
  }
  if (options.notRunning) {
    err(NOT_RUNNING);
    return EXIT.failure;
  }
  const config = typeof options.config === "function" ? options.config() : options.config;
  const booted = await boot({ env: options.env, config, serviceName: "cli" });
  try {
    const { sql } = booted.db;
    let view;
    try {
      view = await LOOKUPS[parsed.verb](sql, spanSource(booted.config, sql), parsed.id);
    } catch (e) {
      if (!(e instanceof JaegerError)) throw e;
      err(`trace: ${e.message}`);
      return EXIT.failure;
    }
    if (!view) {
      err(`NOT_FOUND ${parsed.id || "agent turn"}: no traced event of it in the audit log`);
      return EXIT.notFound;
    }
    if (!view.spans.length) {
      err(`NOT_FOUND trace ${view.facts.traceId}: no spans stored (kept for 72 h by default)`);
      return EXIT.notFound;
    }
    if (parsed.json) out(JSON.stringify(view, null, 2));
    else {
      const swimlane = renderSwimlane(view.spans, {
        width: parsed.width ?? terminalWidth(),
        showSql: parsed.showSql,
        color: options.color ?? (Deno.stdout.isTerminal() && !Deno.noColor),
      });
      const others = (view.others ?? []).map((t) =>
        `  ${t.traceId}  ${t.occurredAt.toISOString().slice(0, 19)}Z  ${t.eventType}`
      );
      out(
        others.length
          ? `${swimlane}\n\nOther traces of ${parsed.id} (bss trace get <id>):\n${
            others.join("\n")
          }`
          : swimlane,
      );
    }
    return EXIT.ok;
  } finally {
    await booted.shutdown();
  }
}

if (import.meta.main) {
  Deno.exit(
    await runTraceCommand(Deno.args, {
      env: withInstance(processEnv()),
      notRunning: notRunningHere(processEnv(), { database: true }),
    }),
  );
}
