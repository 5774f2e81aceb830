/**
 * `bss scenario validate PATH… | list [DIR] | run PATH [--no-llm|--via-llm] [--live] |
 * run-all [DIR] [--no-llm] [--tag T] [--skip-tag T] [--live]` (docs/cockpit.md §9.4).
 * Scenarios run in a sandbox of their own (`sandbox.ts`) unless `--live` is given, which runs
 * them against the running services and is refused unless that system allows admin reset.
 * They act as `scenario:<name>` on channel `scenario`. Exit codes: 0 all good; 1 a file is
 * invalid (validate), a scenario failed or the sandbox could not start; 2 a bad command line or
 * an invalid file given to run / run-all (nothing runs then); 4 `--live` refused.
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import { EXIT } from "../exit.ts";
import { localCaller, withCaller } from "../../kernel/context.ts";
import { serviceUrl } from "../../http/service_client.ts";
import { SERVICES } from "../../http/services.ts";
import { mailboxPath } from "../../portal/settings.ts";
import type { ServiceName } from "../../http/services.ts";
import { toolContext } from "../../tools/context.ts";
import type { RunEnv } from "./env.ts";
import { portalVerbs } from "./portal_verbs.ts";
import { atRunPorts } from "./ports.ts";
import { scenarioAgent } from "./step_ask.ts";
import { type Loaded, loadScenario, scenarioFiles } from "./load.ts";
import { invalidReport, scenarioFooter, scenarioHeader, stepRow, summary } from "./report.ts";
import { runScenario, type ScenarioOutcome } from "./run.ts";
import { openSandbox } from "./sandbox.ts";
import type { Scenario } from "./schema.ts";

/** Where the command writes, a line at a time (so long runs show progress). */
export interface ScenarioIo {
  out(line: string): void;
  err(line: string): void;
}

/** What the command runs with. */
export interface ScenarioCommandOptions {
  /** The configuration, or how to load it (only run and run-all need it). */
  config: Config | (() => Config);
}

/** The self-serve portal's port before `BSS_PORT_OFFSET`: where relative http steps go. */
const PORTAL_SELF_SERVE_PORT = 9001;

/** The usage text of `bss scenario`. */
export const SCENARIO_USAGE = [
  "usage: bss scenario validate PATH…",
  "       bss scenario list [DIR]                       (default DIR: scenarios)",
  "       bss scenario run PATH [--no-llm | --via-llm] [--live]",
  "       bss scenario run-all [DIR] [--no-llm] [--tag TAG] [--skip-tag TAG] [--live]",
  "",
  "run and run-all use a sandbox: a fresh database on the instance's Postgres with its own",
  "clock and services, dropped afterwards. --live runs against the running system instead",
  "(resets and clock moves included) and is refused unless it allows admin reset.",
  "",
  "examples:",
  "  bss scenario validate scenarios/*.yaml",
  "  bss scenario run scenarios/signup.yaml",
  "  bss scenario run-all scenarios --tag lifecycle",
  "  bss scenario run-all scenarios --skip-tag race   (leave out scenarios that race on purpose)",
];

interface Parsed {
  verb: string;
  paths: string[];
  noLlm: boolean;
  viaLlm: boolean;
  tags: string[];
  skipTags: string[];
  help: boolean;
  live: boolean;
}

function parse(argv: readonly string[]): Parsed | string {
  const parsed: Parsed = {
    verb: "",
    paths: [],
    noLlm: false,
    viaLlm: false,
    tags: [],
    skipTags: [],
    help: false,
    live: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--no-llm") parsed.noLlm = true;
    else if (arg === "--via-llm") parsed.viaLlm = true;
    else if (arg === "--live") parsed.live = true;
    else if (arg === "--help" || arg === "-h") parsed.help = true;
    else if (arg === "--tag" || arg.startsWith("--tag=")) {
      const tag = arg === "--tag" ? argv[++i] : arg.slice("--tag=".length);
      if (!tag) return "--tag needs a value";
      parsed.tags.push(tag);
    } else if (arg === "--skip-tag" || arg.startsWith("--skip-tag=")) {
      const tag = arg === "--skip-tag" ? argv[++i] : arg.slice("--skip-tag=".length);
      if (!tag) return "--skip-tag needs a value";
      parsed.skipTags.push(tag);
    } else if (arg.startsWith("--")) return `unknown option ${arg}`;
    else if (!parsed.verb) parsed.verb = arg;
    else parsed.paths.push(arg);
  }
  return parsed;
}

