/**
 * Calling a tool the way an agent does (docs/cockpit.md §4.1): exceptions never escape, each failure
 * comes back as a result the model can read — `{error: "POLICY_VIOLATION", rule, detail}`,
 * `{error: "NOT_FOUND", detail}`, `{error: "CLIENT_ERROR", status, detail}` (with `code`),
 * `{error: "VALIDATION_ERROR", detail, issues}` for bad arguments, else
 * `{error: "<Type>", detail}`.
 *
 * @module
 */
import { NotFound, PolicyViolation } from "../kernel/errors.ts";
import { HttpError, type Issue } from "../http/errors.ts";
import { invokeOnce } from "./repeatable.ts";
import type { Tool, ToolContext } from "./tool.ts";

/** A failed tool call, as its result. */
export type ToolError =
  | { error: "POLICY_VIOLATION"; rule: string; detail: string }
  | { error: "NOT_FOUND"; detail: string }
  | { error: "CLIENT_ERROR"; status: number; code: string; detail: string; issues?: Issue[] }
  | { error: "VALIDATION_ERROR"; detail: string; issues: Issue[] }
  | { error: string; detail: string };

/** The result of a failed call. */
export function toolError(e: unknown): ToolError {
  if (e instanceof PolicyViolation) {
    return { error: "POLICY_VIOLATION", rule: e.rule, detail: e.message };
  }
  if (e instanceof NotFound) return { error: "NOT_FOUND", detail: e.message };
  if (e instanceof HttpError) {
    const issues = Array.isArray(e.body.issues) ? e.body.issues as Issue[] : undefined;
    const detail = e.status >= 500 ? e.message : e.body.message;
    return {
      error: "CLIENT_ERROR",
      status: e.status,
      code: e.code,
      detail,
      ...issues && { issues },
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.name === "ZodError") {
    const issues = (err as unknown as { issues: Array<{ path: PropertyKey[]; message: string }> })
      .issues.map((i) => ({ path: i.path.map(String), message: i.message }));
    return { error: "VALIDATION_ERROR", detail: "the arguments do not match the tool", issues };
  }
  return { error: err.name, detail: err.message };
}

/**
 * Runs a tool (a keyed write tried again under its key while the services restart, see
 * `tools/repeatable.ts`); a failure is returned, never thrown.
 */
export async function callTool(
  tool: Tool,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<unknown> {
  try {
    return await invokeOnce(tool, args, ctx);
  } catch (e) {
    return toolError(e);
  }
}
