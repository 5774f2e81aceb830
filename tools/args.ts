/**
 * Argument types shared by tools. Ids are opaque prefixed strings: each says its prefix and
 * the tool it comes from (docs/cockpit.md §4.1), so a model or an operator knows where to find one.
 *
 * @module
 */
import { z } from "zod";

/** An opaque id: `prefix` names its family, `source` the tool that yields it. */
export function idOf(prefix: string, source: string): z.ZodString {
  return z.string().trim().min(1).describe(
    `${prefix}… id (opaque; never rewrite it), as returned by ${source}`,
  );
}

/** A customer id. */
export const CustomerId = idOf("CUST-", "customer.create or customer.list");
/** A subscription id. */
export const SubscriptionId = idOf("SUB-", "subscription.list_for_customer");
/** A product order id. */
export const OrderId = idOf("ORD-", "order.create or order.list");
/** A case id. */
export const CaseId = idOf("CASE-", "case.open or case.list");
/** A trouble ticket id. */
export const TicketId = idOf("TKT-", "ticket.open or ticket.list");
/** A support agent id. */
export const AgentId = idOf("AGT-", "agents.list");
/** A plan (product offering) id. */
export const OfferingId = idOf("PLAN_…/offering", "catalog.list_offerings");
/** A value-added service offering id. */
export const VasOfferingId = idOf("VAS_…/offering", "catalog.list_vas");
/** A payment method (card on file) id. */
export const PaymentMethodId = idOf("PM-", "payment.list_methods");

/** A Singapore mobile number: 8 digits. */
export const Msisdn = z.string().trim().regex(/^\d{8}$/, "8 digits").describe(
  "MSISDN, 8 digits (e.g. 90000001)",
);

/** A usage event type as mediation records it. */
export const UsageEventType = z.enum(["data", "voice_minutes", "sms"]).describe(
  "data, voice_minutes or sms",
);

/** An ISO-8601 instant or date. */
export const Instant = z.string().trim().min(1).describe("ISO-8601 instant (naive = UTC)");

/** A result-count cap. */
export function limit(byDefault: number, max = 1000): z.ZodDefault<z.ZodNumber> {
  return z.number().int().min(1).max(max).default(byDefault).describe(
    `At most this many results (default ${byDefault})`,
  );
}

/** `limit` and `offset` of a list the service pages (`max`: its largest page). */
export function paged(byDefault: number, max = 1000) {
  return {
    limit: limit(byDefault, max),
    offset: z.number().int().min(0).default(0).describe("Skip this many first, to page on"),
  };
}

/**
 * A decimal amount, e.g. `"25.00"`; a JSON number (`20`, as LLMs and reference scenarios write
 * amounts) is taken as its decimal text.
 */
export const Amount = z.preprocess(
  (v) => typeof v === "number" && Number.isFinite(v) ? String(v) : v,
  z.string().trim().regex(/^\d+(\.\d{1,2})?$/, "a decimal amount like 25.00"),
).describe("Decimal amount, e.g. 25.00 (a string or a number)");