/** The run environment of one scenario: clients, the portal base, the agent if a model is set. */
function runEnv(config: Config): { env: RunEnv; seed: Record<string, unknown> } {
  // `<service>_url` variables let http steps reach any service wherever it runs.
  const seed: Record<string, unknown> = Object.fromEntries(
    (Object.keys(SERVICES) as ServiceName[]).map((
      name,
    ) => [`${name.replaceAll("-", "_")}_url`, serviceUrl(config, name)]),
  );
  // The portal's dev mailbox: `file` steps read sign-in and step-up codes from it.
  seed.portal_mailbox = mailboxPath(config);
  const httpBaseUrl = `http://${config.BSS_HOST}:${
    PORTAL_SELF_SERVE_PORT + config.BSS_PORT_OFFSET
  }`;
  const tools = toolContext(config, "scenario");
  const verbs = portalVerbs(config, httpBaseUrl);
  const relocate = (url: URL) => atRunPorts(url, config);
  return {
    env: { tools, httpBaseUrl, agent: scenarioAgent(config, tools), verbs, relocate },
    seed,
  };
}

/** `--no-llm`: the configuration with no model, so `ask` steps are skipped (and say so). */
function withoutModel(config: Config, noLlm: boolean): Config {
  return noLlm
    ? { ...config, BSS_LLM_BASE_URL: undefined, BSS_LLM_FIXTURE_PATH: undefined }
    : config;
}

/** Runs one scenario, printing its rows as they end, then its footer. */
async function runOne(
  loaded: Extract<Loaded, { ok: true }>,
  config: Config,
  io: ScenarioIo,
): Promise<ScenarioOutcome> {
  const { scenario } = loaded;
  const { env, seed } = runEnv(config);
  io.out(scenarioHeader(scenario.name, loaded.path).join("\n"));
  let index = 0;
  const outcome = await withCaller(
    localCaller(`scenario:${scenario.name}`, "scenario"),
    () => runScenario(scenario, env, (step) => io.out(stepRow(index++, step)), seed),
  );
  io.out(scenarioFooter(outcome, scenario.steps.length).join("\n"));
  return outcome;
}

/** Loads every path; prints the problems of the invalid ones; the valid ones, or none. */
async function loadAll(
  paths: string[],
  io: ScenarioIo,
): Promise<Extract<Loaded, { ok: true }>[] | undefined> {
  const loaded = await Promise.all(paths.map(loadScenario));
  const bad = loaded.filter((l) => !l.ok);
  for (const l of bad) io.err(invalidReport(l).join("\n"));
  return bad.length ? undefined : loaded as Extract<Loaded, { ok: true }>[];
}

