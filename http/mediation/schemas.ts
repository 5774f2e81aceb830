/**
 * TMF635 usage on the wire (docs/http.md §9.3): the `Usage` resource, the body of a usage record
 * (camelCase, snake_case also accepted) and the list filters.
 *
 * @module
 */
import { z } from "zod";
import { paging } from "../paging.ts";
import { USAGE_UNITS } from "../../actors/mediation/model.ts";
import { Instant } from "../catalog/wire.ts";
import { camelOrSnake } from "../payment/snake_case.ts";

/** The TMF635 API prefix. */
export const TMF635 = "/tmf-api/usageManagement/v4";

/** An MSISDN: 4–15 digits, as inventory stores it. */
export const Msisdn = z.string().trim().regex(/^[0-9]{4,15}$/, "an MSISDN is 4–15 digits");

const Text = (max: number) => z.string().trim().min(1).max(max);

/**
 * TMF635 Usage: `usageDate`, `usageType`, `status` and `usageCharacteristic` (quantity, unit,
 * msisdn, roaming) in TMF's names, with the mediation fields of docs/http.md §9.3 as extensions.
 */
export const Usage = z.object({
  "@type": z.literal("Usage"),
  id: z.string(),
  href: z.string(),
  usageDate: z.iso.datetime({ offset: true }),
  usageType: z.string(),
  status: z.enum(["received", "rated"]),
  usageCharacteristic: z.array(z.object({
    name: z.string(),
    valueType: z.enum(["integer", "string", "boolean"]),
    value: z.union([z.number(), z.string(), z.boolean()]),
  })),
  msisdn: z.string(),
  subscriptionId: z.string().nullable(),
  eventType: z.string(),
  eventTime: z.iso.datetime({ offset: true }),
  quantity: z.number().int(),
  unit: z.enum(USAGE_UNITS),
  source: z.string().nullable(),
  rawCdrRef: z.string().nullable(),
  processed: z.boolean(),
  processingError: z.string().nullable(),
  roamingIndicator: z.boolean(),
});

/**
 * The body of `POST /usage`. Quantity sign and event type are business rules
 * (`usage.record.positive_quantity`, `usage.record.valid_event_type`), so the schema only
 * asks for an integer and a string.
 */
export const NewUsage = camelOrSnake(z.object({
  msisdn: Msisdn,
  eventType: Text(32),
  eventTime: Instant,
  quantity: z.number().int(),
  unit: z.enum(USAGE_UNITS),
  source: Text(64).optional(),
  rawCdrRef: Text(200).optional(),
  roamingIndicator: z.boolean().default(false),
}));

/** The filters of `GET /usage`. */
export const UsageQuery = z.object({
  subscriptionId: z.string().optional(),
  msisdn: z.string().optional(),
  type: z.string().optional(),
  since: Instant.optional(),
  ...paging(100),
});
