/**
 * The other services a subscription talks to (docs/http.md §2): CRM for the customer and the
 * inventory, catalog for offerings, prices and VAS, payment for charges and cards. Each call
 * goes through the typed client of the callee's own route definition.
 *
 * @module
 */
import type { z } from "zod";
import type { Client } from "../../http/client.ts";
import { getCustomer } from "../../http/crm/customers.ts";
import {
  getActivePrice,
  getProductOffering,
  getProductOfferingPrice,
  listProductOfferings,
} from "../../http/catalog/product_catalog.ts";
import type { ProductOfferingPrice } from "../../http/catalog/schemas.ts";
import { getVasOffering } from "../../http/catalog/vas.ts";
import {
  assignEsimMsisdnRoute,
  esimActivationRoute,
  getEsimRoute,
  markEsimActivatedRoute,
  markEsimDownloadedRoute,
  recycleEsimRoute,
  releaseEsimRoute,
} from "../../http/inventory/esim.ts";
import {
  assignMsisdnRoute,
  getMsisdnRoute,
  releaseMsisdnRoute,
} from "../../http/inventory/msisdn.ts";
import { createPayment } from "../../http/payment/payments.ts";
import { listPaymentMethods } from "../../http/payment/payment_methods.ts";
import { serviceClient } from "../../http/service_client.ts";
import type { Config } from "../../kernel/config.ts";
import { NotFound, PolicyViolation } from "../../kernel/errors.ts";
import { log } from "../../kernel/log.ts";

/** The typed clients a subscription uses; inventory is served by CRM. */
export interface Upstream {
  crm: Client;
  catalog: Client;
  payment: Client;
}

/** The clients found from the configuration (`BSS_<SERVICE>_URL` or port + offset). */
export function upstreamFrom(config: Config): Upstream {
  return {
    crm: serviceClient(config, "crm", "subscription"),
    catalog: serviceClient(config, "catalog", "subscription"),
    payment: serviceClient(config, "payment", "subscription"),
  };
}

/** `fn()`, or null when the callee answers 404. */
async function orNull<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof NotFound) return null;
    throw e;
  }
}

/** A customer's status, or null when CRM does not know them. */
export async function customerStatus(up: Upstream, id: string): Promise<string | null> {
  const customer = await orNull(() => up.crm.call(getCustomer, { params: { id } }));
  return customer?.status ?? null;
}

/** An allowance of a plan. */
export interface Allowance {
  allowanceType: string;
  quantity: number;
  unit: string;
}

/** An offering's bundle, or null when the catalog does not know it. */
export async function offeringAllowances(
  up: Upstream,
  id: string,
): Promise<Allowance[] | null> {
  const offering = await orNull(() => up.catalog.call(getProductOffering, { params: { id } }));
  return offering?.bundleAllowance ?? null;
}

/** A price row as the subscription keeps it. */
export interface Price {
  id: string;
  amount: string;
  currency: string;
}

const asPrice = (p: z.output<typeof ProductOfferingPrice>): Price => ({
  id: p.id,
  amount: p.price.taxIncludedAmount.value,
  currency: p.price.taxIncludedAmount.unit,
});

/** The offering's active recurring price now, or null when it has none. */
export async function activePrice(up: Upstream, offeringId: string): Promise<Price | null> {
  try {
    const row = await orNull(() =>
      up.catalog.call(getActivePrice, { params: { offeringId }, query: {} })
    );
    return row && asPrice(row);
  } catch (e) {
    if (e instanceof PolicyViolation && e.rule === "catalog.price.no_active_row") return null;
    throw e;
  }
}

/** A price row by id (whatever its window), or null. */
export async function priceById(up: Upstream, priceId: string): Promise<Price | null> {
  const row = await orNull(() => up.catalog.call(getProductOfferingPrice, { params: { priceId } }));
  return row && asPrice(row);
}

/** The price rows of an offering (any window), or null when the offering is unknown. */
export async function offeringPrices(up: Upstream, id: string): Promise<Price[] | null> {
  const offering = await orNull(() => up.catalog.call(getProductOffering, { params: { id } }));
  return offering?.productOfferingPrice.map(asPrice) ?? null;
}

