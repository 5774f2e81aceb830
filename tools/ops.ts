/**
 * Operations tools (docs/cockpit.md §4.2 ops): the BSS clock, the event log, the agent roster. Plus
 * the scenario-only verbs of docs/cockpit.md §9.3 (clock control, audit queries by identity), which
 * no LLM profile offers: only the CLI and the scenario runner call them.
 *
 * @module
 */
import { z } from "zod";
import { AGENT_STATUSES } from "../actors/crm/vocab.ts";
import {
  clockAdvance,
  clockFreeze,
  clockNow,
  clockReset,
  clockUnfreeze,
} from "../http/admin/clock.ts";
import { resetOperationalData } from "../http/admin/reset.ts";
import { auditEvents } from "../http/audit/events.ts";
import {
  traceForOrderRoute,
  traceForSubscriptionRoute,
  traceGetRoute,
  traceServicesRoute,
  TraceWindow,
} from "../http/audit/traces.ts";
import { listAgents } from "../http/crm/agents.ts";
import { Instant, limit } from "./args.ts";
import { defineTool, OPERATOR, type Tool } from "./tool.ts";

// The clock is shared through Postgres: any service moves it for all, so one is asked.
// The audit log is shared too; CRM serves it.

/** The ops tools. */
export const opsTools: Tool[] = [
  defineTool({
    name: "trace.for_order",
    description: "The latest trace of an order: span, service and error counts, total ms",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ order_id: z.string().trim().min(1) }),
    run: (a, ctx) =>
      ctx.client("com").call(traceForOrderRoute, { params: { orderId: a.order_id } }),
  }),
  defineTool({
    name: "trace.for_subscription",
    description: "The latest trace of a subscription: span, service and error counts",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ subscription_id: z.string().trim().min(1) }),
    run: (a, ctx) =>
      ctx.client("subscription").call(traceForSubscriptionRoute, {
        params: { subscriptionId: a.subscription_id },
      }),
  }),
  defineTool({
    name: "trace.get",
    description: "A trace's facts by its 32-hex trace id",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ trace_id: z.string().regex(/^[0-9a-f]{32}$/) }),
    run: (a, ctx) => ctx.client("com").call(traceGetRoute, { params: { traceId: a.trace_id } }),
  }),
  defineTool({
    name: "trace.services",
    description:
      "Per service over a recent window: traces, spans, error spans, p50/p99 ms of what it handled",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      window: TraceWindow.default("1h").describe("How far back from now: 15m, 1h, 2d"),
    }),
    run: (a, ctx) => ctx.client("com").call(traceServicesRoute, { query: { window: a.window } }),
  }),
  defineTool({
    name: "clock.now",
    description: "The BSS clock: now, and whether it is frozen or offset",
    class: "read",
    profiles: OPERATOR,
    args: z.object({}),
    run: (_, ctx) => ctx.client("crm").call(clockNow),
  }),
  defineTool({
    name: "events.list",
    description: "Domain events from the audit log, oldest first",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      aggregate_type: z.string().trim().min(1).optional(),
      aggregate_id: z.string().trim().min(1).optional(),
      since: Instant.optional(),
      limit: limit(50),
    }),
    run: async (a, ctx) => {
      const { events } = await ctx.client("crm").call(auditEvents, {
        query: {
          aggregateType: a.aggregate_type,
          aggregateId: a.aggregate_id,
          occurredSince: a.since,
          limit: a.limit,
        },
      });
      return events;
    },
  }),
  defineTool({
    name: "agents.list",
    description: "Support agents, optionally by state",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      // The reference says inactive where the CRM says terminated.
      state: z.enum([...AGENT_STATUSES, "inactive"]).transform((s) =>
        s === "inactive" ? "terminated" : s
      ).optional(),
    }),
    run: ({ state }, ctx) => ctx.client("crm").call(listAgents, { query: { status: state } }),
  }),
];

const ByIdentity = z.object({
  service_identity: z.string().trim().min(1).describe(
    "The API token identity, e.g. operator_cli; `default` is the reference's one token",
  ),
  aggregate_type: z.string().trim().min(1).optional(),
  aggregate_id: z.string().trim().min(1).optional(),
  event_type_prefix: z.string().trim().min(1).optional(),
  limit: limit(200),
});

