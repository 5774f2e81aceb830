/**
 * The subscription service's route definitions (docs/http.md §9.2), shared by its server and by
 * the typed clients of COM (create), mediation (by-msisdn) and CRM (list, terminate).
 *
 * @module
 */
import { z } from "zod";
import { defineRoute } from "../route.ts";
import {
  BundleBalance,
  NewSubscription,
  PlanChange,
  PriceMigration,
  PriceMigrationResult,
  Subscription,
  Termination,
  VasPurchase,
} from "./schemas.ts";

/** The collection path. */
export const SUBSCRIPTIONS = "/subscription-api/v1/subscription";

const ById = z.object({ id: z.string() });

/** `POST /subscription`: charge the first period and activate (idempotent per order). */
export const createSubscription = defineRoute({
  method: "POST",
  path: SUBSCRIPTIONS,
  summary: "Charge the first period and activate; a repeat with the same commercialOrderId " +
    "returns the existing subscription without charging",
  body: NewSubscription,
  response: Subscription,
  status: 201,
});

/** `GET /subscription/by-msisdn/{msisdn}` (declared before `/{id}/…`). */
export const getSubscriptionByMsisdn = defineRoute({
  method: "GET",
  path: `${SUBSCRIPTIONS}/by-msisdn/:msisdn`,
  summary: "The live (else latest) subscription of an MSISDN",
  params: z.object({ msisdn: z.string() }),
  response: Subscription,
});

/** `GET /subscription?customerId=`. */
export const listSubscriptions = defineRoute({
  method: "GET",
  path: SUBSCRIPTIONS,
  summary: "A customer's subscriptions, oldest first",
  query: z.object({ customerId: z.string().min(1) }),
  response: z.array(Subscription),
});

/** `GET /subscription/{id}`. */
export const getSubscription = defineRoute({
  method: "GET",
  path: `${SUBSCRIPTIONS}/:id`,
  summary: "One subscription",
  params: ById,
  response: Subscription,
});

/** `GET /subscription/{id}/balance`. */
export const getSubscriptionBalance = defineRoute({
  method: "GET",
  path: `${SUBSCRIPTIONS}/:id/balance`,
  summary: "The current period's balances (404 when there are none)",
  params: ById,
  response: z.array(BundleBalance),
});

/** `POST /subscription/{id}/vas-purchase`. */
export const purchaseVas = defineRoute({
  method: "POST",
  path: `${SUBSCRIPTIONS}/:id/vas-purchase`,
  summary: "Buy a top-up; unblocks the line when it restores the exhausted allowance",
  params: ById,
  body: VasPurchase,
  response: Subscription,
});

/** `POST /subscription/{id}/renew`. */
export const renewSubscription = defineRoute({
  method: "POST",
  path: `${SUBSCRIPTIONS}/:id/renew`,
  summary: "Renew now: charge, fresh bundle, next period (a decline blocks the line)",
  params: ById,
  response: Subscription,
});

/** `POST /subscription/{id}/terminate`. */
export const terminateSubscription = defineRoute({
  method: "POST",
  path: `${SUBSCRIPTIONS}/:id/terminate`,
  summary: "Terminate; the MSISDN goes to quarantine and the eSIM is recycled",
  params: ById,
  body: Termination,
  response: Subscription,
});

/** `POST /subscription/{id}/schedule-plan-change`. */
export const schedulePlanChange = defineRoute({
  method: "POST",
  path: `${SUBSCRIPTIONS}/:id/schedule-plan-change`,
  summary: "Switch offering at the next renewal (no proration)",
  params: ById,
  body: PlanChange,
  response: Subscription,
});

/** `POST /subscription/{id}/cancel-plan-change`. */
export const cancelPlanChange = defineRoute({
  method: "POST",
  path: `${SUBSCRIPTIONS}/:id/cancel-plan-change`,
  summary: "Drop a scheduled plan change",
  params: ById,
  response: Subscription,
});

/** `POST /admin/subscription/migrate-price`. */
export const migratePrice = defineRoute({
  method: "POST",
  path: "/subscription-api/v1/admin/subscription/migrate-price",
  summary: "Move every live subscription of an offering to a new price, with notice",
  body: PriceMigration,
  response: PriceMigrationResult,
});

/** `POST /admin-api/v1/renewal/tick-now` (gated by BSS_ALLOW_ADMIN_RESET). */
export const tickRenewals = defineRoute({
  method: "POST",
  path: "/admin-api/v1/renewal/tick-now",
  summary: "Run one due-renewal sweep now",
  response: z.object({ status: z.literal("ok") }),
});
