/**
 * Catalog and promotion tools (docs/cockpit.md §4.2 catalog.*, promo.*).
 *
 * @module
 */
import { z } from "zod";
import { addOfferingRoute, addPriceRoute, windowOfferingRoute } from "../http/catalog/admin.ts";
import {
  getActivePrice,
  getProductOffering,
  listProductOfferings,
} from "../http/catalog/product_catalog.ts";
import {
  assignPromotionRoute,
  createPromotionRoute,
  exhaustPromotionRoute,
  getPromotionRoute,
  unassignPromotionRoute,
} from "../http/catalog/promotions.ts";
import { getVasOffering, listVasOfferings } from "../http/catalog/vas.ts";
import { clockNow } from "../http/admin/clock.ts";
import { Amount, CustomerId, idOf, Instant, OfferingId, VasOfferingId } from "./args.ts";
import { defineTool, EVERYONE, OPERATOR, type Tool } from "./tool.ts";

const Quantity = z.number().int().min(-1).describe("Allowance; -1 = unlimited");
const Currency = z.string().trim().length(3).default("SGD");
const PromotionId = idOf("PROMO_…", "promo.create");

/** The catalog tools. */
export const catalogTools: Tool[] = [
  defineTool({
    name: "catalog.list_offerings",
    description: "Every plan (product offering), in id order",
    class: "read",
    profiles: OPERATOR,
    args: z.object({}),
    run: (_, ctx) => ctx.client("catalog").call(listProductOfferings),
  }),
  defineTool({
    name: "catalog.get_offering",
    description: "One plan with its prices and allowances",
    class: "read",
    profiles: EVERYONE,
    args: z.object({ offering_id: OfferingId }),
    run: ({ offering_id }, ctx) =>
      ctx.client("catalog").call(getProductOffering, { params: { id: offering_id } }),
  }),
  defineTool({
    name: "catalog.list_vas",
    description: "The value-added services (top-ups, passes) on sale",
    class: "read",
    profiles: EVERYONE,
    args: z.object({}),
    run: (_, ctx) => ctx.client("catalog").call(listVasOfferings),
  }),
  defineTool({
    name: "catalog.get_vas",
    description: "One value-added service",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ vas_offering_id: VasOfferingId }),
    run: ({ vas_offering_id }, ctx) =>
      ctx.client("catalog").call(getVasOffering, { params: { id: vas_offering_id } }),
  }),
  defineTool({
    name: "catalog.list_active_offerings",
    description: "The plans on sale at `at` (default now), cheapest first",
    class: "read",
    profiles: EVERYONE,
    args: z.object({ at: Instant.optional() }),
    run: async ({ at }, ctx) => {
      const catalog = ctx.client("catalog");
      // "Now" is the BSS clock, which may be frozen or advanced: ask it.
      const activeAt = at ?? (await catalog.call(clockNow)).now;
      return catalog.call(listProductOfferings, { query: { activeAt } });
    },
  }),
  defineTool({
    name: "catalog.get_active_price",
    description: "A plan's price in force at `at` (default now)",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ offering_id: OfferingId, at: Instant.optional() }),
    run: ({ offering_id, at }, ctx) =>
      ctx.client("catalog").call(getActivePrice, {
        params: { offeringId: offering_id },
        query: { activeAt: at },
      }),
  }),
  defineTool({
    name: "catalog.add_offering",
    description: "Add a plan with its monthly price and allowances",
    class: "create",
    profiles: OPERATOR,
    hidden: true,
    args: z.object({
      offering_id: OfferingId,
      name: z.string().trim().min(1),
      amount: Amount,
      currency: Currency,
      valid_from: Instant.optional(),
      valid_to: Instant.optional(),
      data_mb: Quantity.optional(),
      voice_minutes: Quantity.optional(),
      sms_count: Quantity.optional(),
      data_roaming_mb: Quantity.optional(),
    }),
    run: (a, ctx) =>
      ctx.client("catalog").call(addOfferingRoute, {
        body: {
          offeringId: a.offering_id,
          name: a.name,
          amount: a.amount,
          currency: a.currency,
          validFrom: a.valid_from,
          validTo: a.valid_to,
          dataMb: a.data_mb,
          voiceMinutes: a.voice_minutes,
          smsCount: a.sms_count,
          dataRoamingMb: a.data_roaming_mb,
        },
      }),
  }),
  defineTool({
    name: "catalog.add_price",
    description: "Add a monthly price to a plan, optionally retiring the current one",
    class: "create",
    profiles: OPERATOR,
    hidden: true,
    args: z.object({
      offering_id: OfferingId,
      price_id: idOf("PRICE_…", "catalog.get_offering"),
      amount: Amount,
      currency: Currency,
      valid_from: Instant.optional(),
      valid_to: Instant.optional(),
      retire_current: z.boolean().default(false),
    }),
    run: (a, ctx) =>
      ctx.client("catalog").call(addPriceRoute, {
        params: { id: a.offering_id },
        body: {
          priceId: a.price_id,
          amount: a.amount,
          currency: a.currency,
          validFrom: a.valid_from,
          validTo: a.valid_to,
          retireCurrent: a.retire_current,
        },
      }),
  }),
  defineTool({
    name: "catalog.window_offering",
    description: "Set a plan's sale window (an omitted bound is open)",
    class: "update",
    profiles: OPERATOR,
    hidden: true,
    args: z.object({
      offering_id: OfferingId,
      valid_from: Instant.optional(),
      valid_to: Instant.optional(),
    }),
    run: ({ offering_id, valid_from, valid_to }, ctx) =>
      ctx.client("catalog").call(windowOfferingRoute, {
        params: { id: offering_id },
        body: { validFrom: valid_from, validTo: valid_to },
      }),
  }),
];

