/**
 * The order writes HTTP calls: each gathers the facts it needs from other services, runs the
 * rules that judge them (nothing is written when one fails) and asks the order actor.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { nextId } from "../../kernel/ids.ts";
import type { ActorSystem } from "../runtime/system.ts";
import { ORDER_KIND } from "./order_kind.ts";
import type { OrderMessage } from "./messages.ts";
import {
  assertCardOnFile,
  assertCustomerMayOrder,
  assertTransition,
  sellableSnapshot,
  submitCard,
} from "./policies.ts";
import type { ComPorts } from "./ports.ts";
import { getOrder } from "./queries.ts";

/** What order writes run with. */
export interface OrderDeps {
  sql: Pool;
  system: ActorSystem;
  ports: ComPorts;
  /** `BSS_REQUIRE_KYC`: orders need a verified customer. */
  requireKyc: boolean;
}

/** A new order as requested. */
export interface NewOrder {
  customerId: string;
  offeringId: string;
  msisdnPreference?: string | null;
  notes?: string | null;
}

async function ask(deps: OrderDeps, id: string, message: OrderMessage): Promise<void> {
  await deps.system.ask(ORDER_KIND, id, message);
}

/** An order id fixed by an earlier attempt of the same request, and how to fix a new one. */
export interface OrderIdSlot {
  fixedId: string | null;
  fixId(id: string): Promise<void>;
}

/**
 * Creates an `acknowledged` order after the create rules, in order: customer, KYC,
 * offering, sellable with an active price, card on file. Returns its id; with `slot`, the id
 * an earlier attempt fixed (the create is a no-op on an existing order).
 */
export async function placeOrder(
  deps: OrderDeps,
  input: NewOrder,
  slot?: OrderIdSlot,
): Promise<string> {
  const { ports } = deps;
  assertCustomerMayOrder(input.customerId, await ports.customer(input.customerId), deps.requireKyc);
  const [offering, price] = await Promise.all([
    ports.offering(input.offeringId),
    ports.activePrice(input.offeringId),
  ]);
  const priceSnapshot = sellableSnapshot(input.offeringId, offering, price, clock.now());
  assertCardOnFile(input.customerId, await ports.activePaymentMethods(input.customerId));
  const id = slot?.fixedId ?? await nextId(deps.sql, "ORD");
  await slot?.fixId(id);
  await ask(deps, id, {
    type: "create",
    customerId: input.customerId,
    offeringId: input.offeringId,
    msisdnPreference: input.msisdnPreference ?? null,
    notes: input.notes ?? null,
    priceSnapshot,
  });
  return id;
}

/** Submits an order with the customer's default card (else the newest active one). */
export async function submitOrder(deps: OrderDeps, id: string): Promise<void> {
  const order = await getOrder(deps.sql, id);
  assertTransition(id, order.state, "in_progress");
  const methods = await deps.ports.activePaymentMethods(order.customer_id);
  await ask(deps, id, { type: "submit", paymentMethodId: submitCard(order.customer_id, methods) });
}

/**
 * Cancels an order: a terminal order is refused before SOM is bothered; then SOM stops its
 * service order if it has not started, and the order actor applies the "not started" rule.
 */
export async function cancelOrder(deps: OrderDeps, id: string): Promise<void> {
  const order = await getOrder(deps.sql, id);
  assertTransition(id, order.state, "cancelled");
  await ask(deps, id, { type: "cancel", serviceOrders: await deps.ports.stopServiceOrders(id) });
}
