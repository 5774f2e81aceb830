/**
 * SOM's outside dependencies over the typed clients of the catalog (service mapping) and
 * CRM's inventory (reserve and release a line).
 *
 * @module
 */
import type { SomPorts } from "../../actors/som/ports.ts";
import type { Config } from "../../kernel/config.ts";
import { getServiceMapping } from "../catalog/product_catalog.ts";
import { serviceClient } from "../service_client.ts";
import { releaseLineOver, reserveLineOver } from "./inventory_calls.ts";

/** SOM's ports for a process running with `config`. */
export function somPorts(config: Config): SomPorts {
  const catalog = serviceClient(config, "catalog", "som");
  return {
    async serviceMapping(offeringId) {
      const m = await catalog.call(getServiceMapping, { params: { id: offeringId } });
      return { cfs: m.cfs.id, rfs: m.rfs.map((s) => s.id) };
    },
    reserveLine: reserveLineOver(config, "som"),
    releaseLine: releaseLineOver(config, "som"),
  };
}
