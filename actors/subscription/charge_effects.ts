/**
 * The charges of renewals and VAS purchases, run by the effect runner after the turn that
 * decided them committed (never inside it). Each gathers its catalog facts, charges the card
 * on file under the intent's key (`charge_intents.ts`) and reports the attempt; a re-run after
 * a crash meets the first attempt at payment, so a charge is made once. The outcome turns
 * (`renewal.ts`, `vas.ts`) apply it. `subscription.refund_charge` gives back a charge whose
 * outcome could not be applied (the line terminated meanwhile, or the charge failed past its
 * retries, so whether it went through is unknown).
 *
 * @module
 */
import { z } from "zod";
import type { EffectHandler } from "../effects/runner.ts";
import { stageEffect } from "../effects/effect.ts";
import type { Turn } from "../runtime/types.ts";
import { chargeCardOnFile } from "./charge.ts";
import { discounted } from "./money.ts";
import { assertVasPaid, requireVasOffering } from "./policies.ts";
import type { SubscriptionPorts } from "./ports.ts";

const PriceFacts = z.object({ id: z.string(), amount: z.string(), currency: z.string() });

const Attempt = z.object({
  id: z.string(),
  status: z.enum(["approved", "declined", "errored", "refunded"]),
  amount: z.string(),
  declineCode: z.string().nullable(),
  declineReason: z.string().nullable(),
});

/** A renewal charge's input: the line's plan terms as the deciding turn saw them. */
export const RenewalCharge = z.object({
  key: z.string(),
  customerId: z.string(),
  offeringId: z.string(),
  price: PriceFacts,
  /** A pending plan change or price migration due at this renewal. */
  pending: z.object({ offeringId: z.string(), priceId: z.string() }).nullable(),
  discount: z.object({ type: z.string().nullable(), value: z.string().nullable() }).nullable(),
});
/** A renewal charge's input. */
export type RenewalCharge = z.infer<typeof RenewalCharge>;

/** What a renewal charge reports: the plan charged for, the attempt and the card. */
export const RenewalCharged = z.object({
  target: z.object({ offeringId: z.string(), price: PriceFacts, pivot: z.boolean() }),
  discountApplied: z.boolean(),
  attempt: Attempt,
  paymentMethodId: z.string(),
  allowances: z.array(
    z.object({ allowanceType: z.string(), quantity: z.number(), unit: z.string() }),
  ),
});
/** What a renewal charge reports. */
export type RenewalCharged = z.infer<typeof RenewalCharged>;

const VasCharge = z.object({ key: z.string(), customerId: z.string(), vasOfferingId: z.string() });

/** What a VAS charge reports: the offering bought and the approved attempt. */
export const VasCharged = z.object({
  vas: z.object({
    id: z.string(),
    priceAmount: z.string(),
    currency: z.string(),
    allowanceType: z.string(),
    allowanceQuantity: z.number(),
    allowanceUnit: z.string().nullable(),
    expiryHours: z.number().nullable(),
  }),
  attempt: Attempt,
});

const Refund = z.object({ chargeKey: z.string(), reason: z.string() });

/** The plan the next period is on: a due pending change, else the stored terms. */
async function renewalTarget(ports: SubscriptionPorts, r: RenewalCharge) {
  if (r.pending) {
    const price = await ports.priceById(r.pending.priceId);
    if (price) return { offeringId: r.pending.offeringId, price, pivot: true };
  }
  return { offeringId: r.offeringId, price: r.price, pivot: false };
}

async function chargeRenewal(ports: SubscriptionPorts, r: RenewalCharge): Promise<RenewalCharged> {
  const target = await renewalTarget(ports, r);
  // A pivot ends any promo; otherwise a promo period left is used now.
  const discount = target.pivot ? null : r.discount;
  const amount = discount ? discounted(target.price.amount, discount) : target.price.amount;
  const { attempt, paymentMethodId } = await chargeCardOnFile(ports, {
    customerId: r.customerId,
    amount,
    currency: target.price.currency,
    purpose: "renewal",
    idempotencyKey: r.key,
    noCardRule: "subscription.renew.no_payment_method",
  });
  const allowances = attempt.status === "approved"
    ? await ports.offeringAllowances(target.offeringId) ?? []
    : [];
  return { target, discountApplied: discount !== null, attempt, paymentMethodId, allowances };
}

async function chargeVas(ports: SubscriptionPorts, r: z.infer<typeof VasCharge>) {
  const vas = requireVasOffering(r.vasOfferingId, await ports.vasOffering(r.vasOfferingId));
  const { attempt } = await chargeCardOnFile(ports, {
    customerId: r.customerId,
    amount: vas.priceAmount,
    currency: vas.currency,
    purpose: "vas",
    idempotencyKey: r.key,
    noCardRule: "subscription.vas_purchase.requires_active_cof",
  });
  assertVasPaid(attempt, r.customerId);
  return { vas, attempt };
}

/** Stages the refund of the charge made under `chargeKey` (none made: nothing to give back). */
export async function stageRefund(turn: Turn, chargeKey: string, reason: string): Promise<void> {
  await stageEffect(turn, {
    type: "subscription.refund_charge",
    key: `refund:${chargeKey}`,
    input: { chargeKey, reason },
    replyType: "refund_outcome",
  });
}

/** The renewal, VAS and refund effect handlers over `ports`. */
export function chargeEffects(ports: () => SubscriptionPorts): Record<string, EffectHandler> {
  return {
    "subscription.charge_renewal": (input) => chargeRenewal(ports(), RenewalCharge.parse(input)),
    "subscription.charge_vas": (input) => chargeVas(ports(), VasCharge.parse(input)),
    "subscription.refund_charge": async (input) => {
      const r = Refund.parse(input);
      const refunded = await ports().refund(r.chargeKey, r.reason);
      return { chargeKey: r.chargeKey, refunded: refunded?.id ?? null };
    },
  };
}
