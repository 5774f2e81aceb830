/**
 * The subscription domain's rules (docs/flows.md §1.6, §2, §3, §4; docs/domain.md §6): each judges facts
 * already gathered and throws a PolicyViolation naming the broken rule. The state machine's
 * own rule (`subscription.transition.invalid`) stays with the machine in `machine.ts`.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import type { Allowance, ChargeFacts, EsimFacts, MsisdnFacts, Price, VasFacts } from "./ports.ts";
import { canFire } from "./machine.ts";
import type { SubscriptionRow } from "./rows.ts";

/** What an activation is judged on. */
export interface ActivationFacts {
  subscriptionId: string;
  customerId: string;
  customerStatus: string | null;
  offeringId: string;
  allowances: Allowance[] | null;
  msisdn: string;
  number: MsisdnFacts | null;
  iccid: string;
  esim: EsimFacts | null;
}

/**
 * The customer active or pending, the offering in the catalog, the number and the profile
 * reserved — or already bound to this very subscription (a resumed activation). Checked in
 * this order: the first broken rule is the one reported.
 */
export function assertActivatable(f: ActivationFacts): void {
  if (f.customerStatus !== "active" && f.customerStatus !== "pending") {
    throw new PolicyViolation(
      "subscription.create.requires_customer",
      f.customerStatus
        ? `customer ${f.customerId} is ${f.customerStatus}`
        : `customer ${f.customerId} not found`,
      { customer_id: f.customerId, status: f.customerStatus },
    );
  }
  const ours = (x: { subscriptionId: string | null } | null) =>
    x?.subscriptionId === f.subscriptionId;
  const numberOk = f.number?.status === "reserved" ||
    (f.number?.status === "assigned" && (ours(f.number) || f.number.subscriptionId === null));
  if (!numberOk) {
    throw new PolicyViolation(
      "subscription.create.msisdn_and_esim_reserved",
      `MSISDN ${f.msisdn} is ${f.number?.status ?? "not in the pool"}`,
      { msisdn: f.msisdn, status: f.number?.status ?? null },
    );
  }
  const state = f.esim?.profileState;
  const esimOk = state === "reserved" || state === "downloaded" ||
    (state === "activated" && ours(f.esim));
  if (!esimOk) {
    throw new PolicyViolation(
      "subscription.create.msisdn_and_esim_reserved",
      `eSIM ${f.iccid} is ${state ?? "unknown"}`,
      { iccid: f.iccid, status: state ?? null },
    );
  }
  if (!f.allowances) {
    throw new PolicyViolation(
      "subscription.create.requires_active_price",
      `offering ${f.offeringId} is not in the catalog`,
      { offering_id: f.offeringId },
    );
  }
}

/** An offering with no active price cannot be sold without a snapshot. */
export function requireActivePrice(offeringId: string, price: Price | null): Price {
  if (!price) {
    throw new PolicyViolation(
      "subscription.create.requires_active_price",
      `offering ${offeringId} has no active price`,
      { offering_id: offeringId },
    );
  }
  return price;
}

/** The activation's first charge must be approved. */
export function assertActivationPaid(attempt: ChargeFacts): void {
  if (attempt.status === "approved") return;
  throw new PolicyViolation(
    "subscription.create.requires_payment_success",
    `the activation charge was ${attempt.status}`,
    {
      paymentAttemptId: attempt.id,
      paymentStatus: attempt.status,
      declineCode: attempt.declineCode,
      declineReason: attempt.declineReason,
    },
  );
}

/** A charge needs a card on file; `rule` names the operation's own rule. */
export function requireCardOnFile(
  methodId: string | null,
  rule: string,
  customerId: string,
): string {
  if (methodId) return methodId;
  throw new PolicyViolation(rule, "the customer has no card on file", { customer_id: customerId });
}

