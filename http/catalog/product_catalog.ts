/**
 * TMF620 reads (docs/http.md §5): product offerings (all, or those on sale at an instant),
 * prices (by id, or the active one of an offering), product specifications, and the service
 * mapping SOM decomposes an offering by.
 *
 * @module
 */
import { z } from "zod";
import { activePrice, offeringsOnSaleAt } from "../../actors/catalog/offerings.ts";
import {
  countOfferings,
  countSpecifications,
  findOffering,
  findPrice,
  findServiceMapping,
  findSpecification,
  listOfferings,
  listSpecifications,
  offeringExists,
} from "../../actors/catalog/queries.ts";
import { clock } from "../../kernel/clock.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { found } from "./found.ts";
import {
  ProductOffering,
  ProductOfferingPrice,
  ProductSpecification,
  ServiceMapping,
  TMF620,
} from "./schemas.ts";
import { toOffering, toPrice, toServiceMapping, toSpecification } from "./tmf.ts";
import { Id, Instant } from "./wire.ts";
import { paging } from "../paging.ts";

/** `GET …/productOffering`: id order, or with `activeAt` those on sale then, cheapest first. */
export const listProductOfferings = defineRoute({
  method: "GET",
  path: `${TMF620}/productOffering`,
  summary:
    "Offerings by id (optional lifecycleStatus); with activeAt: on sale then, cheapest first",
  query: z.object({
    lifecycleStatus: z.string().toLowerCase().optional(),
    activeAt: Instant.optional(),
    ...paging(20, 200),
  }),
  response: z.array(ProductOffering),
  tmf: "ProductOffering",
});

/** `GET …/productOffering/{id}`. */
export const getProductOffering = defineRoute({
  method: "GET",
  path: `${TMF620}/productOffering/:id`,
  summary: "One offering with every price row and allowance",
  params: z.object({ id: Id }),
  response: ProductOffering,
  tmf: "ProductOffering",
});

/** `GET …/productOffering/{id}/serviceMapping` (extension): the CFS and RFS specs it maps to. */
export const getServiceMapping = defineRoute({
  method: "GET",
  path: `${TMF620}/productOffering/:id/serviceMapping`,
  summary: "The CFS and RFS service specifications an offering decomposes into",
  params: z.object({ id: Id }),
  response: ServiceMapping,
});

/** `GET …/productOfferingPrice/active/{offeringId}`. */
export const getActivePrice = defineRoute({
  method: "GET",
  path: `${TMF620}/productOfferingPrice/active/:offeringId`,
  summary: "Lowest recurring price active at activeAt (default now); 422 " +
    "catalog.price.no_active_row",
  params: z.object({ offeringId: Id }),
  query: z.object({ activeAt: Instant.optional() }),
  response: ProductOfferingPrice,
  tmf: "ProductOfferingPrice",
});

/** `GET …/productOfferingPrice/{priceId}`: whatever its window. */
export const getProductOfferingPrice = defineRoute({
  method: "GET",
  path: `${TMF620}/productOfferingPrice/:priceId`,
  summary: "One price row by id, whatever its window",
  params: z.object({ priceId: Id }),
  response: ProductOfferingPrice,
  tmf: "ProductOfferingPrice",
});

/** `GET …/productSpecification`. */
export const listProductSpecifications = defineRoute({
  method: "GET",
  path: `${TMF620}/productSpecification`,
  summary: "Product specifications by id",
  query: z.object(paging(20, 200)),
  response: z.array(ProductSpecification),
  tmf: "ProductSpecification",
});

/** `GET …/productSpecification/{id}`. */
export const getProductSpecification = defineRoute({
  method: "GET",
  path: `${TMF620}/productSpecification/:id`,
  summary: "One product specification",
  params: z.object({ id: Id }),
  response: ProductSpecification,
  tmf: "ProductSpecification",
});

/** The TMF620 read endpoints. */
export function productCatalogEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(
      listProductOfferings,
      async ({ query: { activeAt, lifecycleStatus, ...page } }) => {
        const offerings = activeAt
          ? await offeringsOnSaleAt(sql, activeAt, page)
          : await listOfferings(sql, { ...page, lifecycleStatus });
        return offerings.map(toOffering);
      },
      ({ query: { activeAt, lifecycleStatus } }) =>
        countOfferings(sql, activeAt ? { sellableAt: activeAt } : { lifecycleStatus }),
    ),
    endpoint(
      getProductOffering,
      async ({ params: { id } }) =>
        toOffering(found(await findOffering(sql, id), "ProductOffering", id)),
    ),
    endpoint(getServiceMapping, async ({ params: { id } }) => {
      if (!await offeringExists(sql, id)) throw new NotFound("ProductOffering", id);
      return toServiceMapping(found(await findServiceMapping(sql, id), "ServiceMapping", id));
    }),
    endpoint(
      getActivePrice,
      async ({ params: { offeringId }, query: { activeAt } }) =>
        toPrice(await activePrice(sql, offeringId, activeAt ?? clock.now())),
    ),
    endpoint(
      getProductOfferingPrice,
      async ({ params: { priceId } }) =>
        toPrice(found(await findPrice(sql, priceId), "ProductOfferingPrice", priceId)),
    ),
    endpoint(
      listProductSpecifications,
      async ({ query }) => (await listSpecifications(sql, query)).map(toSpecification),
      () => countSpecifications(sql),
    ),
    endpoint(
      getProductSpecification,
      async ({ params: { id } }) =>
        toSpecification(found(await findSpecification(sql, id), "ProductSpecification", id)),
    ),
  ];
}
