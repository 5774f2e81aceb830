/**
 * What a scenario run needs from its surroundings: the tool context its actions call, where
 * relative `http` step URLs go, and the agent that answers `ask` steps (none: they are
 * skipped).
 *
 * @module
 */
import type { ToolContext } from "../../tools/tool.ts";
import type { CookieJar } from "./cookie_jar.ts";

/** One agent turn as an `ask` step sees it. */
export interface AgentTurn {
  /** Names of the tools the turn executed, in order. */
  toolsCalled: string[];
  /** The agent's final reply. */
  reply: string;
}

/** Runs one non-streaming agent turn for `prompt` (docs/cockpit.md §9.3 Ask). */
export type Agent = (prompt: string, timeoutMs: number) => Promise<AgentTurn>;

/**
 * A scenario verb beyond the tool registry (the portal's, which reach its database and pages):
 * called with an action step's interpolated args and the run's cookies; failures throw.
 */
export type ScenarioVerb = (args: Record<string, unknown>, jar: CookieJar) => Promise<unknown>;

/** The surroundings of a run. */
export interface RunEnv {
  tools: ToolContext;
  /** Base of `http` steps without `base_url` (the self-serve portal). */
  httpBaseUrl: string;
  /** Absent when no LLM is configured: `ask` steps are then reported as skipped. */
  agent?: Agent;
  /** Verbs an `action` may name besides the registry's tools; they win over a same-named tool. */
  verbs?: Readonly<Record<string, ScenarioVerb>>;
  /** Where a URL a file names is served in this run (`ports.ts`); unchanged by default. */
  relocate?: (url: URL) => URL;
}

/** A step's outcome when it did not fail (failures are thrown). */
export interface StepDone {
  status: "PASS" | "SKIP";
  detail: string;
}

/** Thrown by a step that did not hold. */
export class StepFailed extends Error {
  override name = "StepFailed";
}

/**
 * Thrown by a step that cannot run here (a portal chat turn with no model configured): it and
 * the steps after it, which build on what it would have done, are reported skipped.
 */
export class StepSkipped extends Error {
  override name = "StepSkipped";
}