/** Whether the offering is on sale at `at`. */
export async function sellableAt(up: Upstream, offeringId: string, at: Date): Promise<boolean> {
  const onSale = await up.catalog.call(listProductOfferings, {
    query: { activeAt: at.toISOString(), limit: 200 },
  });
  return onSale.some((o) => o.id === offeringId);
}

/** A VAS offering, or null. */
export function vasOffering(up: Upstream, id: string) {
  return orNull(() => up.catalog.call(getVasOffering, { params: { id } }));
}

/** A charge request; `idempotencyKey` names the business operation. */
export interface ChargeRequest {
  customerId: string;
  paymentMethodId: string;
  amount: string;
  currency: string;
  purpose: "activation" | "renewal" | "vas";
  idempotencyKey: string;
}

/** Charges a card on file; a decline is a result, not an error. */
export function charge(up: Upstream, request: ChargeRequest) {
  return up.payment.call(createPayment, { body: request });
}

/** The customer's default card, else the newest active one, else null. */
export async function chargeableMethod(up: Upstream, customerId: string): Promise<string | null> {
  const methods = await up.payment.call(listPaymentMethods, { query: { customerId } });
  const active = methods.filter((m) => m.status === "active");
  return (active.find((m) => m.isDefault) ?? active[0])?.id ?? null;
}

/** An MSISDN's pool status, or null when it is not in the pool. */
export async function msisdnStatus(up: Upstream, msisdn: string): Promise<string | null> {
  const row = await orNull(() => up.crm.call(getMsisdnRoute, { params: { msisdn } }));
  return row?.status ?? null;
}

/** An eSIM profile, or null when it is unknown. */
export function esimProfile(up: Upstream, iccid: string) {
  return orNull(() => up.crm.call(getEsimRoute, { params: { iccid } }));
}

/** Runs an inventory side effect whose failure must not undo the subscription's change. */
async function bestEffort(what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    log.warn("subscription.inventory_call_failed", { what, error: String(e) });
  }
}

/**
 * Binds the line to the subscription: MSISDN `assigned`, eSIM linked to the number and driven
 * reserved → downloaded → activated (docs/decisions.md). Each step is skipped when already done, so a
 * retried turn picks up where the last one stopped. Returns the LPA activation code.
 */
export async function bindLine(
  up: Upstream,
  line: { msisdn: string; iccid: string; subscriptionId: string },
): Promise<string | null> {
  const { msisdn, iccid, subscriptionId } = line;
  const params = { iccid };
  // The number and the profile are separate rows: bound side by side.
  const assigned = bestEffort("assign msisdn", () =>
    up.crm.call(assignMsisdnRoute, {
      params: { msisdn },
      body: { subscription_id: subscriptionId },
    }));
  const activated = bestEffort("activate esim", async () => {
    let esim = await up.crm.call(getEsimRoute, { params });
    if (esim.profile_state === "reserved" && esim.assigned_msisdn === null) {
      esim = await up.crm.call(assignEsimMsisdnRoute, { params, body: { msisdn } });
    }
    if (esim.profile_state === "reserved") {
      esim = await up.crm.call(markEsimDownloadedRoute, { params });
    }
    if (esim.profile_state === "downloaded") {
      await up.crm.call(markEsimActivatedRoute, {
        params,
        body: { subscription_id: subscriptionId },
      });
    }
  });
  await Promise.all([assigned, activated]);
  const activation = await orNull(() => up.crm.call(esimActivationRoute, { params }));
  return activation?.activation_code ?? null;
}

/** Puts a line back after a declined activation: both were only reserved. */
export async function unreserveLine(up: Upstream, msisdn: string, iccid: string): Promise<void> {
  await bestEffort("release msisdn", () => up.crm.call(releaseMsisdnRoute, { params: { msisdn } }));
  await bestEffort("release esim", () => up.crm.call(releaseEsimRoute, { params: { iccid } }));
}

/** Frees a terminated line: the MSISDN to quarantine (unless kept), the eSIM recycled. */
export async function freeLine(
  up: Upstream,
  line: { msisdn: string; iccid: string; releaseMsisdn: boolean },
): Promise<void> {
  if (line.releaseMsisdn) {
    await bestEffort(
      "release msisdn",
      () => up.crm.call(releaseMsisdnRoute, { params: { msisdn: line.msisdn } }),
    );
  }
  await bestEffort(
    "recycle esim",
    () => up.crm.call(recycleEsimRoute, { params: { iccid: line.iccid } }),
  );
}
