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
 * and a decomposing turn that has it at hand needs no effect to read it.
 */
const MAPPING_TTL_MS = 60_000;

/** A mapping read (or being read), and when. */
interface CachedMapping {
  at: number;
  mapping: Promise<ServiceMappingFacts>;
  /** Once read. */
  value?: ServiceMappingFacts;
}

/** Per configuration, so that a process's kinds and its effect runner share what was read. */
const mappingCaches = new WeakMap<Config, Map<string, CachedMapping>>();

/** SOM's ports for a process running with `config`. */
export function somPorts(config: Config): SomPorts {
  const catalog = serviceClient(config, "catalog", "som");
  const cache = mappingCaches.get(config) ?? new Map<string, CachedMapping>();
  mappingCaches.set(config, cache);
  const fresh = (offeringId: string) => {
    const cached = cache.get(offeringId);
    return cached && Date.now() - cached.at < MAPPING_TTL_MS ? cached : undefined;
  };
  const readMapping = async (offeringId: string) => {
    const m = await catalog.call(getServiceMapping, { params: { id: offeringId } });
    return { cfs: m.cfs.id, rfs: m.rfs.map((s) => s.id) };
  };
  return {
    serviceMapping(offeringId) {
      const cached = fresh(offeringId);
      if (cached) return cached.mapping;
      const entry: CachedMapping = { at: Date.now(), mapping: readMapping(offeringId) };
      cache.set(offeringId, entry);
      entry.mapping.then(
        (value) => entry.value = value,
        () => cache.get(offeringId) === entry && cache.delete(offeringId),
      );
      return entry.mapping;
    },
    knownServiceMapping: (offeringId) => fresh(offeringId)?.value,
    reserveLine: reserveLineOver(config, "som"),
    releaseLine: releaseLineOver(config, "som"),
  };
}
