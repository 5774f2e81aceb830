/**
 * Catalog administration (docs/http.md §5 `/admin/catalog`): add an offering, set its window, add
 * a price. Writes only for a named actor (`catalog.admin_only`); creates answer 201 with
 * `Location` (docs/decisions.md). Not agent tools.
 *
 * @module
 */
import { z } from "zod";
import { addOffering, addPrice, windowOffering } from "../../actors/catalog/admin.ts";
import { MOBILE_PREPAID } from "../../actors/catalog/reference_data.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { catalogActor } from "./admin_actor.ts";
import { ProductOffering, ProductOfferingPrice, TMF620 } from "./schemas.ts";
import { toOffering, toPrice } from "./tmf.ts";
import {
  Amount,
  camelOrSnake,
  Currency,
  Id,
  Instant,
  orderedWindow,
  WINDOW_ORDER,
} from "./wire.ts";

const BASE = "/admin/catalog/offering";

/** An allowance quantity: a whole number, -1 for unlimited. */
const Quantity = z.number().int().min(-1);

const window = { validFrom: Instant.nullish(), validTo: Instant.nullish() };

/** `POST /admin/catalog/offering`. */
export const addOfferingRoute = defineRoute({
  method: "POST",
  path: BASE,
  summary: "Add a sellable bundle with a monthly price and allowances; catalog.admin_only, " +
    "catalog.offering.already_exists, catalog.price.already_exists",
  body: camelOrSnake(
    z.object({
      offeringId: Id,
      name: z.string().trim().min(1),
      specId: Id.default(MOBILE_PREPAID.id),
      amount: Amount,
      currency: Currency.default("SGD"),
      priceId: Id.nullish(),
      ...window,
      dataMb: Quantity.nullish(),
      voiceMinutes: Quantity.nullish(),
      smsCount: Quantity.nullish(),
      dataRoamingMb: Quantity.nullish(),
    }).refine(orderedWindow, WINDOW_ORDER),
  ),
  response: ProductOffering,
  tmf: "ProductOffering",
  status: 201,
});

/** `PATCH /admin/catalog/offering/{id}/window`: both bounds overwritten, absent = open. */
export const windowOfferingRoute = defineRoute({
  method: "PATCH",
  path: `${BASE}/:id/window`,
  summary: "Set an offering's validity window (an omitted bound becomes open); " +
    "catalog.admin_only",
  params: z.object({ id: Id }),
  body: camelOrSnake(z.object(window).refine(orderedWindow, WINDOW_ORDER)),
  response: ProductOffering,
  tmf: "ProductOffering",
});

/** `POST /admin/catalog/offering/{id}/price`. */
export const addPriceRoute = defineRoute({
  method: "POST",
  path: `${BASE}/:id/price`,
  summary: "Add a monthly recurring price, optionally retiring the open-ended ones; " +
    "catalog.admin_only, catalog.price.already_exists",
  params: z.object({ id: Id }),
  body: camelOrSnake(
    z.object({
      priceId: Id,
      amount: Amount,
      currency: Currency.default("SGD"),
      ...window,
      retireCurrent: z.boolean().default(false),
    }).refine(orderedWindow, WINDOW_ORDER),
  ),
  response: ProductOfferingPrice,
  tmf: "ProductOfferingPrice",
  status: 201,
});

const bounds = (w: { validFrom?: Date | null; validTo?: Date | null }) => ({
  validFrom: w.validFrom ?? null,
  validTo: w.validTo ?? null,
});

/** The catalog admin endpoints. */
export function adminEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(addOfferingRoute, async ({ body: b }, c) => {
      const offering = await addOffering(sql, catalogActor(c), {
        offeringId: b.offeringId,
        name: b.name,
        specId: b.specId,
        amount: b.amount,
        currency: b.currency,
        priceId: b.priceId ?? null,
        ...bounds(b),
        allowances: {
          data: b.dataMb,
          voice: b.voiceMinutes,
          sms: b.smsCount,
          data_roaming: b.dataRoamingMb,
        },
      });
      c.header("Location", `${TMF620}/productOffering/${encodeURIComponent(offering.id)}`);
      return toOffering(offering);
    }),
    endpoint(
      windowOfferingRoute,
      async ({ params: { id }, body }, c) =>
        toOffering(await windowOffering(sql, catalogActor(c), id, bounds(body))),
    ),
    endpoint(addPriceRoute, async ({ params: { id }, body: b }, c) => {
      const price = await addPrice(sql, catalogActor(c), id, { ...b, ...bounds(b) });
      c.header("Location", `${TMF620}/productOfferingPrice/${encodeURIComponent(price.id)}`);
      return toPrice(price);
    }),
  ];
}