/**
 * What the reference's `default` identity stands for here: its one token served the operator's
 * tools and the services' own hops, which are `operator_cli` and `service` here (kernel/tokens.ts),
 * beside `default` itself. Files written for the reference ask for `default`.
 */
const REFERENCE_DEFAULT = ["default", "operator_cli", "service"];

/** The audit query both identity verbs make. */
function byIdentity(a: z.output<typeof ByIdentity>) {
  return {
    query: {
      serviceIdentity: a.service_identity === "default"
        ? REFERENCE_DEFAULT.join(",")
        : a.service_identity,
      aggregateType: a.aggregate_type,
      aggregateId: a.aggregate_id,
      eventTypePrefix: a.event_type_prefix,
      limit: a.limit,
    },
  };
}

const RESET_ORDER = [
  "mediation",
  "subscription",
  "som",
  "com",
  "provisioning-sim",
  "payment",
  "crm",
] as const;

/**
 * The scenario-only verbs, in no profile. Resetting data and moving the clock are
 * destructive (the CLI asks for --allow-destructive); the audit queries are admin reads.
 */
export const scenarioVerbs: Tool[] = [
  defineTool({
    name: "admin.reset_operational_data",
    description: "Clear operational data on every service (reference data kept); needs " +
      "BSS_ALLOW_ADMIN_RESET",
    class: "destructive",
    profiles: [],
    args: z.object({
      reset_sequences: z.boolean().default(false)
        .describe("Also restart the id sequences (the next order is ORD-0001 again)"),
    }),
    run: async ({ reset_sequences }, ctx) => {
      const results = [];
      const query = { reset_sequences: reset_sequences ? "true" as const : undefined };
      // The reference's fan-out order: downstream services first, CRM (and the pools) last.
      for (const service of RESET_ORDER) {
        results.push(await ctx.client(service).call(resetOperationalData, { query }));
      }
      return results;
    },
  }),
  defineTool({
    name: "clock.freeze",
    description: "Freeze the BSS clock at `at` (default now); needs BSS_ALLOW_ADMIN_RESET",
    class: "destructive",
    profiles: [],
    args: z.object({ at: Instant.optional() }),
    run: ({ at }, ctx) => ctx.client("crm").call(clockFreeze, { body: { at } }),
  }),
  defineTool({
    name: "clock.unfreeze",
    description: "Let the BSS clock run again; needs BSS_ALLOW_ADMIN_RESET",
    class: "destructive",
    profiles: [],
    args: z.object({}),
    run: (_, ctx) => ctx.client("crm").call(clockUnfreeze),
  }),
  defineTool({
    name: "clock.advance",
    description: "Move the BSS clock forward (e.g. 30d, 2h); needs BSS_ALLOW_ADMIN_RESET",
    class: "destructive",
    profiles: [],
    args: z.object({ duration: z.string().trim().min(1).describe("e.g. 30d, 2h, 15m, 90s") }),
    run: ({ duration }, ctx) => ctx.client("crm").call(clockAdvance, { body: { duration } }),
  }),
  defineTool({
    name: "clock.reset",
    description: "Put the BSS clock back to wall time (no offset, not frozen); needs " +
      "BSS_ALLOW_ADMIN_RESET",
    class: "destructive",
    profiles: [],
    args: z.object({}),
    run: (_, ctx) => ctx.client("crm").call(clockReset),
  }),
  defineTool({
    name: "audit.events_by_identity",
    description: "Domain events written under one service identity, oldest first",
    class: "admin",
    profiles: [],
    args: ByIdentity,
    run: async (a, ctx) => (await ctx.client("crm").call(auditEvents, byIdentity(a))).events,
  }),
  defineTool({
    name: "audit.count_by_identity",
    description: "How many domain events one service identity wrote",
    class: "admin",
    profiles: [],
    args: ByIdentity,
    run: async (a, ctx) => {
      const { count } = await ctx.client("crm").call(auditEvents, byIdentity(a));
      return { identity: a.service_identity, count };
    },
  }),
];