/** Only active and blocked lines renew. */
export function assertRenewable(sub: SubscriptionRow): void {
  if (sub.state === "active" || sub.state === "blocked") return;
  throw new PolicyViolation(
    "subscription.renew.only_if_active_or_blocked",
    `a ${sub.state} subscription cannot renew`,
    { state: sub.state },
  );
}

/** Only a live line buys top-ups. */
export function assertVasLineLive(sub: Pick<SubscriptionRow, "state">): void {
  if (sub.state !== "terminated") return;
  throw new PolicyViolation(
    "subscription.vas_purchase.not_if_terminated",
    "a terminated subscription cannot buy top-ups",
    { state: sub.state },
  );
}

/** A VAS offering that grants something. */
export function requireVasOffering(
  vasOfferingId: string,
  vas: VasFacts | null,
): VasFacts & { allowanceType: string; allowanceQuantity: number } {
  if (vas?.allowanceType && vas.allowanceQuantity !== null) {
    return { ...vas, allowanceType: vas.allowanceType, allowanceQuantity: vas.allowanceQuantity };
  }
  throw new PolicyViolation(
    "subscription.vas_purchase.vas_offering_sellable",
    `no VAS offering ${vasOfferingId}`,
    { vas_offering_id: vasOfferingId },
  );
}

/** A top-up is applied only once its charge is approved. */
export function assertVasPaid(attempt: ChargeFacts, customerId: string): void {
  if (attempt.status === "approved") return;
  throw new PolicyViolation(
    "subscription.vas_purchase.requires_active_cof",
    `the top-up charge was ${attempt.status}`,
    {
      customer_id: customerId,
      payment_status: attempt.status,
      decline_reason: attempt.declineReason,
    },
  );
}

const planRule = (code: string, message: string, context: Record<string, unknown>) =>
  new PolicyViolation(`subscription.plan_change.${code}`, message, context);

/** An active line, another offering, nothing already pending. */
export function assertPlanChangeAllowed(sub: SubscriptionRow, newOfferingId: string): void {
  if (sub.state !== "active") {
    throw planRule("not_eligible_state", `a ${sub.state} subscription cannot change plan`, {
      state: sub.state,
    });
  }
  if (newOfferingId === sub.offering_id) {
    throw planRule("same_offering", "already on this offering", {
      current_offering_id: sub.offering_id,
      new_offering_id: newOfferingId,
    });
  }
  if (sub.pending_offering_id) {
    throw planRule("already_pending", "a change is already scheduled", {
      pending_offering_id: sub.pending_offering_id,
    });
  }
}

/** The target on sale now, with an active price. */
export function requirePlanTarget(
  newOfferingId: string,
  sellable: boolean,
  price: Price | null,
): Price {
  if (!sellable) {
    throw planRule("target_not_sellable_now", `${newOfferingId} is not on sale`, {
      new_offering_id: newOfferingId,
    });
  }
  if (!price) {
    throw planRule("target_no_active_price", `${newOfferingId} has no active price`, {
      new_offering_id: newOfferingId,
      underlying: "catalog.price.no_active_row",
    });
  }
  return price;
}

/** A price migration names a price of the offering (`known`: the price exists elsewhere). */
export function migrationPriceError(
  offeringId: string,
  newPriceId: string,
  known: boolean,
): PolicyViolation {
  return known
    ? new PolicyViolation(
      "subscription.migrate_price.price_not_on_offering",
      `price ${newPriceId} is not a price of ${offeringId}`,
      { new_price_id: newPriceId, offering_id: offeringId },
    )
    : new PolicyViolation(
      "subscription.migrate_price.unknown_price",
      `no price ${newPriceId}`,
      { new_price_id: newPriceId },
    );
}

/** Only active and blocked lines are terminated. */
export function assertTerminable(sub: SubscriptionRow): void {
  if (canFire(sub.state, "terminate")) return;
  throw new PolicyViolation(
    "subscription.terminate.invalid_state",
    `a ${sub.state} subscription cannot be terminated`,
    { state: sub.state },
  );
}
