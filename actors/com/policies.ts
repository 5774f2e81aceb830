/**
 * COM's write rules (docs/domain.md §4.3 with docs/decisions.md's order preconditions). Each throws a
 * PolicyViolation with the exact rule code and changes nothing.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import { ORDER_TRANSITIONS, type OrderState, type PriceSnapshot } from "./model.ts";
import type { CustomerFacts, OfferingFacts, ServiceOrderFacts } from "./ports.ts";

const ORDERING_STATUSES = new Set(["active", "pending"]);

/**
 * The customer exists (`order.create.customer_not_found`), is `active|pending`
 * (`order.create.customer_not_active`) and, unless KYC is switched off, verified
 * (`order.create.requires_verified_customer`).
 */
export function assertCustomerMayOrder(
  customerId: string,
  customer: CustomerFacts | null,
  requireKyc: boolean,
): void {
  if (!customer) {
    throw new PolicyViolation(
      "order.create.customer_not_found",
      `customer ${customerId} not found`,
      {
        customer_id: customerId,
      },
    );
  }
  if (!ORDERING_STATUSES.has(customer.status)) {
    throw new PolicyViolation(
      "order.create.customer_not_active",
      `customer ${customerId} is ${customer.status}; only active or pending customers order`,
      { customer_id: customerId, status: customer.status },
    );
  }
  if (requireKyc && customer.kycStatus !== "verified") {
    throw new PolicyViolation(
      "order.create.requires_verified_customer",
      `customer ${customerId} has not passed KYC (${customer.kycStatus})`,
      { customer_id: customerId, kyc_status: customer.kycStatus },
    );
  }
}

/**
 * The offering exists (`order.create.offering_not_found`), is sellable, active and inside
 * its window at `now`, and has an active price (`offering.not_sellable_now`, with the
 * underlying reason); returns that price as the order's snapshot.
 */
export function sellableSnapshot(
  offeringId: string,
  offering: OfferingFacts | null,
  price: PriceSnapshot | null,
  now: Date,
): PriceSnapshot {
  if (!offering) {
    throw new PolicyViolation(
      "order.create.offering_not_found",
      `offering ${offeringId} not found`,
      {
        offering_id: offeringId,
      },
    );
  }
  const underlying = offering.isSellable === false
    ? "catalog.offering.not_sellable"
    : offering.lifecycleStatus !== null && offering.lifecycleStatus !== "active"
    ? "catalog.offering.not_active"
    : (offering.validFrom && offering.validFrom > now) ||
        (offering.validTo && offering.validTo <= now)
    ? "catalog.offering.outside_window"
    : price === null
    ? "catalog.price.no_active_row"
    : undefined;
  if (underlying) {
    throw new PolicyViolation(
      "offering.not_sellable_now",
      `offering ${offeringId} cannot be sold now (${underlying})`,
      { offering_id: offeringId, underlying },
    );
  }
  return price!;
}

/** A card on file for a new order (`order.create.requires_cof`). */
export function assertCardOnFile(customerId: string, methods: string[]): void {
  if (methods.length === 0) {
    throw new PolicyViolation(
      "order.create.requires_cof",
      `customer ${customerId} has no active payment method on file`,
      { customer_id: customerId },
    );
  }
}

/**
 * The card a submitted order charges: the first of `methods` (the default, as renewals and top-ups
 * charge; `order.submit.requires_cof` when there is none).
 */
export function submitCard(customerId: string, methods: string[]): string {
  if (methods.length === 0) {
    throw new PolicyViolation(
      "order.submit.requires_cof",
      `customer ${customerId} has no active payment method on file`,
      { customer_id: customerId },
    );
  }
  return methods[0];
}

/** `from → to` is a legal move (`order.transition.invalid`). */
export function assertTransition(orderId: string, from: OrderState, to: OrderState): void {
  const allowed = ORDER_TRANSITIONS[from];
  if (!allowed.includes(to)) {
    throw new PolicyViolation(
      "order.transition.invalid",
      `order ${orderId} cannot go from ${from} to ${to}`,
      { order_id: orderId, current_state: from, target_state: to, allowed },
    );
  }
}

/**
 * An order may be cancelled only until SOM starts on it: every service order still
 * `acknowledged`, or stopped (`cancelled`) by SOM for this cancel
 * (`order.cancel.forbidden_after_som_started`).
 */
export function assertNotStarted(orderId: string, serviceOrders: ServiceOrderFacts[]): void {
  const started = serviceOrders.find((so) =>
    so.state !== "acknowledged" && so.state !== "cancelled"
  );
  if (started) {
    throw new PolicyViolation(
      "order.cancel.forbidden_after_som_started",
      `order ${orderId} cannot be cancelled: service order ${started.id} is ${started.state}`,
      { order_id: orderId, service_order_id: started.id, service_order_state: started.state },
    );
  }
}