/** The promotion tools. */
export const promoTools: Tool[] = [
  defineTool({
    name: "promo.create",
    description: "Create a promotion (needs the loyalty service)",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      promotion_id: z.string().trim().min(1).describe(
        "The new promotion's id, chosen by you (e.g. PROMO_SPRING25); later promo commands take it",
      ),
      discount_type: z.enum(["percent", "absolute"]),
      discount_value: Amount,
      duration_kind: z.enum(["single", "multi", "perpetual"]),
      audience: z.enum(["public", "targeted"]).default("public"),
      currency: Currency,
      code: z.string().trim().min(1).optional(),
      promo_code_kind: z.enum([
        "single_use_shared",
        "multi_use",
        "single_use_unique_per_customer",
      ]).optional(),
      applicable_offering_ids: z.array(OfferingId).optional(),
      periods_total: z.number().int().min(1).optional(),
      valid_from: Instant.optional(),
      valid_to: Instant.optional(),
      display_name: z.string().trim().min(1).optional(),
    }),
    run: (a, ctx) =>
      ctx.client("catalog").call(createPromotionRoute, {
        body: {
          promotionId: a.promotion_id,
          discountType: a.discount_type,
          discountValue: a.discount_value,
          durationKind: a.duration_kind,
          audience: a.audience,
          currency: a.currency,
          code: a.code,
          promoCodeKind: a.promo_code_kind,
          applicableOfferingIds: a.applicable_offering_ids,
          periodsTotal: a.periods_total,
          validFrom: a.valid_from,
          validTo: a.valid_to,
          displayName: a.display_name,
        },
      }),
  }),
  defineTool({
    name: "promo.assign",
    description: "Make a targeted promotion available to customers",
    class: "create",
    profiles: OPERATOR,
    args: z.object({ promotion_id: PromotionId, customer_ids: z.array(CustomerId).min(1) }),
    run: ({ promotion_id, customer_ids }, ctx) =>
      ctx.client("catalog").call(assignPromotionRoute, {
        params: { id: promotion_id },
        body: { customerIds: customer_ids },
      }),
  }),
  defineTool({
    name: "promo.unassign",
    description: "Take customers off a targeted promotion",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ promotion_id: PromotionId, customer_ids: z.array(CustomerId).min(1) }),
    run: ({ promotion_id, customer_ids }, ctx) =>
      ctx.client("catalog").call(unassignPromotionRoute, {
        params: { id: promotion_id },
        body: { customerIds: customer_ids },
      }),
  }),
  defineTool({
    name: "promo.exhaust",
    description: "Stop an active promotion for good (idempotent)",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ promotion_id: PromotionId }),
    run: ({ promotion_id }, ctx) =>
      ctx.client("catalog").call(exhaustPromotionRoute, { params: { id: promotion_id } }),
  }),
  defineTool({
    name: "promo.show",
    description: "One promotion",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ promotion_id: PromotionId }),
    run: ({ promotion_id }, ctx) =>
      ctx.client("catalog").call(getPromotionRoute, { params: { id: promotion_id } }),
  }),
];
