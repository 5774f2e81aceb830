/**
 * Customer tools (docs/cockpit.md §4.2 customer.*, interaction.*): CRM reads and writes.
 *
 * @module
 */
import { z } from "zod";
import { CUSTOMER_STATUSES, KYC_PROVIDERS } from "../actors/crm/vocab.ts";
import {
  addContactMedium,
  removeContactMedium,
  updateContactMedium,
} from "../http/crm/contact_media.ts";
import {
  createCustomer,
  customerByEmail,
  getCustomer,
  listCustomers,
  updateCustomer,
  updateIndividual,
} from "../http/crm/customers.ts";
import { listCases } from "../http/crm/cases.ts";
import { createInteraction, listInteractions } from "../http/crm/interactions.ts";
import { prebakedAttestation } from "../actors/crm/kyc_prebaked.ts";
import { clockNow } from "../http/admin/clock.ts";
import { attestKyc, kycStatus } from "../http/crm/kyc.ts";
import { getSubscriptionByMsisdn, listSubscriptions } from "../http/subscription/routes.ts";
import { CustomerId, limit, Msisdn, paged } from "./args.ts";
import { addCard } from "./payment.ts";
import { withReferenceBalances } from "./subscription.ts";
import { defineTool, OPERATOR, type Tool, type ToolContext } from "./tool.ts";

const Email = z.email().describe("Email address");
const Phone = z.string().trim().regex(/^\+?\d{6,15}$/, "a phone number (E.164)").describe(
  "Phone number, E.164 (e.g. +6590000001)",
);

/** The first word is the given name, the rest the family name (one word: both). */
function splitName(name: string): { givenName: string; familyName: string } {
  const words = name.trim().split(/\s+/);
  return { givenName: words[0], familyName: words.slice(1).join(" ") || words[0] };
}

/** Reads one customer. */
function customer(ctx: ToolContext, id: string) {
  return ctx.client("crm").call(getCustomer, { params: { id } });
}

/** The reference's three KYC states: anything short of verified or expired is unverified. */
function kycState(status: string): "verified" | "unverified" | "expired" {
  return status === "verified" || status === "expired" ? status : "unverified";
}

/** Settles a promise to its value, or null: the extras of customer.get are best-effort. */
function bestEffort<T>(p: Promise<T>): Promise<T | null> {
  return p.catch(() => null);
}

