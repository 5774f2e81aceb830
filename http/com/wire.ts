/**
 * Rows to their TMF622 wire form.
 *
 * @module
 */
import type { z } from "zod";
import type { OrderItemRow, OrderRow } from "../../actors/com/model.ts";
import { ORDER_STATE, type ProductOrder, type ProductOrderItem, TMF622 } from "./schemas.ts";

const iso = (d: Date | null) => d?.toISOString() ?? null;

function itemWire(i: OrderItemRow): z.input<typeof ProductOrderItem> {
  return {
    id: i.id,
    action: i.action,
    productOffering: { id: i.offering_id, "@referredType": "ProductOffering" },
    offeringId: i.offering_id,
    state: i.state,
    targetSubscriptionId: i.target_subscription_id,
    priceAmount: i.price_amount,
    priceCurrency: i.price_currency,
    priceOfferingPriceId: i.price_offering_price_id,
    discountCode: i.discount_code,
    promoOfferDefinitionId: i.promo_offer_definition_id,
    discountType: i.discount_type,
    discountValue: i.discount_value,
    discountPeriodsTotal: i.discount_periods_total,
    promoOfferId: i.promo_offer_id,
  };
}

/** The wire form of an order. */
export function orderWire(o: OrderRow): z.input<typeof ProductOrder> {
  return {
    "@type": "ProductOrder",
    id: o.id,
    href: `${TMF622}/productOrder/${o.id}`,
    relatedParty: [{ id: o.customer_id, role: "Customer", "@referredType": "Customer" }],
    customerId: o.customer_id,
    state: ORDER_STATE.toTmf(o.state),
    orderDate: o.order_date.toISOString(),
    requestedCompletionDate: iso(o.requested_completion_date),
    completedDate: iso(o.completed_date),
    completionDate: iso(o.completed_date),
    msisdnPreference: o.msisdn_preference,
    notes: o.notes,
    paymentMethodId: o.payment_method_id,
    productOrderItem: o.items.map(itemWire),
  };
}
