/**
 * The customer read model (docs/http.md §6.1): TMF629 Customer with its individual and its live
 * contact media. Reads are free; every write goes through the customer actor.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { allOf, eq, type Fragment, iso } from "./rows.ts";
import type { CustomerStatus, MediumType } from "./vocab.ts";

/** Where a customer lives on the wire. */
export const CUSTOMER_PATH = "/tmf-api/customerManagement/v4/customer";

/** A live contact medium as TMF629 shows it. */
export interface ContactMediumView {
  "@type": "ContactMedium";
  id: string;
  mediumType: MediumType;
  value: string;
  isPrimary: boolean;
  /** TMF629's name for `isPrimary`. */
  preferred: boolean;
  /** TMF629's structured form of `value`. */
  characteristic: Record<string, string>;
  validFrom: string | null;
  validTo: string | null;
  /** TMF629's period of `validFrom` and `validTo`. */
  validFor: { startDateTime: string | null; endDateTime: string | null };
}

/** A customer as TMF629 shows it. */
export interface CustomerView {
  "@type": "Customer";
  id: string;
  href: string;
  name: string;
  status: CustomerStatus;
  statusReason: string | null;
  kycStatus: string;
  customerSince: string | null;
  engagedParty: { id: string; "@referredType": "Individual"; name: string };
  individual: { givenName: string; familyName: string; dateOfBirth: string | null } | null;
  contactMedium: ContactMediumView[];
}

const CHARACTERISTIC: Record<MediumType, string> = {
  email: "emailAddress",
  mobile: "phoneNumber",
  postal: "street1",
};

/** A contact medium row as TMF629 shows it. */
export function contactMediumView(row: Record<string, unknown>): ContactMediumView {
  const type = row.medium_type as MediumType;
  const value = row.value as string;
  return {
    "@type": "ContactMedium",
    id: row.id as string,
    mediumType: type,
    value,
    isPrimary: row.is_primary as boolean,
    preferred: row.is_primary as boolean,
    characteristic: { [CHARACTERISTIC[type]]: value },
    validFrom: iso(row.valid_from as Date | null),
    validTo: iso(row.valid_to as Date | null),
    validFor: {
      startDateTime: iso(row.valid_from as Date | null),
      endDateTime: iso(row.valid_to as Date | null),
    },
  };
}

/** A verified KYC whose expiry has passed reads as `expired` (no sweep needs to run). */
export function effectiveKycStatus(status: string, expiresAt: Date | null, now: Date): string {
  return status === "verified" && expiresAt && expiresAt <= now ? "expired" : status;
}

/** Customers matching `where` (a SQL condition over `c`), in id order, with their media. */
async function customersWhere(
  sql: Sql,
  where: Fragment,
  page: { limit: number; offset: number } = { limit: 1, offset: 0 },
): Promise<CustomerView[]> {
  const rows = await sql`
    select c.id, c.party_id, c.status, c.status_reason, c.customer_since, c.kyc_status,
      c.kyc_expires_at, i.given_name, i.family_name, i.date_of_birth::text as date_of_birth
    from crm.customer c left join crm.individual i on i.party_id = c.party_id
    where ${where}
    order by c.id limit ${page.limit} offset ${page.offset}`;
  if (rows.length === 0) return [];
  const media = await sql`
    select id, party_id, medium_type, value, is_primary, valid_from, valid_to
    from crm.contact_medium
    where party_id = any(${rows.map((r) => r.party_id)}) and valid_to is null
    order by seq`;
  const now = clock.now();
  return rows.map((r) => {
    const name = [r.given_name, r.family_name].filter(Boolean).join(" ");
    return {
      "@type": "Customer",
      id: r.id,
      href: `${CUSTOMER_PATH}/${r.id}`,
      name,
      status: r.status,
      statusReason: r.status_reason,
      kycStatus: effectiveKycStatus(r.kyc_status, r.kyc_expires_at, now),
      customerSince: iso(r.customer_since),
      engagedParty: { id: r.party_id, "@referredType": "Individual", name },
      individual: r.given_name === null ? null : {
        givenName: r.given_name,
        familyName: r.family_name,
        dateOfBirth: r.date_of_birth,
      },
      contactMedium: media.filter((m) => m.party_id === r.party_id).map(contactMediumView),
    };
  });
}

/** One customer, or undefined. */
export async function getCustomer(sql: Sql, id: string): Promise<CustomerView | undefined> {
  const [customer] = await customersWhere(sql, sql`c.id = ${id}`);
  return customer;
}

/** Whether the customer exists. */
export async function customerExists(sql: Sql, id: string): Promise<boolean> {
  const [row] = await sql`select 1 from crm.customer where id = ${id}`;
  return row !== undefined;
}

/** The customer owning the live email medium `email` (exact, case-insensitive), or undefined. */
export async function customerByEmail(sql: Sql, email: string): Promise<CustomerView | undefined> {
  const [customer] = await customersWhere(
    sql,
    sql`c.party_id = (select party_id from crm.contact_medium
      where medium_type = 'email' and value = ${email.trim().toLowerCase()} and valid_to is null)`,
  );
  return customer;
}

/** Customers by id, optionally by status and a name substring (case-insensitive). */
export function listCustomers(
  sql: Sql,
  q: CustomerFilter & { limit: number; offset: number },
): Promise<CustomerView[]> {
  return customersWhere(sql, customerFilter(sql, q), q);
}

/** How many customers `filter` takes. */
export async function countCustomers(sql: Sql, filter: CustomerFilter): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n
    from crm.customer c left join crm.individual i on i.party_id = c.party_id
    where ${customerFilter(sql, filter)}`;
  return n;
}

/** Which customers a list takes: by status, by a fragment of the name (any case). */
export interface CustomerFilter {
  status?: string;
  name?: string;
}

function customerFilter(sql: Sql, q: CustomerFilter): Fragment {
  return allOf(sql, [
    ...eq(sql, "c.status", q.status),
    ...q.name === undefined ? [] : [
      sql`strpos(lower(i.given_name || ' ' || i.family_name), lower(${q.name})) > 0`,
    ],
  ]);
}
