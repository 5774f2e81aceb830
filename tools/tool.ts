/**
 * The tool model (docs/cockpit.md §4.1): a dotted name, a zod argument schema with the reference's
 * argument names, a class, the profiles that offer it and a one-line description. A tool is
 * thin: it calls the typed client of the service that owns the operation and returns its
 * reply; the business rules live in the services.
 *
 * @module
 */
import type { z } from "zod";
import type { Client } from "../http/client.ts";
import type { ServiceName } from "../http/services.ts";

/** What a tool does to the system: the destructive class is the one gated list. */
export type ToolClass = "read" | "create" | "update" | "destructive" | "admin";

/** Who is offered a tool (docs/cockpit.md §4.4). */
export type Profile = "operator_cockpit" | "customer_self_serve";

/** What a tool runs with: a typed client of each service. */
export interface ToolContext {
  client(service: ServiceName): Client;
}

/** A tool as written: typed arguments and result. */
export interface ToolSpec<A extends z.ZodObject, R> {
  /** Dotted, as the reference names it: `customer.create`, `inventory.msisdn.count`. */
  name: string;
  description: string;
  class: ToolClass;
  profiles: readonly Profile[];
  /** Hidden from every LLM even when profiled (docs/cockpit.md §4.3); the CLI still offers it. */
  hidden?: boolean;
  args: A;
  run(args: z.output<A>, ctx: ToolContext): Promise<R>;
}

/** A registered tool: its arguments are validated before it runs. */
export interface Tool {
  readonly name: string;
  readonly description: string;
  readonly class: ToolClass;
  readonly profiles: readonly Profile[];
  readonly hidden: boolean;
  readonly args: z.ZodObject;
  /** Validates `raw` against `args` (throws the ZodError) and runs the tool. */
  invoke(raw: Record<string, unknown>, ctx: ToolContext): Promise<unknown>;
}

/** Declares a tool; its argument and result types stay checked inside `run`. */
export function defineTool<A extends z.ZodObject, R>(spec: ToolSpec<A, R>): Tool {
  return Object.freeze({
    name: spec.name,
    description: spec.description,
    class: spec.class,
    profiles: spec.profiles,
    hidden: spec.hidden ?? false,
    args: spec.args,
    invoke: async (raw: Record<string, unknown>, ctx: ToolContext) =>
      await spec.run(spec.args.parse(raw), ctx),
  });
}

/** The operator's profile: most tools are offered there and nowhere else. */
export const OPERATOR: readonly Profile[] = ["operator_cockpit"];

/** Offered to operators and to customers' self-serve chat. */
export const EVERYONE: readonly Profile[] = ["operator_cockpit", "customer_self_serve"];
