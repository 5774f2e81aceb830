/**
 * How the operator CRM reaches the BSS: through the tool registry (the same tools, policies
 * and audit trail as the CLI and the REPL), with the operator cockpit's named token, as the
 * operator (`BSS_OPERATOR`) on channel `portal-csr`.
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import { withCaller } from "../../kernel/context.ts";
import { toolContext } from "../../tools/context.ts";
import { toolNamed } from "../../tools/registry.ts";
import { keyedContext, REPEATABLE } from "../../tools/repeatable.ts";

/** The CRM's channel on every call. */
export const CHANNEL = "portal-csr";

/** Runs tools as the operator. */
export interface OperatorBss {
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
  return {
    run<T>(name: string, args: Record<string, unknown>, once?: string) {
      const tool = toolNamed(name);
      if (!tool) throw new Error(`portal-csr: no tool ${name}`);
      const keyed = once && REPEATABLE.has(name) ? keyedContext(ctx, `${name}:${once}`) : ctx;
      return withCaller({
        actor: config.BSS_OPERATOR,
        channel: CHANNEL,
        serviceIdentity: "operator_cockpit",
        tenant: "DEFAULT",
        requestId: crypto.randomUUID(),
      }, () => tool.invoke(args, keyed)) as Promise<T>;
    },
  };
}
