/**
 * TMF639 Resource Inventory (docs/http.md §6.5): the MSISDN pool and the eSIM stock as TMF
 * `resource`s, beside the inventory API. An MSISDN is a LogicalResource of `@type` `MSISDN`
 * (id: the number), a profile one of `@type` `eSIMProfile` (id: the ICCID). TMF's status words
 * approximate ours; the exact status is the `status` characteristic.
 *
 * @module
 */
import { z } from "zod";
import { paging } from "../paging.ts";
import {
  countEsims,
  countMsisdns,
  getEsim,
  getMsisdn,
  listEsims,
  listMsisdns,
} from "../../actors/inventory/queries.ts";
import type { EsimRow, EsimState, MsisdnRow, MsisdnStatus } from "../../actors/inventory/rows.ts";
import type { Sql } from "../../kernel/db/types.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";

/** The TMF639 API prefix. */
export const TMF639 = "/tmf-api/resourceInventoryManagement/v4";

const RESOURCE_TYPES = ["MSISDN", "eSIMProfile"] as const;
const RESOURCE_STATUSES = ["standby", "available", "reserved", "unknown", "suspended"] as const;
const USAGE_STATES = ["idle", "active", "busy"] as const;
type Status = [typeof RESOURCE_STATUSES[number], typeof USAGE_STATES[number]];

/** TMF639 Resource (a LogicalResource) with our status as a characteristic. */
export const Resource = z.object({
  "@type": z.enum(RESOURCE_TYPES),
  "@baseType": z.literal("LogicalResource"),
  id: z.string(),
  href: z.string(),
  name: z.string(),
  value: z.string(),
  category: z.enum(["msisdn", "esim"]),
  resourceStatus: z.enum(RESOURCE_STATUSES),
  usageState: z.enum(USAGE_STATES),
  resourceCharacteristic: z.array(z.object({
    name: z.string(),
    valueType: z.literal("string"),
    value: z.string(),
  })),
});

type ResourceWire = z.input<typeof Resource>;

const MSISDN_STATUS: Record<MsisdnStatus, Status> = {
  available: ["available", "idle"],
  reserved: ["reserved", "idle"],
  assigned: ["reserved", "active"],
  quarantine: ["standby", "idle"],
  ported_out: ["unknown", "idle"],
};

const ESIM_STATUS: Record<EsimState, Status> = {
  available: ["available", "idle"],
  reserved: ["reserved", "idle"],
  downloaded: ["reserved", "busy"],
  activated: ["available", "active"],
  suspended: ["suspended", "idle"],
  recycled: ["standby", "idle"],
};

/** The characteristics that are set, as TMF Characteristic rows. */
function characteristics(values: Record<string, string | null>) {
  return Object.entries(values).filter(([, v]) => v !== null)
    .map(([name, value]) => ({ name, valueType: "string" as const, value: value! }));
}

function msisdnResource(m: MsisdnRow): ResourceWire {
  const [resourceStatus, usageState] = MSISDN_STATUS[m.status];
  return {
    "@type": "MSISDN",
    "@baseType": "LogicalResource",
    id: m.msisdn,
    href: `${TMF639}/resource/${m.msisdn}`,
    name: m.msisdn,
    value: m.msisdn,
    category: "msisdn",
    resourceStatus,
    usageState,
    resourceCharacteristic: characteristics({
      status: m.status,
      assignedToSubscriptionId: m.assigned_to_subscription_id,
      quarantineUntil: m.quarantine_until?.toISOString() ?? null,
    }),
  };
}

function esimResource(e: EsimRow): ResourceWire {
  const [resourceStatus, usageState] = ESIM_STATUS[e.profile_state];
  return {
    "@type": "eSIMProfile",
    "@baseType": "LogicalResource",
    id: e.iccid,
    href: `${TMF639}/resource/${e.iccid}`,
    name: e.iccid,
    value: e.iccid,
    category: "esim",
    resourceStatus,
    usageState,
    resourceCharacteristic: characteristics({
      status: e.profile_state,
      imsi: e.imsi,
      assignedMsisdn: e.assigned_msisdn,
      assignedToSubscriptionId: e.assigned_to_subscription_id,
    }),
  };
}

const ResourceQuery = z.object({
  "@type": z.enum(RESOURCE_TYPES).optional(),
  ...paging(100, 500),
});

/** `GET /resource`: numbers (in number order), then profiles (in ICCID order), paged. */
export const listResources = defineRoute({
  method: "GET",
  path: `${TMF639}/resource`,
  summary: "MSISDNs and eSIM profiles as TMF639 resources, optionally of one @type, paged",
  query: ResourceQuery,
  response: z.array(Resource),
  tmf: "Resource",
});

/** `GET /resource/{id}`: a number (4–15 digits) or a profile (its ICCID). */
export const getResource = defineRoute({
  method: "GET",
  path: `${TMF639}/resource/:id`,
  summary: "One MSISDN or eSIM profile as a TMF639 resource",
  params: z.object({ id: z.string().regex(/^[0-9]{4,22}$/, "a number or an ICCID") }),
  response: Resource,
  tmf: "Resource",
});

async function resources(sql: Sql, q: z.output<typeof ResourceQuery>): Promise<ResourceWire[]> {
  const numbers = q["@type"] === "eSIMProfile"
    ? []
    : (await listMsisdns(sql, { limit: q.limit, offset: q.offset })).map(msisdnResource);
  if (q["@type"] === "MSISDN" || numbers.length === q.limit) return numbers;
  // Profiles follow the numbers: skip what the offset left of them past the last number.
  const before = q["@type"] === "eSIMProfile" ? 0 : (await countMsisdns(sql, null)).total;
  const offset = Math.max(0, q.offset - before);
  const profiles = await listEsims(sql, { limit: q.limit - numbers.length, offset });
  return [...numbers, ...profiles.map(esimResource)];
}

/** The TMF639 endpoints. */
export function resourceEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(
      listResources,
      ({ query }) => resources(sql, query),
      async ({ query }) =>
        (query["@type"] === "eSIMProfile" ? 0 : (await countMsisdns(sql, null)).total) +
        (query["@type"] === "MSISDN" ? 0 : await countEsims(sql)),
    ),
    endpoint(
      getResource,
      async ({ params: { id } }) =>
        id.length <= 15
          ? msisdnResource(await getMsisdn(sql, id))
          : esimResource(await getEsim(sql, id)),
    ),
  ];
}
