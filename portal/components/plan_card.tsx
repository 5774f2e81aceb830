/**
 * A plan as a card: name, monthly price, data / voice / SMS / roaming ("Not included" when
 * the plan gives none).
 *
 * @module
 */
import type { JSX } from "preact";
import { quantity } from "./format.ts";

/** The facts of a plan a card shows. */
export interface PlanFacts {
  id: string;
  name: string;
  price: string;
  currency: string;
  allowances: Record<string, { quantity: number; unit: string }>;
}

/** A catalog offering as {@link PlanFacts}. */
export function planFacts(o: {
  id: string;
  name: string | null;
  productOfferingPrice: {
    priceType: string;
    price: { taxIncludedAmount: { value: string; unit: string } };
  }[];
  bundleAllowance: { allowanceType: string; quantity: number; unit: string }[];
}): PlanFacts {
  const price = o.productOfferingPrice.find((p) => p.priceType === "recurring") ??
    o.productOfferingPrice[0];
  return {
    id: o.id,
    name: o.name ?? o.id,
    price: price?.price.taxIncludedAmount.value ?? "0.00",
    currency: price?.price.taxIncludedAmount.unit ?? "SGD",
    allowances: Object.fromEntries(
      o.bundleAllowance.map((a) => [a.allowanceType, { quantity: a.quantity, unit: a.unit }]),
    ),
  };
}

function line(p: PlanFacts, type: string, label: string) {
  const a = p.allowances[type];
  return <li>{label}: {a && a.quantity !== 0 ? quantity(a.quantity, a.unit) : "Not included"}</li>;
}

/** The card; `children` are its call to action. */
export function PlanCard({ plan, children }: { plan: PlanFacts; children?: JSX.Element }) {
  return (
    <article class="card plan-card" data-plan={plan.id}>
      <h2>{plan.name}</h2>
      <p>
        <strong>{plan.currency} {plan.price}</strong>/mo
      </p>
      <ul>
        {line(plan, "data", "Data")}
        {line(plan, "voice", "Voice")}
        {line(plan, "sms", "SMS")}
        {line(plan, "data_roaming", "Roaming")}
      </ul>
      {children}
    </article>
  );
}
