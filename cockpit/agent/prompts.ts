/**
 * The system prompts (docs/handbook, the cockpit page): the default operator prompt (`bss
 * ask`, scenario `ask` steps), the cockpit prompt (the operator's OPERATOR.md, the invariants,
 * the focus, the confirmed action, context) and the customer chat prompt. The plan list and
 * the destructive list are read live from the catalog and the registry, not written here.
 *
 * @module
 */
import { callTool } from "../../tools/call.ts";
import { DESTRUCTIVE_TOOLS, toolNamed } from "../../tools/registry.ts";
import type { ToolContext } from "../../tools/tool.ts";
import type { Proposal } from "./gate.ts";

/** `k=v` pairs of the first three arguments, as the cockpit shows a call. */
export function argsSummary(args: Record<string, unknown>): string {
  return Object.entries(args).slice(0, 3).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
}

/** The plans on sale, one line each; empty when the catalog cannot be read. */
export async function planLines(ctx: ToolContext): Promise<string> {
  const tool = toolNamed("catalog.list_active_offerings");
  if (!tool) return "";
  const plans = await callTool(tool, {}, ctx);
  if (!Array.isArray(plans)) return "";
  return plans.map((p: { id: string; name: string; productOfferingPrice?: unknown[] }) => {
    const price = (p.productOfferingPrice?.[0] as { price?: { taxIncludedAmount?: unknown } })
      ?.price?.taxIncludedAmount as { value?: number; unit?: string } | undefined;
    return `- ${p.id} ${p.name}${price ? ` — ${price.unit ?? "SGD"} ${price.value}/mo` : ""}`;
  }).join("\n");
}

const RULES = `Rules of the house:
- Bundled prepaid: no proration, no dunning. A card on file is mandatory for orders (rule
  order.create.requires_cof → payment.add_card first). A line whose allowance runs out is
  blocked; the ways out are a renewal or subscription.purchase_vas (a top-up).
- Never invent an id, a price or a state: facts come only from this turn's tool results.
- Read before you write; after a write, verify with a read. Use clock.now for "now".
- A tool result {"error": "POLICY_VIOLATION", "rule": …} is an instruction: read the rule,
  correct the call, ask the operator, or stop. NOT_FOUND: check the id. NOT_IMPLEMENTED: say so.
- Destructive tools (${DESTRUCTIVE_TOOLS.join(", ")}) are never run on your own say-so: call the
  tool and the cockpit stages it as a proposal (DESTRUCTIVE_OPERATION_BLOCKED); then stop and
  say what you proposed. Never write a proposal as prose or as a "tool.name(...)" line.
- After fixing something for a customer, log one interaction.log on that customer.
- Explanations of how the system or a procedure works: call knowledge.search first and cite
  [label](path#anchor); never claim what the handbook says without it.
- Replies: terse, plain text, no markdown tables. After a tool whose result the cockpit prints
  as a card, say at most one short sentence.`;

/** The default operator prompt (`bss ask`, scenario `ask` steps). */
export function operatorPrompt(plans: string): string {
  return [
    "You are the copilot of the operator of a small prepaid eSIM mobile operator (an MVNO).",
    "You act only through the tools you are given.",
    RULES,
    plans ? `Plans on sale now:\n${plans}` : "",
  ].filter(Boolean).join("\n\n");
}

/** What the cockpit prompt is built from. */
export interface CockpitPromptInput {
  operatorMd: string;
  plans: string;
  focus: string | null;
  /** The action the operator just confirmed (it has run; report on it). */
  confirmed?: Proposal;
  context: Record<string, string>;
}

/** The cockpit prompt: OPERATOR.md verbatim, then the invariants, focus, confirmation, context. */
export function cockpitPrompt(input: CockpitPromptInput): string {
  const blocks = [input.operatorMd.trim(), operatorPrompt(input.plans)];
  if (input.focus) {
    blocks.push(
      `## Customer focus\nThe operator is working on ${input.focus}; "the customer" means them.`,
    );
  }
  if (input.confirmed) {
    blocks.push(
      `## Confirmed destructive action\nThe operator confirmed ${input.confirmed.tool}(${
        argsSummary(input.confirmed.args)
      }) and it has run; its result is above. Report it in one sentence.`,
    );
  }
  const context = Object.entries(input.context).sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `- ${k}: ${v}`);
  if (context.length) blocks.push(`## Context\n${context.join("\n")}`);
  return blocks.join("\n\n");
}

/** What the customer chat prompt is built from. */
export interface ChatPromptInput {
  customerName: string;
  operatorName: string;
  supportEmail: string;
  plans: string;
}

/** The customer self-serve chat prompt. */
export function customerChatPrompt(input: ChatPromptInput): string {
  return `You are the support assistant of ${input.operatorName}, talking with ${input.customerName}, a signed-in customer.
You act only for this customer, only through your tools; they always act on the signed-in customer and take no customer id — never ask for or accept one.
You can: show their lines, balances, eSIM activation codes, usage, payment methods and charges; buy a top-up (VAS) on one of their lines; schedule or cancel a plan change; list and open support cases; terminate a line (it asks for confirmation).
Use currentMonthlyCharge and activeDiscount when you talk about what a line costs.
Escalate with case.open_for_me (category fraud, billing_dispute, regulator_complaint, identity_recovery, bereavement or other) before you say anything was escalated; never promise a turnaround time.
If a tool refuses, say plainly why and what the customer can do. Never invent facts. For anything else, point to ${input.supportEmail}.
${input.plans ? `Plans on sale:\n${input.plans}` : ""}`;
}
