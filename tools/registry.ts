/**
 * The tool registry (docs/cockpit.md §4): every tool by dotted name, the one destructive list, the
 * LLM-hidden list, the profiles and the ownership paths of the customer self-serve tools. A
 * duplicate name or a profile that breaks docs/cockpit.md §4.4's rules fails at import.
 *
 * @module
 */
import { catalogTools, promoTools } from "./catalog.ts";
import { customerTools } from "./customer.ts";
import { inventoryTools, portRequestTools } from "./inventory.ts";
import { knowledgeAdminVerbs, knowledgeTools } from "./knowledge.ts";
import { opsTools, scenarioVerbs } from "./ops.ts";
import { orderTools, provisioningTools, somTools } from "./order.ts";
import { paymentAdminVerbs, paymentTools } from "./payment.ts";
import { selfServeTools } from "./self_serve.ts";
import { subscriptionTools, usageTools } from "./subscription.ts";
import { caseTools, ticketTools } from "./support.ts";
import type { Profile, Tool } from "./tool.ts";

/** Every registered tool, in documentation order. */
export const TOOLS: readonly Tool[] = [
  ...customerTools,
  ...caseTools,
  ...ticketTools,
  ...inventoryTools,
  ...portRequestTools,
  ...catalogTools,
  ...promoTools,
  ...paymentTools,
  ...orderTools,
  ...somTools,
  ...provisioningTools,
  ...subscriptionTools,
  ...usageTools,
  ...opsTools,
  ...knowledgeTools,
  ...selfServeTools,
];

/**
 * The verbs no LLM is offered: the scenario verbs (docs/cockpit.md §9.3) and the operator's knowledge
 * and payment-cutover admin verbs; the CLI and the scenario runner call them.
 */
export const SCENARIO_VERBS: readonly Tool[] = [
  ...scenarioVerbs,
  ...knowledgeAdminVerbs,
  ...paymentAdminVerbs,
];

/** Indexes tools by name; throws on a duplicate. */
function index(tools: readonly Tool[]): ReadonlyMap<string, Tool> {
  const byName = new Map<string, Tool>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`duplicate tool name: ${tool.name}`);
    byName.set(tool.name, tool);
  }
  return byName;
}

const BY_NAME = index([...TOOLS, ...SCENARIO_VERBS]);

/** Names this project gave tools before it took the reference's: old name → tool. */
export const TOOL_ALIASES: Readonly<Record<string, string>> = {
  "som.service_order.get": "service_order.get",
  "som.service_order.list_for_order": "service_order.list_for_order",
  "som.service.get": "service.get",
  "som.service.list_for_subscription": "service.list_for_subscription",
};

/** A tool or scenario verb by its dotted name or an alias of it. */
export function toolNamed(name: string): Tool | undefined {
  return BY_NAME.get(TOOL_ALIASES[name] ?? name);
}

/** The one destructive list (decisions: gate, prompt, CLI and UIs all use it). */
export const DESTRUCTIVE_TOOLS: readonly string[] = TOOLS
  .filter((t) => t.class === "destructive").map((t) => t.name);

/** The tools an LLM may be offered under `profile` (hidden ones never). */
export function toolsFor(profile: Profile): Tool[] {
  return TOOLS.filter((t) => t.profiles.includes(profile) && !t.hidden);
}

/** Tools of the reference left out, and why: listed in docs/TOOLS.md. */
export const NOT_AVAILABLE: ReadonlyArray<readonly [names: string, why: string]> = [
  [
    "customer.attest_kyc with provider didit",
    "didit attests through its own verification flow, which is not built; the other providers " +
    "give the sandbox's simulated attestation",
  ],
  [
    "order.create discount_code",
    "the order service takes no promotion code yet, so the argument is not offered",
  ],
];

/**
 * Where the customer id sits in each customer self-serve tool's result (docs/cockpit.md §4.5): the
 * agent's output trip-wire checks every leaf found there against the bound customer. `[*]`
 * is every element of a list; an empty list means the result names no customer.
 */
export const OWNERSHIP_PATHS: Readonly<Record<string, readonly string[]>> = {
  "catalog.list_vas": [],
  "catalog.list_active_offerings": [],
  "catalog.get_offering": [],
  "subscription.get_balance_mine": [],
  "subscription.get_lpa_mine": [],
  "usage.history_mine": [],
  "subscription.list_mine": ["[*].customerId"],
  "payment.method_list_mine": ["[*].customerId"],
  "payment.card_entry_start_mine": [],
  "payment.card_entry_finish_mine": ["customerId"],
  "payment.charge_history_mine": ["[*].customerId"],
  "case.list_for_me": ["[*].customerId"],
  "subscription.get_mine": ["customerId"],
  "vas.purchase_for_me": ["customerId"],
  "subscription.schedule_plan_change_mine": ["customerId"],
  "subscription.cancel_pending_plan_change_mine": ["customerId"],
  "subscription.terminate_mine": ["customerId"],
  "case.open_for_me": ["customerId"],
  "customer.get_mine": ["id"],
};

/** A customer self-serve wrapper, by its name: `….mine`, `…_mine` or `…_for_me`. */
export function isWrapper(name: string): boolean {
  return /(\.mine|_mine|_for_me)$/.test(name);
}

/** Arguments no wrapper may take: the customer is the bound actor, never an argument. */
const CUSTOMER_ARGUMENTS = ["customer_id", "customer_email", "msisdn"];

/**
 * The profile rules of docs/cockpit.md §4.4 over `tools`, with `ownership` as the ownership paths:
 * (1) every name the ownership paths give is a registered `customer_self_serve` tool (a
 * tool's profiles are on the tool itself, so no other profile data can name an unregistered
 * one); (2) no wrapper takes a customer argument; (3) `operator_cockpit` holds no wrapper;
 * (4) every `customer_self_serve` tool has ownership paths. Throws one error naming every
 * breach; runs on the registry at import.
 */
export function validateProfiles(
  tools: readonly Tool[],
  ownership: Readonly<Record<string, readonly string[]>> = OWNERSHIP_PATHS,
): void {
  const selfServe = tools.filter((t) => t.profiles.includes("customer_self_serve"));
  const offered = new Set(selfServe.map((t) => t.name));
  const breaches = [
    ...Object.keys(ownership).filter((name) => !offered.has(name))
      .map((name) => `${name} has ownership paths but is no registered customer_self_serve tool`),
    ...tools.filter((t) => isWrapper(t.name)).flatMap((t) =>
      Object.keys(t.args.shape).filter((arg) => CUSTOMER_ARGUMENTS.includes(arg))
        .map((arg) => `wrapper ${t.name} takes ${arg}`)
    ),
    ...tools.filter((t) => isWrapper(t.name) && t.profiles.includes("operator_cockpit"))
      .map((t) => `operator_cockpit holds the wrapper ${t.name}`),
    ...selfServe.filter((t) => !Object.hasOwn(ownership, t.name))
      .map((t) => `customer_self_serve tool ${t.name} has no ownership paths`),
  ];
  if (breaches.length) throw new Error(`invalid tool profiles: ${breaches.join("; ")}`);
}

validateProfiles(TOOLS);
