/**
 * List intents answered without a model (docs/handbook/cockpit.md): "list customers", "what
 * are the plans", "show VAS", "list numbers", "show port requests", "list orders" call their
 * tool directly and print its card; so does "show customer CUST-0001" (the 360 card). First match
 * wins; the patterns are word-bounded and case-insensitive. Orders need a customer: the one named
 * in the line, else the focus.
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
  [/^\s*(list|show)\b.*\borders\b/i, "order.list"],
];

/** "show customer CUST-0001": one customer, named by id, is their 360 card, not the list. */
const ONE_CUSTOMER = /^\s*(show|get|open)\s+(me\s+)?(the\s+)?customer\s+(CUST-[\w-]+)\s*$/i;

/** The list intent of `line` (or the one-customer card), if it is one. */
export function interceptOf(line: string, focus: string | null): Intercept | undefined {
  const one = ONE_CUSTOMER.exec(line);
  if (one) return { tool: "customer.get", args: { customer_id: one[4].toUpperCase() } };
  const found = INTENTS.find(([re]) => re.test(line));
  if (!found) return undefined;
  const tool = found[1];
  const named = /\bCUST-[\w-]+/i.exec(line)?.[0];
  // A question about one named customer is the agent's, not the customer list.
  if (tool === "customer.list" && named) return undefined;
  if (tool !== "order.list") return { tool, args: {} };
  const customer = named ?? focus;
  return customer
    ? { tool, args: { customer_id: customer } }
    : { refusal: "Orders are listed per customer: name one (CUST-…) or pin one with /focus." };
}
