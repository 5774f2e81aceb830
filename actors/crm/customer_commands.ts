/**
 * How the HTTP edge writes customers: a message to the customer actor, asked and awaited.
 *
 * @module
 */
import type { ActorSystem } from "../runtime/system.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { nextId } from "../../kernel/ids.ts";
import type { CreateCustomer, CustomerMessage } from "./customer_messages.ts";
import { customerExists, type CustomerView } from "./customer_queries.ts";

/** What sending to customers needs. */
export interface CustomerDeps {
  sql: Sql;
  system: ActorSystem;
}

/** Creates a customer: its new actor is asked to `create` itself. */
export async function createCustomer(
  deps: CustomerDeps,
  m: Omit<CreateCustomer, "type">,
): Promise<CustomerView> {
  const id = await nextId(deps.sql, "CUST");
  return deps.system.ask<CustomerView>("customer", id, { ...m, type: "create" });
}

/**
 * Asks an existing customer's actor. An unknown id is a 404 before any message is sent, so
 * no mailbox is opened for a customer that does not exist.
 */
export async function askCustomer<T>(
  deps: CustomerDeps,
  id: string,
  message: Exclude<CustomerMessage, CreateCustomer>,
): Promise<T> {
  if (!await customerExists(deps.sql, id)) throw new NotFound("Customer", id);
  return await deps.system.ask<T>("customer", id, message);
}
