/**
 * What a scenario run needs from its surroundings: the tool context its actions call, where
 * relative `http` step URLs go, and the agent that answers `ask` steps (none: they are
 * skipped).
 *
 * @module
 */
import type { ToolContext } from "../../tools/tool.ts";

/** One agent turn as an `ask` step sees it. */
export interface AgentTurn {
  /** Names of the tools the turn executed, in order. */
  toolsCalled: string[];
  /** The agent's final reply. */
  reply: string;
}

/** Runs one non-streaming agent turn for `prompt` (docs/cockpit.md §9.3 Ask). */
export type Agent = (prompt: string, timeoutMs: number) => Promise<AgentTurn>;

/** The surroundings of a run. */
export interface RunEnv {
  tools: ToolContext;
  /** Base of `http` steps without `base_url` (the self-serve portal). */
  httpBaseUrl: string;
  /** Absent when no LLM is configured: `ask` steps are then reported as skipped. */
  agent?: Agent;
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
