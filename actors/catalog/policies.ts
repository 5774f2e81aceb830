/**
 * Catalog and promotion rules (docs/domain.md §4.2), one function per rule family; each throws
 * {@link PolicyViolation} with the exact rule code and context keys of the spec.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import type { PriceRow, PromotionRow } from "./model.ts";
import { toCents } from "./money.ts";

/** `catalog.admin_only`: catalog writes need a named actor (absent reads as `anonymous`). */
export function requireAdmin(actor: string): void {
  if (actor.trim() === "" || actor === "anonymous") {
    throw new PolicyViolation(
      "catalog.admin_only",
      "catalog writes require an identified actor (X-BSS-Actor)",
      { actor },
    );
  }
}

/** `catalog.price.no_active_row`: the offering has no recurring price active at `at`. */
export function requireActivePrice(
  price: PriceRow | undefined,
  offeringId: string,
  at: Date,
): PriceRow {
  if (price) return price;
  throw new PolicyViolation(
    "catalog.price.no_active_row",
    `no active recurring price for offering ${offeringId} at ${at.toISOString()}`,
    { offering_id: offeringId, at: at.toISOString() },
  );
}

/** `catalog.offering.already_exists`: the insert found the id taken. */
export function requireNewOffering(inserted: boolean, offeringId: string): void {
  if (inserted) return;
  throw new PolicyViolation(
    "catalog.offering.already_exists",
    `offering ${offeringId} already exists`,
    { offering_id: offeringId },
  );
}

/** `catalog.price.already_exists`: the insert found the price id taken. */
export function requireNewPrice(inserted: boolean, priceId: string): void {
  if (inserted) return;
  throw new PolicyViolation(
    "catalog.price.already_exists",
    `price ${priceId} already exists`,
    { price_id: priceId },
  );
}

/** The terms of a promotion create, after the targeted defaults (code, code kind) apply. */
export interface PromotionTerms {
  audience: string;
  discountType: string;
  discountValue: string;
  durationKind: string;
  periodsTotal: number | null;
  code: string | null;
  promoCodeKind: string | null;
}

const AUDIENCES = ["public", "targeted"];
const DISCOUNT_TYPES = ["percent", "absolute"];
const DURATION_KINDS = ["single", "multi", "perpetual"];
const PROMO_CODE_KINDS = ["single_use_unique_per_customer", "single_use_shared", "multi_use"];

/** The `catalog.promotion.<rule>` violation. */
function promotionViolation(rule: string, message: string, context: Record<string, unknown>) {
  return new PolicyViolation(`catalog.promotion.${rule}`, message, context);
}

/**
 * The create-time term rules, in the spec's order: `invalid_audience`,
 * `invalid_discount_type`, `invalid_discount_value` (> 0, percent ≤ 100),
 * `invalid_duration_kind`, `invalid_periods_total` (multi needs ≥ 2, others none),
 * `requires_code`, `invalid_promo_code_kind`.
 */
export function checkPromotionTerms(t: PromotionTerms): void {
  if (!AUDIENCES.includes(t.audience)) {
    throw promotionViolation("invalid_audience", `audience must be one of ${AUDIENCES}`, {
      audience: t.audience,
    });
  }
  if (!DISCOUNT_TYPES.includes(t.discountType)) {
    throw promotionViolation(
      "invalid_discount_type",
      `discount type must be one of ${DISCOUNT_TYPES}`,
      { discount_type: t.discountType },
    );
  }
  const value = toCents(t.discountValue);
  if (value <= 0n || (t.discountType === "percent" && value > 10000n)) {
    throw promotionViolation(
      "invalid_discount_value",
      "discount value must be positive, and at most 100 for a percent discount",
      { discount_value: t.discountValue },
    );
  }
  if (!DURATION_KINDS.includes(t.durationKind)) {
    throw promotionViolation(
      "invalid_duration_kind",
      `duration kind must be one of ${DURATION_KINDS}`,
      { duration_kind: t.durationKind },
    );
  }
  if (t.durationKind === "multi" && (t.periodsTotal === null || t.periodsTotal < 2)) {
    throw promotionViolation(
      "invalid_periods_total",
      "a multi-period promotion needs periods total of at least 2",
      { periods_total: t.periodsTotal },
    );
  }
  if (t.durationKind !== "multi" && t.periodsTotal !== null) {
    throw promotionViolation(
      "invalid_periods_total",
      `a ${t.durationKind} promotion takes no periods total`,
      { periods_total: t.periodsTotal, duration_kind: t.durationKind },
    );
  }
  if (!t.code) {
    throw promotionViolation("requires_code", "a public promotion needs a code", {
      audience: t.audience,
    });
  }
  if (t.promoCodeKind === null || !PROMO_CODE_KINDS.includes(t.promoCodeKind)) {
    throw promotionViolation(
      "invalid_promo_code_kind",
      `promo code kind must be one of ${PROMO_CODE_KINDS}`,
      { promo_code_kind: t.promoCodeKind },
    );
  }
}

/** `catalog.promotion.already_exists`: only a `pending_link` row may be created again. */
export function requireCreatable(existing: PromotionRow | undefined): void {
  if (!existing || existing.state === "pending_link") return;
  throw promotionViolation(
    "already_exists",
    `promotion ${existing.id} already exists (${existing.state})`,
    { promotion_id: existing.id, state: existing.state },
  );
}

/** `catalog.promotion.code_in_use`: the code belongs to another promotion. */
export function requireFreeCode(holder: PromotionRow | undefined, code: string): void {
  if (!holder) return;
  throw promotionViolation(
    "code_in_use",
    `promo code ${code} belongs to promotion ${holder.id}`,
    { code, promotion_id: holder.id },
  );
}

/**
 * `catalog.promotion.loyalty_not_configured`: creating a promotion registers its code with
 * the loyalty service, which this deployment does not have.
 */
export function loyaltyNotConfigured(promotionId: string): PolicyViolation {
  return promotionViolation(
    "loyalty_not_configured",
    "promotions need the loyalty service, which is not configured",
    { promotion_id: promotionId },
  );
}

/**
 * `catalog.promotion.not_targeted`: eligibility lists exist only on targeted promotions;
 * adding to one also needs it `active`.
 */
export function requireTargeted(promo: PromotionRow, { active }: { active: boolean }): void {
  if (promo.audience === "targeted" && (!active || promo.state === "active")) return;
  throw promotionViolation(
    "not_targeted",
    active
      ? `promotion ${promo.id} is not an active targeted promotion`
      : `promotion ${promo.id} is not a targeted promotion`,
    {
      promotion_id: promo.id,
      ...active && { state: promo.state },
      audience: promo.audience,
    },
  );
}

/** `catalog.promotion.exhaust.not_active`: only an `active` promotion can be exhausted. */
export function requireExhaustable(promo: PromotionRow): void {
  if (promo.state === "active") return;
  throw new PolicyViolation(
    "catalog.promotion.exhaust.not_active",
    `promotion ${promo.id} is ${promo.state}; only an active promotion can be exhausted`,
    { promotion_id: promo.id, state: promo.state },
  );
}
