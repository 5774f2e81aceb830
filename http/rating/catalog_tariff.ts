/**
 * Tariffs from the catalog (docs/http.md §2: rating → catalog offering): the offering read over
 * catalog's typed route `getProductOffering`, NotFound when the catalog does not know it.
 *
 * @module
 */
import type { z } from "zod";
import type { Config } from "../../kernel/config.ts";
import { getProductOffering } from "../catalog/product_catalog.ts";
import type { ProductOffering } from "../catalog/schemas.ts";
import { serviceClient } from "../service_client.ts";

/** A TMF620 offering as the catalog serves it. */
export type Offering = z.output<typeof ProductOffering>;

/** The offering of an id; throws NotFound when the catalog does not know it. */
export type OfferingLookup = (offeringId: string) => Promise<Offering>;

/** Reads offerings from the catalog service `config` points at. */
export function catalogTariff(config: Config): OfferingLookup {
  const catalog = serviceClient(config, "catalog", "rating");
  return (id) => catalog.call(getProductOffering, { params: { id } });
}