/** Runs one `bss scenario …` command line; returns the exit code. */
export async function runScenarioCommand(
  argv: readonly string[],
  io: ScenarioIo,
  options: ScenarioCommandOptions,
): Promise<number> {
  const parsed = parse(argv);
  if (typeof parsed === "string" || !parsed.verb || parsed.help) {
    if (typeof parsed === "string") io.err(`bss scenario: ${parsed}`);
    const help = typeof parsed !== "string" && parsed.help;
    SCENARIO_USAGE.forEach((l) => help ? io.out(l) : io.err(l));
    return help ? 0 : 2;
  }
  const { verb, paths } = parsed;
  const config = () => typeof options.config === "function" ? options.config() : options.config;
  switch (verb) {
    case "validate": {
      if (!paths.length) return usageError(io, "validate needs at least one PATH");
      let bad = 0;
      for (const loaded of await Promise.all(paths.map(loadScenario))) {
        if (loaded.ok) io.out(`✓ ${loaded.path}  ${loaded.scenario.name}`);
        else {
          bad++;
          io.out(invalidReport(loaded).join("\n"));
        }
      }
      return bad ? 1 : 0;
    }
    case "list": {
      const files = await filesOf(paths[0] ?? "scenarios", io);
      if (!files) return 2;
      for (const loaded of await Promise.all(files.map(loadScenario))) {
        io.out(
          loaded.ok
            ? [
              loaded.path,
              loaded.scenario.name,
              loaded.scenario.tags.join(",") || "-",
              `${loaded.scenario.steps.length} steps`,
            ].join("  ·  ")
            : `${loaded.path}  ·  INVALID`,
        );
      }
      return 0;
    }
    case "run": {
      if (paths.length !== 1) return usageError(io, "run takes exactly one PATH");
      if (parsed.noLlm && parsed.viaLlm) {
        return usageError(io, "--no-llm and --via-llm are exclusive");
      }
      const loaded = await loadAll(paths, io);
      if (!loaded) return 2;
      return await within(
        withoutModel(config(), parsed.noLlm),
        parsed.live,
        io,
        async (cfg) => (await runOne(loaded[0], cfg, io)).passed ? 0 : 1,
      );
    }
    case "run-all": {
      if (paths.length > 1) return usageError(io, "run-all takes at most one DIR");
      const files = await filesOf(paths[0] ?? "scenarios", io);
      if (!files) return 2;
      const loaded = await loadAll(files, io);
      if (!loaded) return 2;
      const selected = loaded.filter((l) =>
        hasTags(l.scenario, parsed.tags) &&
        !parsed.skipTags.some((t) => l.scenario.tags.includes(t))
      );
      if (!selected.length) {
        io.err(`no scenario in ${paths[0] ?? "scenarios"} matches ${parsed.tags.join(", ")}`);
        return 1;
      }
      return await within(withoutModel(config(), parsed.noLlm), parsed.live, io, async (cfg) => {
        const rows = [];
        for (const l of selected) {
          rows.push({ outcome: await runOne(l, cfg, io), total: l.scenario.steps.length });
        }
        io.out(summary(rows).join("\n"));
        return rows.every((r) => r.outcome.passed) ? 0 : 1;
      });
    }
    default:
      return usageError(io, `unknown verb ${verb}`);
  }
}

/**
 * Runs `work` against the live system (`--live`, only where admin reset is allowed) or in a
 * sandbox opened for it and torn down after; returns its exit code.
 */
async function within(
  config: Config,
  live: boolean,
  io: ScenarioIo,
  work: (config: Config) => Promise<number>,
): Promise<number> {
  if (live) {
    if (!config.BSS_ALLOW_ADMIN_RESET) {
      io.err(
        "bss scenario: --live is refused: this system does not allow admin reset " +
          "(BSS_ALLOW_ADMIN_RESET); run without --live to use a sandbox",
      );
      return EXIT.refused;
    }
    io.out("live: running against the system itself (its data and clock will change)");
    return await work(config);
  }
  let sandbox;
  try {
    sandbox = await openSandbox(config);
  } catch (e) {
    io.err(`bss scenario: the sandbox did not start: ${(e as Error).message}`);
    return 1;
  }
  io.out(`sandbox: database ${sandbox.database}, its own clock; dropped after the run`);
  try {
    return await work(sandbox.config);
  } finally {
    await sandbox.stop();
  }
}

/** A scenario carries every tag asked for. */
function hasTags(scenario: Scenario, tags: string[]): boolean {
  return tags.every((t) => scenario.tags.includes(t));
}

async function filesOf(dir: string, io: ScenarioIo): Promise<string[] | undefined> {
  try {
    return await scenarioFiles(dir);
  } catch (e) {
    io.err(`bss scenario: cannot read ${dir}: ${(e as Error).message}`);
    return undefined;
  }
}

function usageError(io: ScenarioIo, message: string): number {
  io.err(`bss scenario: ${message}`);
  SCENARIO_USAGE.forEach((l) => io.err(l));
  return 2;
}
