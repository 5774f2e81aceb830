/**
 * The TMF629 wire models of the CRM: Customer and ContactMedium replies, and a contact medium
 * as callers send it.
 *
 * @module
 */
import { z } from "zod";
import { CUSTOMER_STATUSES, MEDIUM_TYPES, type MediumType } from "../../actors/crm/vocab.ts";
import { acceptSnakeCase, Text, Timestamp } from "./wire.ts";

/** A live contact medium (TMF629 ContactMedium). */
export const ContactMedium = z.object({
  "@type": z.literal("ContactMedium"),
  id: z.string(),
  mediumType: z.enum(MEDIUM_TYPES),
  value: z.string(),
  isPrimary: z.boolean(),
  /** TMF629's name for isPrimary. */
  preferred: z.boolean(),
  /** TMF629's structured value: `emailAddress`, `phoneNumber` or `street1`. */
  characteristic: z.record(z.string(), z.string()),
  validFrom: Timestamp.nullable(),
  validTo: Timestamp.nullable(),
  /** TMF629's TimePeriod of `validFrom` and `validTo`. */
  validFor: z.object({
    startDateTime: Timestamp.nullable(),
    endDateTime: Timestamp.nullable(),
  }),
});

/** A customer (TMF629 Customer). */
export const Customer = z.object({
  "@type": z.literal("Customer"),
  id: z.string(),
  href: z.string(),
  name: z.string(),
  status: z.enum(CUSTOMER_STATUSES),
  statusReason: z.string().nullable(),
  /** `not_verified | pending | verified | rejected | expired`. */
  kycStatus: z.string(),
  customerSince: Timestamp.nullable(),
  engagedParty: z.object({
    id: z.string(),
    "@referredType": z.literal("Individual"),
    name: z.string(),
  }),
  individual: z.object({
    givenName: z.string(),
    familyName: z.string(),
    dateOfBirth: z.iso.date().nullable(),
  }).nullable(),
  contactMedium: z.array(ContactMedium),
});

// `phone` and `address` are what some callers say for `mobile` and `postal`.
const ALIASES: Partial<Record<string, MediumType>> = { phone: "mobile", address: "postal" };

/**
 * A contact medium as callers send it: type (aliases accepted), value (an email is trimmed,
 * lower-cased and checked), primary flag.
 */
export const NewContactMedium = acceptSnakeCase(z.object({
  mediumType: z.enum([...MEDIUM_TYPES, "phone", "address"])
    .transform((t): MediumType => ALIASES[t] ?? t as MediumType),
  value: Text.max(200),
  isPrimary: z.boolean().default(false),
})).transform((cm, ctx) => {
  if (cm.mediumType !== "email") return cm;
  const value = cm.value.toLowerCase();
  if (!z.email().safeParse(value).success) {
    ctx.addIssue({ code: "custom", path: ["value"], message: "expected an email address" });
    return z.NEVER;
  }
  return { ...cm, value };
});
