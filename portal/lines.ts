/**
 * The customer's lines as the portal shows them, read through the self-serve tools bound
 * to the signed-in customer (so a line of anyone else is refused by the tool itself).
 *
 * @module
 */
import { clock } from "../kernel/clock.ts";
import type { Bss } from "./bss.ts";
import { plansOnSale } from "./catalog.ts";
import type { LineView } from "./components/line_card.tsx";

/** A subscription as the self-serve tools answer it (the fields the portal reads). */
export interface MySubscription {
  id: string;
  customerId: string;
  offeringId: string;
  msisdn: string;
  iccid: string;
  state: string;
  nextRenewalAt: string | null;
  terminatedAt: string | null;
  pendingOfferingId: string | null;
  pendingEffectiveAt: string | null;
  priceAmount: string;
  priceCurrency: string;
  balances: { type: string; remaining: number; total: number | null; unit: string }[];
}

/** Plan id → name, from the plans on sale. */
export async function planNames(bss: Bss, actor: string): Promise<Map<string, string>> {
  return new Map((await plansOnSale(bss, actor)).map((p) => [p.id, p.name]));
}

/** The view of one subscription. */
export function lineView(sub: MySubscription, names: Map<string, string>): LineView {
  const renewal = sub.nextRenewalAt ? Date.parse(sub.nextRenewalAt) : NaN;
  const days = Number.isNaN(renewal) || sub.state === "terminated"
    ? null
    : Math.max(0, Math.ceil((renewal - clock.now().getTime()) / 86_400_000));
  return {
    id: sub.id,
    state: sub.state,
    planName: names.get(sub.offeringId) ?? sub.offeringId,
    msisdn: sub.msisdn,
    bars: sub.balances.map((b) => ({
      type: b.type,
      remaining: b.remaining,
      total: b.total ?? -1,
      unit: b.unit,
    })),
    daysToRenewal: days,
    pendingPlanName: sub.pendingOfferingId
      ? names.get(sub.pendingOfferingId) ?? sub.pendingOfferingId
      : null,
    pendingEffectiveAt: sub.pendingEffectiveAt,
    terminatedAt: sub.terminatedAt,
  };
}

/** The customer's subscriptions. */
export function myLines(bss: Bss, customerId: string): Promise<MySubscription[]> {
  return bss.run<MySubscription[]>("subscription.list_mine", {}, customerId);
}

/** One of the customer's subscriptions; the tool refuses anyone else's. */
export function myLine(bss: Bss, customerId: string, id: string): Promise<MySubscription> {
  return bss.run<MySubscription>("subscription.get_mine", { subscription_id: id }, customerId);
}
