/**
 * SOM's outside dependencies over the typed clients of the catalog (service mapping) and
 * CRM's inventory (reserve and release a line).
 *
 * @module
 */
import type { ServiceMappingFacts, SomPorts } from "../../actors/som/ports.ts";
import type { Config } from "../../kernel/config.ts";
import { getServiceMapping } from "../catalog/product_catalog.ts";
import { serviceClient } from "../service_client.ts";
import { releaseLineOver, reserveLineOver } from "./inventory_calls.ts";

/**
 * How long a service mapping read from the catalog is reused: mappings are reference data,
 * and a burst of orders for one offering would otherwise make one catalog call per order
 * inside the decomposing turn.
 */
const MAPPING_TTL_MS = 60_000;

/** SOM's ports for a process running with `config`. */
export function somPorts(config: Config): SomPorts {
  const catalog = serviceClient(config, "catalog", "som");
  const mappings = new Map<string, { at: number; mapping: Promise<ServiceMappingFacts> }>();
  const readMapping = async (offeringId: string) => {
    const m = await catalog.call(getServiceMapping, { params: { id: offeringId } });
    return { cfs: m.cfs.id, rfs: m.rfs.map((s) => s.id) };
  };
  return {
    serviceMapping(offeringId) {
      const cached = mappings.get(offeringId);
      if (cached && Date.now() - cached.at < MAPPING_TTL_MS) return cached.mapping;
      const mapping = readMapping(offeringId);
      mappings.set(offeringId, { at: Date.now(), mapping });
      mapping.catch(() => mappings.delete(offeringId));
      return mapping;
    },
    reserveLine: reserveLineOver(config, "som"),
    releaseLine: releaseLineOver(config, "som"),
  };
}
