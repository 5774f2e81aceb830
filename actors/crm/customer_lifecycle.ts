/**
 * Customer lifecycle handlers of the customer actor (docs/domain.md §3 "Customer", docs/flows.md §4
 * "Customer close"): create straight to `active`, status changes guarded by the live
 * subscription rule, name changes.
 *
 * @module
 */
import type { Turn } from "../runtime/types.ts";
import { randomId } from "../../kernel/ids.ts";
import { insertMedia } from "./contact_media.ts";
import type { CreateCustomer, UpdateCustomer, UpdateIndividual } from "./customer_messages.ts";
import {
  requireContactMedium,
  requireIndividualFields,
  requireNoLiveSubscriptions,
} from "./customer_policies.ts";
import { type CustomerView, getCustomer } from "./customer_queries.ts";
import { emitCustomerEvent, requireCustomer } from "./customer_turn.ts";
import { logInteraction } from "./interactions.ts";

async function reply(turn: Turn): Promise<CustomerView> {
  return (await getCustomer(turn.sql, turn.key))!;
}

/**
 * Runs `write` (a query not yet sent), logs the interaction and reads the reply without
 * waiting in between: the statements go out together on the turn's connection and run in the
 * order sent, the write first (its `then` sends it now; the others send theirs on later ticks).
 */
async function afterWrite(
  turn: Turn,
  write: PromiseLike<unknown>,
  summary: string,
): Promise<CustomerView> {
  const written = write.then(() => {});
  const [, , view] = await Promise.all([
    written,
    logInteraction(turn.sql, { customerId: turn.key, summary }),
    reply(turn),
  ]);
  return view;
}

/** `create`: party, individual, customer (`active`, customer since now) and its media. */
export async function establishCustomer(turn: Turn, m: CreateCustomer): Promise<CustomerView> {
  requireContactMedium(m.contactMedium);
  const { sql } = turn;
  const partyId = randomId("PTY");
  const tenant = turn.caller.tenant;
  await sql`insert into crm.party (id, party_type, tenant_id)
    values (${partyId}, 'individual', ${tenant})`;
  await sql`insert into crm.individual (party_id, given_name, family_name, date_of_birth, tenant_id)
    values (${partyId}, ${m.givenName}, ${m.familyName}, ${m.dateOfBirth}, ${tenant})`;
  await sql`insert into crm.customer (id, party_id, status, customer_since, tenant_id)
    values (${turn.key}, ${partyId}, 'active', ${turn.now()}, ${tenant})`;
  await insertMedia(turn, partyId, m.contactMedium);
  emitCustomerEvent(turn, "customer.created", {
    given_name: m.givenName,
    family_name: m.familyName,
  });
  await logInteraction(sql, { customerId: turn.key, summary: "Customer created" });
  return await reply(turn);
}

/** `update`: status and/or its reason; leaving `active` checks live subscriptions. */
export async function updateCustomer(
  turn: Turn,
  m: UpdateCustomer,
  liveSubscriptionCount: (customerId: string) => Promise<number>,
): Promise<CustomerView> {
  const customer = await requireCustomer(turn);
  const to = m.status ?? customer.status;
  if (customer.status === "active" && to !== "active") {
    requireNoLiveSubscriptions(
      turn.key,
      customer.status,
      to,
      await liveSubscriptionCount(turn.key),
    );
  }
  const fields = [
    ...m.status === undefined ? [] : ["status"],
    ...m.statusReason === undefined ? [] : ["status_reason"],
  ];
  emitCustomerEvent(turn, "customer.updated", { fields_updated: fields });
  const change = m.status === undefined ? "" : `: status ${customer.status} -> ${to}`;
  return await afterWrite(
    turn,
    turn.sql`update crm.customer set
      status = ${to},
      status_reason = ${m.statusReason === undefined ? turn.sql`status_reason` : m.statusReason},
      customer_since = case when ${to} = 'active' then coalesce(customer_since, ${turn.now()})
        else customer_since end,
      updated_at = kernel.bss_now()
    where id = ${turn.key}`,
    `Customer updated${change}`,
  );
}

/** `update_individual`: given and/or family name. */
export async function updateIndividual(turn: Turn, m: UpdateIndividual): Promise<CustomerView> {
  const customer = await requireCustomer(turn);
  requireIndividualFields(turn.key, m);
  const fields = [
    ...m.givenName === undefined ? [] : ["given_name"],
    ...m.familyName === undefined ? [] : ["family_name"],
  ];
  emitCustomerEvent(turn, "customer.individual_updated", { fields });
  return await afterWrite(
    turn,
    turn.sql`update crm.individual set
      given_name = coalesce(${m.givenName ?? null}, given_name),
      family_name = coalesce(${m.familyName ?? null}, family_name),
      updated_at = kernel.bss_now()
    where party_id = ${customer.party_id}`,
    "Name updated",
  );
}
