/**
 * Promotion writes (docs/domain.md §4.2, §3 "Promotion"). The money terms live here; the codes and
 * offers live in the external loyalty service, which this deployment does not have (docs/providers.md
 * §3.6 "No token"). So create validates its terms and then refuses with
 * `catalog.promotion.loyalty_not_configured`, writing nothing; assign, unassign and exhaust
 * work on the promotion rows that exist, without the loyalty side effects (no offer is
 * issued, expired or revoked, so eligibility rows carry no loyalty offer id).
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { PromotionRow } from "./model.ts";
import {
  checkPromotionTerms,
  loyaltyNotConfigured,
  requireAdmin,
  requireCreatable,
  requireExhaustable,
  requireFreeCode,
  requireTargeted,
} from "./policies.ts";
import { findPromotion, findPromotionByCode } from "./queries.ts";

/** A promotion create request (docs/http.md §5 CreatePromotion). */
export interface NewPromotion {
  promotionId: string;
  discountType: string;
  discountValue: string;
  durationKind: string;
  audience: string;
  code: string | null;
  promoCodeKind: string | null;
  periodsTotal: number | null;
}

/**
 * Checks a create against every local rule (`catalog.admin_only`, the term rules,
 * `already_exists`, `code_in_use`), then refuses it: registering the code needs loyalty
 * (`catalog.promotion.loyalty_not_configured`). A targeted promotion's code defaults to its
 * id and its code kind to `single_use_unique_per_customer`.
 */
export async function createPromotion(sql: Pool, actor: string, p: NewPromotion): Promise<never> {
  requireAdmin(actor);
  const targeted = p.audience === "targeted";
  const code = p.code ?? (targeted ? p.promotionId : null);
  const promoCodeKind = p.promoCodeKind ?? (targeted ? "single_use_unique_per_customer" : null);
  checkPromotionTerms({ ...p, code, promoCodeKind });
  const existing = await findPromotion(sql, p.promotionId);
  requireCreatable(existing);
  if (!existing && code) requireFreeCode(await findPromotionByCode(sql, code), code);
  throw loyaltyNotConfigured(p.promotionId);
}

/** The promotion `id` locked for the transaction, or NotFound. */
async function lockPromotion(sql: Sql, id: string): Promise<PromotionRow> {
  const promo = await findPromotion(sql, id, { forUpdate: true });
  if (!promo) throw new NotFound("Promotion", id);
  return promo;
}

/** The reply of an assign: who was added, who already was eligible. */
export interface Assigned {
  promotion_id: string;
  code: string | null;
  eligible: string[];
  already: string[];
}

/**
 * Makes customers eligible for an active targeted promotion (idempotent per customer).
 * Rules: `catalog.admin_only`, `catalog.promotion.not_targeted`; unknown promotion NotFound.
 */
export async function assignTargeted(
  sql: Pool,
  actor: string,
  promotionId: string,
  customerIds: string[],
): Promise<Assigned> {
  requireAdmin(actor);
  return await sql.begin(async (tx) => {
    const promo = await lockPromotion(tx, promotionId);
    requireTargeted(promo, { active: true });
    const ids = [...new Set(customerIds)];
    const added = await tx<{ customer_id: string }[]>`
      insert into catalog.promotion_eligibility (promotion_id, customer_id, created_by)
      select ${promotionId}, id, ${actor} from unnest(${ids}::text[]) as id
      on conflict (promotion_id, customer_id, tenant_id) do nothing
      returning customer_id`;
    const eligible = new Set(added.map((r) => r.customer_id));
    return {
      promotion_id: promotionId,
      code: promo.code,
      eligible: ids.filter((id) => eligible.has(id)),
      already: ids.filter((id) => !eligible.has(id)),
    };
  });
}

/** The reply of an unassign: who was removed, who was not eligible anyway. */
export interface Unassigned {
  promotion_id: string;
  code: string | null;
  removed: string[];
  not_eligible: string[];
}

/**
 * Removes customers from a targeted promotion's eligibility list (idempotent per customer).
 * Rules: `catalog.admin_only`, `catalog.promotion.not_targeted`; unknown promotion NotFound.
 */
export async function unassignTargeted(
  sql: Pool,
  actor: string,
  promotionId: string,
  customerIds: string[],
): Promise<Unassigned> {
  requireAdmin(actor);
  return await sql.begin(async (tx) => {
    const promo = await lockPromotion(tx, promotionId);
    requireTargeted(promo, { active: false });
    const ids = [...new Set(customerIds)];
    const deleted = await tx<{ customer_id: string }[]>`
      delete from catalog.promotion_eligibility
      where promotion_id = ${promotionId} and customer_id = any(${ids}::text[])
      returning customer_id`;
    const removed = new Set(deleted.map((r) => r.customer_id));
    return {
      promotion_id: promotionId,
      code: promo.code,
      removed: ids.filter((id) => removed.has(id)),
      not_eligible: ids.filter((id) => !removed.has(id)),
    };
  });
}

/**
 * Stops an active promotion for new orders: `active → exhausted`; idempotent on an exhausted
 * one. Rules: `catalog.admin_only`, `catalog.promotion.exhaust.not_active`; an unknown
 * promotion is NotFound (spec: `catalog.promotion.not_found`, HTTP 404).
 */
export async function exhaustPromotion(
  sql: Pool,
  actor: string,
  promotionId: string,
): Promise<PromotionRow> {
  requireAdmin(actor);
  return await sql.begin(async (tx) => {
    const promo = await lockPromotion(tx, promotionId);
    if (promo.state === "exhausted") return promo;
    requireExhaustable(promo);
    await tx`update catalog.promotion set state = 'exhausted', updated_at = ${clock.now()}
      where id = ${promotionId}`;
    return { ...promo, state: "exhausted" as const };
  });
}
