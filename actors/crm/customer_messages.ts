/**
 * The messages of the customer actor. HTTP validates the wire form and sends these; the
 * actor parses them again (`parse`), so a malformed message dead-letters instead of writing.
 * KYC attestations arrive already hashed: a plain document number never enters a mailbox.
 *
 * @module
 */
import { z } from "zod";
import { CUSTOMER_STATUSES, DOCUMENT_TYPES, KYC_PROVIDERS, MEDIUM_TYPES } from "./vocab.ts";

const Text = z.string().min(1);

/** A contact medium to add (values already normalised). */
export const NewContactMedium = z.object({
  mediumType: z.enum(MEDIUM_TYPES),
  value: Text,
  isPrimary: z.boolean(),
});
/** A contact medium to add. */
export type NewContactMedium = z.infer<typeof NewContactMedium>;

/** Create the customer (the actor's key is its new id). */
export const CreateCustomer = z.object({
  type: z.literal("create"),
  givenName: Text,
  familyName: Text,
  dateOfBirth: z.iso.date().nullable(),
  contactMedium: z.array(NewContactMedium),
});
/** The `CreateCustomer` message. */
export type CreateCustomer = z.infer<typeof CreateCustomer>;

/** Change status (and its reason). */
export const UpdateCustomer = z.object({
  type: z.literal("update"),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  statusReason: z.string().nullable().optional(),
});
/** The `UpdateCustomer` message. */
export type UpdateCustomer = z.infer<typeof UpdateCustomer>;

/** Change the individual's names. */
export const UpdateIndividual = z.object({
  type: z.literal("update_individual"),
  givenName: Text.optional(),
  familyName: Text.optional(),
});
/** The `UpdateIndividual` message. */
export type UpdateIndividual = z.infer<typeof UpdateIndividual>;

/** Add a contact medium. */
export const AddContactMedium = NewContactMedium.extend({
  type: z.literal("add_contact_medium"),
});
/** The `AddContactMedium` message. */
export type AddContactMedium = z.infer<typeof AddContactMedium>;

/** Change a contact medium's value. */
export const UpdateContactMedium = z.object({
  type: z.literal("update_contact_medium"),
  cmId: Text,
  value: Text,
});
/** The `UpdateContactMedium` message. */
export type UpdateContactMedium = z.infer<typeof UpdateContactMedium>;

/** Remove a contact medium. */
export const RemoveContactMedium = z.object({
  type: z.literal("remove_contact_medium"),
  cmId: Text,
});
/** The `RemoveContactMedium` message. */
export type RemoveContactMedium = z.infer<typeof RemoveContactMedium>;

/** Record a KYC attestation: the document only as its hash and last four characters. */
export const AttestKyc = z.object({
  type: z.literal("attest_kyc"),
  provider: z.enum(KYC_PROVIDERS),
  providerReference: Text,
  documentType: z.enum(DOCUMENT_TYPES),
  documentNumberHash: z.string().regex(/^[0-9a-f]{64}$/),
  documentNumberLast4: z.string().max(4),
  documentCountry: z.string().regex(/^[A-Z]{2}$/),
  dateOfBirth: z.iso.date(),
  nationality: z.string().nullable(),
  verifiedAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  attestationPayload: z.record(z.string(), z.unknown()),
  corroborationId: z.uuid().nullable(),
});
/** A KYC attestation message. */
export type AttestKyc = z.infer<typeof AttestKyc>;

/** Every message the customer actor handles. */
export const CustomerMessage = z.discriminatedUnion("type", [
  CreateCustomer,
  UpdateCustomer,
  UpdateIndividual,
  AddContactMedium,
  UpdateContactMedium,
  RemoveContactMedium,
  AttestKyc,
]);
/** A customer actor message. */
export type CustomerMessage = z.infer<typeof CustomerMessage>;
