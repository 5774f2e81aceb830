/**
 * COM's outside dependencies over the typed clients of CRM, catalog, payment and SOM
 * (docs/http.md §2 "Service-to-service HTTP"), and the activation request: a message to the
 * subscription actor, committed with the order's turn.
 *
 * @module
 */
import type { ComPorts, RequestSubscription } from "../../actors/com/ports.ts";
import { ORDER_KIND } from "../../actors/com/order_kind.ts";
import type { MessageOf } from "../../actors/subscription/messages.ts";
import type { Config } from "../../kernel/config.ts";
import { NotFound, PolicyViolation } from "../../kernel/errors.ts";
import { getActivePrice, getProductOffering } from "../catalog/product_catalog.ts";
import { getCustomer } from "../crm/customers.ts";
import { listPaymentMethods } from "../payment/payment_methods.ts";
import { serviceClient } from "../service_client.ts";
import { cancelServiceOrderRoute } from "../som/service_orders.ts";
import { releaseLineOver } from "../som/inventory_calls.ts";

/** The value of `call`, or null when the callee does not know the id. */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof NotFound) return null;
    throw e;
  }
}

const date = (s: string | null | undefined) => (s ? new Date(s) : null);

/** COM's ports for a process running with `config`. */
export function comPorts(config: Config): ComPorts {
  const crm = serviceClient(config, "crm", "com");
  const catalog = serviceClient(config, "catalog", "com");
  const payment = serviceClient(config, "payment", "com");
  const som = serviceClient(config, "som", "com");
  return {
    async customer(id) {
      const c = await orNull(crm.call(getCustomer, { params: { id } }));
      return c && { status: c.status, kycStatus: c.kycStatus };
    },
    async offering(id) {
      const o = await orNull(catalog.call(getProductOffering, { params: { id } }));
      return o && {
        isSellable: o.isSellable,
        lifecycleStatus: o.lifecycleStatus,
        validFrom: date(o.validFor?.startDateTime),
        validTo: date(o.validFor?.endDateTime),
      };
    },
    async activePrice(offeringId) {
      try {
        const p = await catalog.call(getActivePrice, { params: { offeringId } });
        const amount = p.price.taxIncludedAmount;
        return {
          priceAmount: amount.value,
          priceCurrency: amount.unit,
          priceOfferingPriceId: p.id,
        };
      } catch (e) {
        if (e instanceof PolicyViolation && e.rule === "catalog.price.no_active_row") return null;
        if (e instanceof NotFound) return null;
        throw e;
      }
    },
    async activePaymentMethods(customerId) {
      const methods = await payment.call(listPaymentMethods, { query: { customerId } });
      const active = methods.filter((m) => m.status === "active");
      // The list is newest first; the default card goes before it.
      return [...active.filter((m) => m.isDefault), ...active.filter((m) => !m.isDefault)]
        .map((m) => m.id);
    },
    async stopServiceOrders(commercialOrderId) {
      const reply = await som.call(cancelServiceOrderRoute, { body: { commercialOrderId } });
      return reply.serviceOrders;
    },
    releaseLine: releaseLineOver(config, "com"),
    requestSubscription,
  };
}

/** The activation request as the subscription actor's `create`, answered to the order. */
export const requestSubscription: RequestSubscription = (turn, { subscriptionId, ...r }) => {
  const create: MessageOf<"create"> = {
    type: "create",
    ...r,
    notify: { kind: ORDER_KIND, key: r.commercialOrderId },
  };
  turn.tell("subscription", subscriptionId, create);
};