/** The customer tools. */
export const customerTools: Tool[] = [
  defineTool({
    name: "customer.create",
    description: "Create a customer (active) with an email, a phone or both (at least one: a " +
      "customer must be reachable), and with `card` a sandbox card on file (its id in " +
      "paymentMethodId)",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      name: z.string().trim().min(1).max(200).describe("Full name: given name first"),
      email: Email.optional(),
      phone: Phone.optional(),
      card: z.string().trim().min(12).max(23).optional().describe("Card number to put on file"),
    }),
    run: async ({ name, email, phone, card }, ctx) => {
      const customer = await ctx.client("crm").call(createCustomer, {
        body: {
          ...splitName(name),
          contactMedium: [
            ...email ? [{ mediumType: "email" as const, value: email, isPrimary: true }] : [],
            ...phone ? [{ mediumType: "mobile" as const, value: phone }] : [],
          ],
        },
      });
      if (!card) return customer;
      return { ...customer, paymentMethodId: (await addCard(ctx, customer.id, card)).id };
    },
  }),
  defineTool({
    name: "customer.get",
    description: "A customer with kycVerified and best-effort subscriptions, cases and " +
      "the last 10 interactions under _extras",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ customer_id: CustomerId }),
    run: async ({ customer_id }, ctx) => {
      const [found, subscriptions, cases, interactions] = await Promise.all([
        customer(ctx, customer_id),
        bestEffort(
          ctx.client("subscription").call(listSubscriptions, {
            query: { customerId: customer_id },
          }).then((subs) => subs.map(withReferenceBalances)),
        ),
        bestEffort(ctx.client("crm").call(listCases, { query: { customerId: customer_id } })),
        bestEffort(
          ctx.client("crm").call(listInteractions, {
            query: { customerId: customer_id, limit: 10 },
          }),
        ),
      ]);
      return {
        ...found,
        kycVerified: found.kycStatus === "verified",
        _extras: { subscriptions, cases, interactions },
      };
    },
  }),
  defineTool({
    name: "customer.list",
    description: "Customers, optionally by status and a name substring",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      state: z.enum(CUSTOMER_STATUSES).optional(),
      name_contains: z.string().trim().min(1).optional(),
      ...paged(20),
    }),
    run: ({ state, name_contains, limit, offset }, ctx) =>
      ctx.client("crm").call(listCustomers, {
        query: { status: state, name: name_contains, limit, offset },
      }),
  }),
  defineTool({
    name: "customer.find_by_msisdn",
    description: "The customer owning the live line with this MSISDN",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ msisdn: Msisdn }),
    run: async ({ msisdn }, ctx) => {
      const line = await ctx.client("subscription").call(getSubscriptionByMsisdn, {
        params: { msisdn },
      });
      return customer(ctx, line.customerId);
    },
  }),
  defineTool({
    name: "customer.find_by_email",
    description: "The customer with this email address",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ email: Email }),
    run: ({ email }, ctx) => ctx.client("crm").call(customerByEmail, { query: { email } }),
  }),
  defineTool({
    name: "customer.update_contact",
    description: "Change a customer's email, phone and/or postal address (adds the medium when " +
      "missing)",
    class: "update",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      email: Email.optional(),
      phone: Phone.optional(),
      address: z.string().trim().min(1).max(200).optional().describe("Postal address, one line"),
    }),
    run: async ({ customer_id, email, phone, address }, ctx) => {
      const crm = ctx.client("crm");
      const { contactMedium } = await customer(ctx, customer_id);
      const changes = [["email", email], ["mobile", phone], ["postal", address]] as const;
      for (const [mediumType, value] of changes) {
        if (value === undefined) continue;
        const current = contactMedium.find((m) => m.mediumType === mediumType);
        if (current) {
          await crm.call(updateContactMedium, {
            params: { id: customer_id, cmId: current.id },
            body: { value },
          });
        } else {
          await crm.call(addContactMedium, {
            params: { id: customer_id },
            body: { mediumType, value },
          });
        }
      }
      return customer(ctx, customer_id);
    },
  }),
  defineTool({
    name: "customer.update_name",
    description: "Change a customer's given and/or family name",
    class: "update",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      given_name: z.string().trim().min(1).max(100).optional(),
      family_name: z.string().trim().min(1).max(100).optional(),
    }),
    run: ({ customer_id, given_name, family_name }, ctx) =>
      ctx.client("crm").call(updateIndividual, {
        params: { id: customer_id },
        body: { givenName: given_name, familyName: family_name },
      }),
  }),
  defineTool({
    name: "customer.add_contact_medium",
    description: "Add an email, mobile number or address to a customer",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      medium_type: z.enum(["email", "mobile", "address"]),
      value: z.string().trim().min(1).max(200),
    }),
    run: ({ customer_id, medium_type, value }, ctx) =>
      ctx.client("crm").call(addContactMedium, {
        params: { id: customer_id },
        body: { mediumType: medium_type, value },
      }),
  }),
  defineTool({
    name: "customer.remove_contact_medium",
    description: "Remove one of a customer's contact media",
    class: "destructive",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      medium_id: z.string().trim().min(1).describe("CM-… id, from customer.get contactMedium"),
    }),
    run: async ({ customer_id, medium_id }, ctx) => {
      await ctx.client("crm").call(removeContactMedium, {
        params: { id: customer_id, cmId: medium_id },
      });
      return { id: medium_id, removed: true };
    },
  }),
  defineTool({
    name: "customer.close",
    description: "Close a customer (refused while they have live subscriptions)",
    class: "destructive",
    profiles: OPERATOR,
    args: z.object({ customer_id: CustomerId }),
    run: ({ customer_id }, ctx) =>
      ctx.client("crm").call(updateCustomer, {
        params: { id: customer_id },
        body: { status: "closed" },
      }),
  }),
  defineTool({
    name: "customer.attest_kyc",
    description: "Verify a customer's identity from a KYC provider's attestation token",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      provider: z.enum(KYC_PROVIDERS).exclude(["didit"]).describe(
        "KYC provider recorded as the verification method; the attestation is the sandbox's " +
          "simulated one (accepted only where prebaked attestations are allowed). didit attests " +
          "through its own verification flow",
      ),
      attestation_token: z.string().trim().min(1).max(500).describe(
        "The provider's attestation token (prebaked: any string; one token, one identity)",
      ),
    }),
    run: async ({ customer_id, provider, attestation_token }, ctx) => {
      const crm = ctx.client("crm");
      // Verified "now" on the BSS clock, which may be frozen or advanced.
      const { now } = await crm.call(clockNow);
      const attested = await crm.call(attestKyc, {
        params: { id: customer_id },
        body: await prebakedAttestation(attestation_token, now, provider),
      });
      return {
        customerId: attested.customer_id,
        provider: attested.provider,
        status: attested.kyc_status,
        verifiedAt: attested.verified_at,
      };
    },
  }),
  defineTool({
    name: "customer.get_kyc_status",
    description: "A customer's KYC state (verified, unverified or expired) and its dates",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ customer_id: CustomerId }),
    run: async ({ customer_id }, ctx) => {
      const status = await ctx.client("crm").call(kycStatus, { params: { id: customer_id } });
      return {
        ...status,
        state: kycState(status.kyc_status),
        verifiedAt: status.kyc_verified_at,
        expiresAt: status.kyc_expires_at,
      };
    },
  }),
  defineTool({
    name: "interaction.log",
    description: "Log an interaction (a note of contact) on a customer",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      summary: z.string().trim().min(1).max(1000),
      body: z.string().max(10_000).optional(),
    }),
    run: ({ customer_id, summary, body }, ctx) =>
      ctx.client("crm").call(createInteraction, {
        body: { customerId: customer_id, summary, body },
      }),
  }),
  defineTool({
    name: "interaction.list",
    description: "A customer's interactions, newest first",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ customer_id: CustomerId, limit: limit(50) }),
    run: ({ customer_id, limit }, ctx) =>
      ctx.client("crm").call(listInteractions, { query: { customerId: customer_id, limit } }),
  }),
];
