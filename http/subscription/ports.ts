/**
 * The subscription domain's ports over the typed clients of CRM (customers and the
 * inventory), catalog and payment (docs/http.md §2 "Service-to-service HTTP"), each call through
 * the callee's own route definition.
 *
 * @module
 */
import type { z } from "zod";
import type { Price, SubscriptionPorts } from "../../actors/subscription/ports.ts";
import type { Config } from "../../kernel/config.ts";
import { NotFound, PolicyViolation } from "../../kernel/errors.ts";
import { log } from "../../kernel/log.ts";
import {
  getActivePrice,
  getProductOffering,
  getProductOfferingPrice,
  listProductOfferings,
} from "../catalog/product_catalog.ts";
import type { ProductOfferingPrice } from "../catalog/schemas.ts";
import { getVasOffering } from "../catalog/vas.ts";
import type { Client } from "../client.ts";
import { getCustomer } from "../crm/customers.ts";
import { getEsimRoute, recycleEsimRoute, releaseEsimRoute } from "../inventory/esim.ts";
import { bindLineRoute } from "../inventory/line.ts";
import { getMsisdnRoute, releaseMsisdnRoute } from "../inventory/msisdn.ts";
import { listPaymentMethods } from "../payment/payment_methods.ts";
import { createPayment, refundPayment } from "../payment/payments.ts";
import { serviceClient } from "../service_client.ts";

/** The typed clients the subscription service uses; the inventory is served by CRM. */
export interface SubscriptionClients {
  crm: Client;
  catalog: Client;
  payment: Client;
}

/** The clients found from the configuration (`BSS_<SERVICE>_URL` or port + offset). */
export function clientsFrom(config: Config): SubscriptionClients {
  return {
    crm: serviceClient(config, "crm", "subscription"),
    catalog: serviceClient(config, "catalog", "subscription"),
    payment: serviceClient(config, "payment", "subscription"),
  };
}

/** `call()`, or null when the callee answers 404. */
async function orNull<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof NotFound) return null;
    throw e;
  }
}

/** Runs a release whose failure must not undo a termination (logged, never thrown). */
async function logFailure(what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    log.warn("subscription.inventory_call_failed", { what, error: String(e) });
  }
}

const asPrice = (p: z.output<typeof ProductOfferingPrice>): Price => ({
  id: p.id,
  amount: p.price.taxIncludedAmount.value,
  currency: p.price.taxIncludedAmount.unit,
});

/** The ports over `clients`. */
export function subscriptionPorts(
  { crm, catalog, payment }: SubscriptionClients,
): SubscriptionPorts {
  const esimParams = (iccid: string) => ({ params: { iccid } });
  return {
    async customerStatus(id) {
      return (await orNull(() => crm.call(getCustomer, { params: { id } })))?.status ?? null;
    },
    async offeringAllowances(id) {
      const offering = await orNull(() => catalog.call(getProductOffering, { params: { id } }));
      return offering?.bundleAllowance ?? null;
    },
    async activePrice(offeringId) {
      try {
        const row = await orNull(() =>
          catalog.call(getActivePrice, { params: { offeringId }, query: {} })
        );
        return row && asPrice(row);
      } catch (e) {
        if (e instanceof PolicyViolation && e.rule === "catalog.price.no_active_row") return null;
        throw e;
      }
    },
    async priceById(priceId) {
      const row = await orNull(() =>
        catalog.call(getProductOfferingPrice, { params: { priceId } })
      );
      return row && asPrice(row);
    },
    async offeringPrices(id) {
      const offering = await orNull(() => catalog.call(getProductOffering, { params: { id } }));
      return offering?.productOfferingPrice.map(asPrice) ?? null;
    },
    async sellableAt(offeringId, at) {
      const onSale = await catalog.call(listProductOfferings, {
        query: { activeAt: at.toISOString(), limit: 200 },
      });
      return onSale.some((o) => o.id === offeringId);
    },
    vasOffering(id) {
      return orNull(() => catalog.call(getVasOffering, { params: { id } }));
    },
    async chargeableMethod(customerId) {
      const methods = await payment.call(listPaymentMethods, { query: { customerId } });
      const active = methods.filter((m) => m.status === "active");
      return (active.find((m) => m.isDefault) ?? active[0])?.id ?? null;
    },
    charge(request) {
      return payment.call(createPayment, { body: request });
    },
    async refund(idempotencyKey, reason) {
      return (await payment.call(refundPayment, { body: { idempotencyKey, reason } })).payment;
    },
    async msisdn(msisdn) {
      const row = await orNull(() => crm.call(getMsisdnRoute, { params: { msisdn } }));
      return row && { status: row.status, subscriptionId: row.assigned_to_subscription_id };
    },
    async esim(iccid) {
      const row = await orNull(() => crm.call(getEsimRoute, esimParams(iccid)));
      return row &&
        { profileState: row.profile_state, subscriptionId: row.assigned_to_subscription_id };
    },
    async bindLine({ msisdn, iccid, subscriptionId }) {
      const bound = await crm.call(bindLineRoute, {
        body: { msisdn, iccid, subscription_id: subscriptionId },
      });
      return bound.activation_code;
    },
    async returnLine({ msisdn, iccid, subscriptionId }) {
      const done: string[] = [];
      const others = (item: { assigned_to_subscription_id: string | null } | null) =>
        !!item?.assigned_to_subscription_id && item.assigned_to_subscription_id !== subscriptionId;
      const esim = await orNull(() => crm.call(getEsimRoute, esimParams(iccid)));
      if (others(esim)) {
        done.push("esim kept (another line's)");
      } else if (esim?.profile_state === "reserved") {
        await crm.call(releaseEsimRoute, esimParams(iccid));
        done.push("esim released");
      } else if (["downloaded", "activated", "suspended"].includes(esim?.profile_state ?? "")) {
        await crm.call(recycleEsimRoute, esimParams(iccid));
        done.push("esim recycled");
      }
      const number = await orNull(() => crm.call(getMsisdnRoute, { params: { msisdn } }));
      if (others(number)) {
        done.push("msisdn kept (another line's)");
      } else if (number?.status === "reserved" || number?.status === "assigned") {
        await crm.call(releaseMsisdnRoute, { params: { msisdn } });
        done.push("msisdn released");
      }
      return done;
    },
    async freeLine(line) {
      if (line.releaseMsisdn) {
        await logFailure(
          "release msisdn",
          () => crm.call(releaseMsisdnRoute, { params: { msisdn: line.msisdn } }),
        );
      }
      await logFailure(
        "recycle esim",
        () => crm.call(recycleEsimRoute, esimParams(line.iccid)),
      );
    },
  };
}
