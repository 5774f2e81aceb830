/**
 * Contact media of a customer (docs/domain.md §1 `crm.contact_medium`, docs/http.md §6.1): added with the
 * live-email uniqueness rule, edited (never an email: that has its own verified flow),
 * removed (hard delete). Handlers of the customer actor.
 *
 * @module
 */
import type { Turn } from "../runtime/types.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { randomId } from "../../kernel/ids.ts";
import { type CustomerRow, emitCustomerEvent, requireCustomer } from "./customer_turn.ts";
import type {
  AddContactMedium,
  NewContactMedium,
  RemoveContactMedium,
  UpdateContactMedium,
} from "./customer_messages.ts";
import { emailTaken, refuseDirectEmailEdit, requireEmailFree } from "./customer_policies.ts";
import { type ContactMediumView, contactMediumView } from "./customer_queries.ts";
import { logInteraction } from "./interactions.ts";
import { isUniqueViolation } from "./rows.ts";

/**
 * Inserts live media for a party, checking `customer.create.email_unique` for each email. A
 * primary medium demotes the party's other media of its type.
 */
export async function insertMedia(
  turn: Turn,
  partyId: string,
  media: readonly NewContactMedium[],
): Promise<ContactMediumView[]> {
  const { sql } = turn;
  const added: ContactMediumView[] = [];
  for (const cm of media) {
    if (cm.mediumType === "email") await requireEmailFree(sql, cm.value);
    if (cm.isPrimary) await demotePrimary(sql, partyId, cm.mediumType);
    try {
      const [row] = await sql`
        insert into crm.contact_medium (id, party_id, medium_type, value, is_primary, valid_from,
          tenant_id)
        values (${randomId("CM")}, ${partyId}, ${cm.mediumType}, ${cm.value}, ${cm.isPrimary},
          ${turn.now()}, ${turn.caller.tenant})
        returning *`;
      added.push(contactMediumView(row));
    } catch (e) {
      // Another customer took the address between the check and the insert.
      if (isUniqueViolation(e, "uq_contact_medium_email_active")) throw emailTaken(cm.value);
      throw e;
    }
  }
  return added;
}

async function demotePrimary(sql: Sql, partyId: string, type: string): Promise<void> {
  await sql`update crm.contact_medium set is_primary = false, updated_at = kernel.bss_now()
    where party_id = ${partyId} and medium_type = ${type} and is_primary and valid_to is null`;
}

/** The customer's live medium `cmId`; another party's or a missing one → 404. */
async function ownMedium(sql: Sql, customer: CustomerRow, cmId: string) {
  const [row] = await sql`select * from crm.contact_medium
    where id = ${cmId} and party_id = ${customer.party_id} and valid_to is null`;
  if (!row) throw new NotFound("ContactMedium", cmId);
  return row;
}

function mediumEvent(turn: Turn, change: string, cm: { id: string; medium_type: string }) {
  emitCustomerEvent(turn, `customer.contact_medium_${change}`, {
    cm_id: cm.id,
    medium_type: cm.medium_type,
  });
}

/** `add_contact_medium`. */
export async function addContactMedium(
  turn: Turn,
  m: AddContactMedium,
): Promise<ContactMediumView> {
  const customer = await requireCustomer(turn);
  const [added] = await insertMedia(turn, customer.party_id, [m]);
  mediumEvent(turn, "added", { id: added.id, medium_type: added.mediumType });
  await logInteraction(turn.sql, {
    customerId: turn.key,
    summary: `Contact medium added: ${added.mediumType}`,
  });
  return added;
}

/** `update_contact_medium`: a new value for a non-email medium. */
export async function updateContactMedium(
  turn: Turn,
  m: UpdateContactMedium,
): Promise<ContactMediumView> {
  const customer = await requireCustomer(turn);
  const cm = await ownMedium(turn.sql, customer, m.cmId);
  refuseDirectEmailEdit(turn.key, m.cmId, cm.medium_type);
  const [row] = await turn.sql`update crm.contact_medium
    set value = ${m.value}, updated_at = kernel.bss_now() where id = ${m.cmId} returning *`;
  mediumEvent(turn, "updated", row as { id: string; medium_type: string });
  await logInteraction(turn.sql, {
    customerId: turn.key,
    summary: `Contact medium updated: ${row.medium_type}`,
  });
  return contactMediumView(row);
}

/** `remove_contact_medium`: hard delete. */
export async function removeContactMedium(
  turn: Turn,
  m: RemoveContactMedium,
): Promise<null> {
  const customer = await requireCustomer(turn);
  const cm = await ownMedium(turn.sql, customer, m.cmId);
  await turn.sql`delete from crm.contact_medium where id = ${m.cmId}`;
  mediumEvent(turn, "removed", cm as { id: string; medium_type: string });
  await logInteraction(turn.sql, {
    customerId: turn.key,
    summary: `Contact medium removed: ${cm.medium_type}`,
  });
  return null;
}
