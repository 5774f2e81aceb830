/**
 * Cards on file: add, list, get, remove, set default. Writes run in one transaction under
 * the customer's card lock (so the cap and the single default hold under concurrency),
 * with their events.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { currentCaller } from "../../kernel/context.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { NotFound, PolicyViolation } from "../../kernel/errors.ts";
import { type DomainEvent, emit } from "../../kernel/events.ts";
import { nextId } from "../../kernel/ids.ts";
import { methodAdded, methodChanged } from "./events.ts";
import { lockCustomerCards } from "./locks.ts";
import {
  activeMethods,
  findMethod,
  insertMethod,
  makeDefault,
  markRemoved,
  ownerOf,
} from "./method_queries.ts";
import type { NewMethod, PaymentMethod } from "./model.ts";
import type { PaymentOptions } from "./options.ts";
import {
  assertCardNotExpired,
  checkAddMethod,
  checkMethodCap,
  checkRemoveMethod,
  checkSetDefault,
  checkTokenUnused,
} from "./policies.ts";

/**
 * Puts a card on file; the customer's first active card becomes the default. A gateway that
 * registers tokens (Stripe) is called first, outside the transaction, and its card is kept.
 */
export async function addMethod(
  sql: Pool,
  options: PaymentOptions,
  given: NewMethod,
): Promise<PaymentMethod> {
  checkAddMethod({
    customerId: given.customerId,
    customerStatus: await options.customerStatus(given.customerId),
    tokenProvider: given.tokenProvider,
    activeProvider: options.gateway.provider,
    expMonth: given.card?.expMonth,
    expYear: given.card?.expYear,
    now: clock.now(),
  });
  const registered = await options.gateway.register?.(given.customerId, given.token);
  const card = registered?.card ?? given.card ?? cardSummaryMissing(given.customerId);
  if (registered) assertCardNotExpired(card.expMonth, card.expYear, clock.now());
  const m = { ...given, token: registered?.token ?? given.token, card };
  return await sql.begin(async (tx) => {
    await lockCustomerCards(tx, m.customerId);
    const active = await activeMethods(tx, m.customerId);
    checkMethodCap(m.customerId, active.length);
    const method = await insertMethod(tx, {
      ...m,
      id: await nextId(tx, "PM"),
      isDefault: active.length === 0,
      tenant: currentCaller().tenant,
      now: clock.now(),
    });
    checkTokenUnused(m.customerId, method);
    await emit(tx, methodAdded(method));
    return method;
  });
}

/** One card in any state; 404 when unknown. */
export async function getMethod(sql: Sql, id: string): Promise<PaymentMethod> {
  return await findMethod(sql, id) ?? notFound(id);
}

/** A customer's active cards, newest first. */
export function listMethods(sql: Sql, customerId: string): Promise<PaymentMethod[]> {
  return activeMethods(sql, customerId);
}

/**
 * Removes a card. When it was the default, the newest remaining active card takes over, so
 * a customer with cards always has a default to charge.
 */
export async function removeMethod(
  sql: Pool,
  options: PaymentOptions,
  id: string,
): Promise<PaymentMethod> {
  return await withCustomerCards(sql, id, async (tx, method) => {
    const active = await activeMethods(tx, method.customerId);
    await checkRemoveMethod({
      method,
      activeCount: active.length,
      activeSubscriptions: () => options.activeSubscriptionCount(method.customerId),
    });
    const now = clock.now();
    const removed = await markRemoved(tx, id, now);
    const events: DomainEvent[] = [methodChanged("payment_method.removed", removed)];
    const heir = method.isDefault ? active.find((m) => m.id !== id) : undefined;
    if (heir) {
      const promoted = await makeDefault(tx, method.customerId, heir.id, now);
      events.push(methodChanged("payment_method.default_changed", promoted));
    }
    await emit(tx, ...events);
    return removed;
  });
}

/** Makes a card the customer's default and clears the others; a no-op when it already is. */
export async function setDefaultMethod(sql: Pool, id: string): Promise<PaymentMethod> {
  return await withCustomerCards(sql, id, async (tx, method) => {
    checkSetDefault(method);
    if (method.isDefault) return method;
    const promoted = await makeDefault(tx, method.customerId, id, clock.now());
    await emit(tx, methodChanged("payment_method.default_changed", promoted));
    return promoted;
  });
}

/**
 * Runs `fn` in a transaction holding the card owner's lock, with the card as it is under
 * that lock. The owner never changes, so reading it before locking is safe.
 */
async function withCustomerCards<T>(
  sql: Pool,
  id: string,
  fn: (tx: Sql, method: PaymentMethod) => Promise<T>,
): Promise<T> {
  const owner = await ownerOf(sql, id) ?? notFound(id);
  const result = await sql.begin(async (tx) => {
    await lockCustomerCards(tx, owner);
    return await fn(tx, (await findMethod(tx, id))!);
  });
  return result as T;
}

function cardSummaryMissing(customerId: string): never {
  throw new PolicyViolation(
    "payment_method.add.card_summary_given",
    "a card summary (brand, last four digits, expiry) is needed with this provider's token",
    { customer_id: customerId },
  );
}

function notFound(id: string): never {
  throw new NotFound("PaymentMethod", id);
}
