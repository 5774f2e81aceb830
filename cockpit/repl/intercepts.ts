/**
 * List intents answered without a model (docs/handbook/cockpit.md): "list customers", "what
 * are the plans", "show VAS", "list numbers", "show port requests", "list orders", "show open
 * cases", "list tickets" call their tool directly and print its card; so does "show customer
 * CUST-0001" (the 360 card), and likewise one subscription, order, case or ticket named by id.
 * First match wins; the patterns are word-bounded and case-insensitive. Orders need a customer:
 * the one named in the line, else the focus; cases and tickets are every customer's unless one is
 * named.
 *
 * @module
 */

/** A recognised list intent: the tool and its arguments, or why it cannot run. */
export type Intercept = { tool: string; args: Record<string, unknown> } | { refusal: string };

const INTENTS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^\s*(list|show)\s+(me\s+|us\s+)?(all\s+|every\s+|the\s+)*customers?\b|\bwho\s+are\s+(the|all|our|my)\s+customers\b/i,
    "customer.list",
  ],
  [
    /^\s*(list|show)\b.*\b(plans|products|offerings)\b|\bwhat\s+(are\s+)?(the\s+)?plans\b|\bproduct\s+catalog\b/i,
    "catalog.list_active_offerings",
  ],
  [
    /^\s*(list|show)\s+(me\s+)?(all\s+|every\s+|the\s+)*(vas|top-?ups?)\b|\bwhat\s+(are\s+)?(the\s+)?(vas|top-?ups)\b/i,
    "catalog.list_vas",
  ],
  [
    /^\s*(list|show)\s+(me\s+|us\s+)?(all\s+|every\s+|the\s+)*(available\s+)?(msisdns?|numbers|inventory)\b/i,
    "inventory.msisdn.list_available",
  ],
  [
    /^\s*(list|show)\b.*\bport\s*(requests?|-?ins?|-?outs?)\b/i,
    "port_request.list",
  ],
  [/^\s*(list|show)\b.*\bcases\b/i, "case.list"],
  [/^\s*(list|show)\b.*\btickets\b/i, "ticket.list"],
  [/^\s*(list|show)\b.*\borders\b/i, "order.list"],
];

/**
 * The support queues (all of them, or one customer's named in the line) and the states a line
 * may name to filter them.
 */
const QUEUES: Readonly<Record<string, RegExp>> = {
  "case.list": /\b(open|resolved|closed)\b/i,
  "ticket.list": /\b(open|resolved|closed|cancelled)\b/i,
};

/** One thing named by id, with or without its noun: the tool that shows it and its argument. */
const ONE_THING = ([
  ["customer", "CUST", "customer.get", "customer_id"],
  ["subscription|sub|line", "SUB", "subscription.get", "subscription_id"],
  ["order", "ORD", "order.get", "order_id"],
  ["case", "CASE", "case.get", "case_id"],
  ["ticket", "TKT", "ticket.get", "ticket_id"],
] as const).map(([noun, prefix, tool, arg]) => ({
  re: new RegExp(
    `^\\s*(?:show|get|open)\\s+(?:me\\s+)?(?:the\\s+)?(?:(?:${noun})\\s+)?(${prefix}-[\\w-]+)\\s*$`,
    "i",
  ),
  tool,
  arg,
}));

/** "show customer CUST-0001", "open SUB-0001": one thing named by id is its card, not a list. */
function oneThing(line: string): Intercept | undefined {
  for (const { re, tool, arg } of ONE_THING) {
    const id = re.exec(line)?.[1];
    if (id) return { tool, args: { [arg]: id.toUpperCase() } };
  }
}

/** The list intent of `line` (or the card of one thing named by id), if it is one. */
export function interceptOf(line: string, focus: string | null): Intercept | undefined {
  const one = oneThing(line);
  if (one) return one;
  const found = INTENTS.find(([re]) => re.test(line));
  if (!found) return undefined;
  const tool = found[1];
  const named = /\bCUST-[\w-]+/i.exec(line)?.[0];
  // A question about one named customer is the agent's, not the customer list.
  if (tool === "customer.list" && named) return undefined;
  if (tool in QUEUES) {
    const state = QUEUES[tool].exec(line)?.[1].toLowerCase();
    return {
      tool,
      args: { ...named && { customer_id: named.toUpperCase() }, ...state && { state } },
    };
  }
  if (tool !== "order.list") return { tool, args: {} };
  const customer = named ?? focus;
  return customer
    ? { tool, args: { customer_id: customer } }
    : { refusal: "Orders are listed per customer: name one (CUST-…) or pin one with /focus." };
}
