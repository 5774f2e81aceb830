/**
 * The activation saga's effects, run by the effect runner after the subscription's turn
 * committed (never inside it). `subscription.activate` gathers the facts, judges them,
 * charges the first period and binds the line, in that order; every step is keyed on the
 * subscription fixed for the order, so a re-run after a crash resumes: the charge meets its
 * first attempt, bound items are skipped. A refusal at any step first undoes what the saga
 * may have done (refund by key, line returned) and reports both the rule and the undo.
 * `subscription.compensate_activation` is the same undo alone, for an activation that
 * failed past its retries.
 *
 * @module
 */
import { z } from "zod";
import { PolicyViolation } from "../../kernel/errors.ts";
import type { EffectHandler } from "../effects/runner.ts";
import { chargeCardOnFile } from "./charge.ts";
import { Create } from "./messages.ts";
import { discounted } from "./money.ts";
import { assertActivatable, assertActivationPaid, requireActivePrice } from "./policies.ts";
import type { Line, SubscriptionPorts } from "./ports.ts";

/** The activation effect's input: the create request with its fixed subscription id. */
export const ActivationRequest = Create.omit({ type: true, notify: true }).extend({
  subscriptionId: z.string(),
});
/** An activation request. */
export type ActivationRequest = z.infer<typeof ActivationRequest>;

/** What a successful activation reports back to the actor. */
export const Activated = z.object({
  paymentAttemptId: z.string(),
  amountCharged: z.string(),
  activationCode: z.string().nullable(),
  allowances: z.array(
    z.object({ allowanceType: z.string(), quantity: z.number(), unit: z.string() }),
  ),
  snapshot: Create.shape.priceSnapshot.unwrap().unwrap(),
});

/** The undo's input. */
const Compensation = z.object({
  subscriptionId: z.string(),
  chargeKey: z.string(),
  msisdn: z.string(),
  iccid: z.string(),
});

/** The first charge's idempotency key: one per order (or per subscription without one). */
export function activationChargeKey(
  r: { commercialOrderId?: string | null; subscriptionId: string },
) {
  return `activation:${r.commercialOrderId ?? r.subscriptionId}`;
}

/** Undoes an activation: the charge made under `chargeKey` refunded, the line returned. */
async function compensate(
  ports: SubscriptionPorts,
  chargeKey: string,
  line: Line & { subscriptionId: string },
): Promise<string[]> {
  const refunded = await ports.refund(chargeKey, "activation_failed");
  const returned = await ports.returnLine(line);
  return [...(refunded?.status === "refunded" ? [`refunded ${refunded.id}`] : []), ...returned];
}

/** A refusal after its undo, carrying what was undone. */
async function refuseAfterUndo(
  ports: SubscriptionPorts,
  r: ActivationRequest,
  refusal: PolicyViolation,
): Promise<never> {
  const compensations = await compensate(ports, activationChargeKey(r), r);
  throw new PolicyViolation(refusal.rule, refusal.message, { ...refusal.context, compensations });
}

/** Runs `step`; a refusal is undone and reported. */
async function orUndo<T>(
  ports: SubscriptionPorts,
  r: ActivationRequest,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof PolicyViolation) return await refuseAfterUndo(ports, r, e);
    throw e;
  }
}

async function activate(ports: SubscriptionPorts, r: ActivationRequest) {
  const { allowances, snapshot } = await orUndo(ports, r, async () => {
    // The reads are independent: one round of calls.
    const [customerStatus, number, esim, allowances, price] = await Promise.all([
      ports.customerStatus(r.customerId),
      ports.msisdn(r.msisdn),
      ports.esim(r.iccid),
      ports.offeringAllowances(r.offeringId),
      r.priceSnapshot ? null : ports.activePrice(r.offeringId),
    ]);
    assertActivatable({ ...r, customerStatus, number, esim, allowances });
    return { allowances: allowances!, snapshot: r.priceSnapshot ?? listSnapshot(r, price) };
  });
  const discount = { type: snapshot.discountType ?? null, value: snapshot.discountValue ?? null };
  const { attempt } = await orUndo(ports, r, async () => {
    const charged = await chargeCardOnFile(ports, {
      customerId: r.customerId,
      paymentMethodId: r.paymentMethodId,
      amount: discounted(snapshot.priceAmount, discount),
      currency: snapshot.priceCurrency,
      purpose: "activation",
      idempotencyKey: activationChargeKey(r),
      noCardRule: "subscription.create.requires_payment_success",
    });
    assertActivationPaid(charged.attempt);
    return charged;
  });
  const activationCode = await orUndo(ports, r, () => ports.bindLine(r));
  return Activated.parse({
    paymentAttemptId: attempt.id,
    amountCharged: attempt.amount,
    activationCode,
    allowances,
    snapshot,
  });
}

/** Without a snapshot: the offering's active recurring price, undiscounted. */
function listSnapshot(
  r: ActivationRequest,
  price: Awaited<ReturnType<SubscriptionPorts["activePrice"]>>,
) {
  const p = requireActivePrice(r.offeringId, price);
  return {
    priceAmount: p.amount,
    priceCurrency: p.currency,
    priceOfferingPriceId: p.id,
    discountType: null,
    discountValue: null,
    discountPeriodsTotal: 0,
    promoCode: null,
    promoOfferDefinitionId: null,
  };
}

/** The input of the undo of an activation that failed past its retries. */
export function compensationInput(r: ActivationRequest): z.infer<typeof Compensation> {
  return {
    subscriptionId: r.subscriptionId,
    chargeKey: activationChargeKey(r),
    msisdn: r.msisdn,
    iccid: r.iccid,
  };
}

/** The activation saga's effect handlers over `ports`. */
export function activationEffects(ports: () => SubscriptionPorts): Record<string, EffectHandler> {
  return {
    "subscription.activate": (input) => activate(ports(), ActivationRequest.parse(input)),
    "subscription.compensate_activation": async (input) => {
      const c = Compensation.parse(input);
      return { compensations: await compensate(ports(), c.chargeKey, c) };
    },
  };
}
