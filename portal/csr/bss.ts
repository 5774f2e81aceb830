/**
 * How the operator CRM reaches the BSS: through the tool registry (the same tools, policies
 * and audit trail as the CLI and the REPL), with the operator cockpit's named token, as the
 * operator (`BSS_OPERATOR`) on channel `portal-csr`.
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import { toolContext } from "../../tools/context.ts";
import type { ToolContext } from "../../tools/tool.ts";
import { runTool } from "../bss.ts";
import { keyedContext, REPEATABLE } from "../../tools/repeatable.ts";

/** The CRM's channel on every call. */
export const CHANNEL = "portal-csr";

/** Runs tools as the operator. */
export interface OperatorBss {
  /** The operator's clients (what the agent's asks run on too). */
  ctx: ToolContext;
  /**
   * Runs tool `name`; refusals and failures throw. With `once` (a form's one-time token), a
   * write that honours an idempotency key (an order, an add-on, a plan change) sends it as its
   * key, so the same form sent twice (a double click) is one operation.
   */
  run<T = unknown>(name: string, args: Record<string, unknown>, once?: string): Promise<T>;
}

/** The CRM's tool runner for `config`. */
export function operatorBss(config: Config): OperatorBss {
  const ctx = toolContext(config, CHANNEL, "operator_cockpit");
  const who = { actor: config.BSS_OPERATOR, channel: CHANNEL, serviceIdentity: "operator_cockpit" };
  return {
    ctx,
    run: <T>(name: string, args: Record<string, unknown>, once?: string) =>
      runTool<T>(
        name,
        args,
        once && REPEATABLE.has(name) ? keyedContext(ctx, `${name}:${once}`) : ctx,
        who,
      ),
  };
}
