/**
 * The ownership binding of the customer self-serve tools (docs/cockpit.md §4.5). A self-serve tool
 * takes no customer argument: it acts for the customer bound as the caller's actor
 * (`currentCaller().actor`, a `CUST-…` id, set by the customer's chat or portal with
 * `withCaller`). Any other actor (`cli-user`, `scenario:…`, `system`) is refused with
 * `chat.no_actor_bound`, and a subscription of someone else with
 * `policy.subscription.not_owned_by_actor`, the same answer for reads and writes.
 *
 * @module
 */
import { currentCaller } from "../kernel/context.ts";
import { PolicyViolation } from "../kernel/errors.ts";
import { getSubscription } from "../http/subscription/routes.ts";
import type { ToolContext } from "./tool.ts";

/** How a customer id starts: only such an actor is a customer bound to the call. */
const CUSTOMER_PREFIX = "CUST-";

/** The customer the call is bound to; throws `chat.no_actor_bound` when there is none. */
export function boundCustomer(): string {
  const { actor } = currentCaller();
  if (!actor.startsWith(CUSTOMER_PREFIX)) {
    throw new PolicyViolation(
      "chat.no_actor_bound",
      "no customer is bound to this call: self-serve tools act only for the signed-in customer",
      { actor },
    );
  }
  return actor;
}

/** The chat transcript bound with the customer, if any (absent outside a chat). */
export function boundTranscript(): string | undefined {
  return currentCaller().transcript || undefined;
}

/**
 * Subscription `id` when it belongs to the bound customer; throws
 * `policy.subscription.not_owned_by_actor` otherwise (and `chat.no_actor_bound` first when no
 * customer is bound).
 */
export async function ownedSubscription(ctx: ToolContext, id: string) {
  const customerId = boundCustomer();
  const subscription = await ctx.client("subscription").call(getSubscription, {
    params: { id },
  });
  if (subscription.customerId !== customerId) {
    throw new PolicyViolation(
      "policy.subscription.not_owned_by_actor",
      `subscription ${id} is not yours`,
      { subscriptionId: id },
    );
  }
  return subscription;
}
