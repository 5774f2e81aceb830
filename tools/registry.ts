/**
 * The tool registry (spec 04 §4): every tool by dotted name, the one destructive list, the
 * LLM-hidden list and the profiles. A duplicate name fails at import.
 *
 * @module
 */
import { catalogTools, promoTools } from "./catalog.ts";
import { customerTools } from "./customer.ts";
import { inventoryTools, portRequestTools } from "./inventory.ts";
import { opsTools, scenarioVerbs } from "./ops.ts";
import { orderTools, provisioningTools, somTools } from "./order.ts";
import { paymentTools } from "./payment.ts";
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
];

/** The scenario-only verbs (spec 04 §9.3): CLI and scenario runner, never an LLM. */
export const SCENARIO_VERBS: readonly Tool[] = scenarioVerbs;

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

/** A tool or scenario verb by its dotted name. */
export function toolNamed(name: string): Tool | undefined {
  return BY_NAME.get(name);
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
    "customer.attest_kyc with a provider other than prebaked",
    "real providers (didit) attest through their own verification flow, which is not built",
  ],
  [
    "order.create discount_code",
    "the order service takes no promotion code yet, so the argument is not offered",
  ],
  [
    "knowledge.search, knowledge.get",
    "the knowledge (doc-RAG) index is not built",
  ],
  [
    "subscription.list_mine, subscription.get_mine, subscription.get_balance_mine, " +
    "subscription.get_lpa_mine, usage.history_mine, customer.get_mine, " +
    "payment.method_list_mine, payment.charge_history_mine, case.list_for_me, " +
    "vas.purchase_for_me, case.open_for_me, subscription.schedule_plan_change_mine, " +
    "subscription.cancel_pending_plan_change_mine, subscription.terminate_mine",
    "the customer self-serve wrappers need the agent's ownership binding (spec 04 §4.5), " +
    "not built yet",
  ],
];
