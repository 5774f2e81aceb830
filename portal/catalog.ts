/**
 * The catalog as the portal shows it: plans on sale, cheapest first, and add-ons.
 *
 * @module
 */
import type { Bss } from "./bss.ts";
import { type PlanFacts, planFacts } from "./components/plan_card.tsx";

/** How long the plans on sale are reused before the catalog is asked again. */
const PLANS_TTL_MS = 10_000;
const cached = new WeakMap<Bss, { at: number; plans: Promise<PlanFacts[]> }>();

/** The plans on sale now (sellable, active bundles), cheapest first; reused for 10 s. */
export function plansOnSale(bss: Bss, actor: string): Promise<PlanFacts[]> {
  const hit = cached.get(bss);
  if (hit && Date.now() - hit.at < PLANS_TTL_MS) return hit.plans;
  const plans = readPlans(bss, actor);
  cached.set(bss, { at: Date.now(), plans });
  plans.catch(() => cached.delete(bss));
  return plans;
}

async function readPlans(bss: Bss, actor: string): Promise<PlanFacts[]> {
  const offerings = await bss.run<Parameters<typeof planFacts>[0][]>(
    "catalog.list_active_offerings",
    {},
    actor,
  );
  return offerings
    // deno-lint-ignore no-explicit-any
    .filter((o: any) => o.isBundle && o.isSellable !== false && o.lifecycleStatus !== "retired")
    .map(planFacts)
    .sort((a, b) => Number(a.price) - Number(b.price));
}

/** An add-on as the top-up page lists it. */
export interface VasFacts {
  id: string;
  name: string | null;
  priceAmount: string;
  currency: string;
  allowanceType: string | null;
  allowanceQuantity: number | null;
  allowanceUnit: string | null;
  expiryHours: number | null;
}

/** The add-ons on sale. */
export function addOns(bss: Bss, actor: string): Promise<VasFacts[]> {
  return bss.run<VasFacts[]>("catalog.list_vas", {}, actor);
}
