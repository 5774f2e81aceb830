/**
 * TMF671-shaped promotions (docs/http.md §5 `/tmf-api/promotionManagement/v4`): create (refused
 * without the loyalty service, after its terms are checked), list, get, targeted
 * assign/unassign, exhaust. Writes only for a named actor (`catalog.admin_only`).
 *
 * @module
 */
import { z } from "zod";
import { PROMOTION_STATES } from "../../actors/catalog/model.ts";
import {
  assignTargeted,
  createPromotion,
  exhaustPromotion,
  unassignTargeted,
} from "../../actors/catalog/promotions.ts";
import { findPromotion, listPromotions } from "../../actors/catalog/queries.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { catalogActor } from "./admin_actor.ts";
import { found } from "./found.ts";
import { AssignResult, Promotion, TMF671, UnassignResult } from "./schemas.ts";
import { toPromotion } from "./tmf.ts";
import {
  camelOrSnake,
  Currency,
  Decimal,
  Id,
  Instant,
  orderedWindow,
  WINDOW_ORDER,
} from "./wire.ts";
import { paging } from "../paging.ts";

const BASE = `${TMF671}/promotion`;

/** `POST …/promotion`. */
export const createPromotionRoute = defineRoute({
  method: "POST",
  path: BASE,
  summary: "Create a promotion; needs the loyalty service (else " +
    "catalog.promotion.loyalty_not_configured)",
  body: camelOrSnake(
    z.object({
      promotionId: Id,
      // Vocabularies are rules (catalog.promotion.invalid_*), not schema errors.
      discountType: z.string(),
      discountValue: Decimal,
      durationKind: z.string(),
      audience: z.string().default("public"),
      currency: Currency.default("SGD"),
      code: Id.nullish(),
      promoCodeKind: z.string().nullish(),
      applicableOfferingIds: z.array(Id).nullish(),
      periodsTotal: z.number().int().nullish(),
      validFrom: Instant.nullish(),
      validTo: Instant.nullish(),
      displayName: z.string().nullish(),
    }).refine(orderedWindow, WINDOW_ORDER),
  ),
  response: Promotion,
  status: 201,
});

/** `GET …/promotion`. */
export const listPromotionsRoute = defineRoute({
  method: "GET",
  path: BASE,
  summary: "Promotions by id, optionally in one state",
  query: z.object({ state: z.enum(PROMOTION_STATES).optional(), ...paging(50, 200) }),
  response: z.array(Promotion),
});

/** `GET …/promotion/{id}`. */
export const getPromotionRoute = defineRoute({
  method: "GET",
  path: `${BASE}/:id`,
  summary: "One promotion",
  params: z.object({ id: Id }),
  response: Promotion,
});

const CustomerIds = camelOrSnake(z.object({ customerIds: z.array(Id).min(1).max(1000) }));

/** `POST …/promotion/{id}/assign`. */
export const assignPromotionRoute = defineRoute({
  method: "POST",
  path: `${BASE}/:id/assign`,
  summary: "Make customers eligible for an active targeted promotion; " +
    "catalog.promotion.not_targeted",
  params: z.object({ id: Id }),
  body: CustomerIds,
  response: AssignResult,
});

/** `POST …/promotion/{id}/unassign`. */
export const unassignPromotionRoute = defineRoute({
  method: "POST",
  path: `${BASE}/:id/unassign`,
  summary: "Remove customers from a targeted promotion; catalog.promotion.not_targeted",
  params: z.object({ id: Id }),
  body: CustomerIds,
  response: UnassignResult,
});

/** `POST …/promotion/{id}/exhaust`. */
export const exhaustPromotionRoute = defineRoute({
  method: "POST",
  path: `${BASE}/:id/exhaust`,
  summary: "Stop an active promotion (idempotent); catalog.promotion.exhaust.not_active",
  params: z.object({ id: Id }),
  response: Promotion,
});

/** The promotion endpoints. */
export function promotionEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(
      createPromotionRoute,
      async ({ body: b }, c) =>
        await createPromotion(sql, catalogActor(c), {
          ...b,
          code: b.code ?? null,
          promoCodeKind: b.promoCodeKind ?? null,
          periodsTotal: b.periodsTotal ?? null,
        }),
    ),
    endpoint(
      listPromotionsRoute,
      async ({ query }) => (await listPromotions(sql, query)).map(toPromotion),
    ),
    endpoint(
      getPromotionRoute,
      async ({ params: { id } }) =>
        toPromotion(found(await findPromotion(sql, id), "Promotion", id)),
    ),
    endpoint(
      assignPromotionRoute,
      ({ params: { id }, body }, c) => assignTargeted(sql, catalogActor(c), id, body.customerIds),
    ),
    endpoint(
      unassignPromotionRoute,
      ({ params: { id }, body }, c) => unassignTargeted(sql, catalogActor(c), id, body.customerIds),
    ),
    endpoint(
      exhaustPromotionRoute,
      async ({ params: { id } }, c) =>
        toPromotion(await exhaustPromotion(sql, catalogActor(c), id)),
    ),
  ];
}
