/**
 * MSISDN routes (docs/http.md §6.5): list, count, get, reserve a given number or the next one,
 * assign, release, add a range. Definitions are exported for the typed clients of SOM and
 * subscription.
 *
 * @module
 */
import { z } from "zod";
import { GOLDEN_PATTERN_NAMES } from "../../actors/inventory/golden.ts";
import {
  addMsisdnRange,
  assignMsisdn,
  releaseMsisdn,
  reserveMsisdn,
  reserveNextMsisdn,
} from "../../actors/inventory/msisdn.ts";
import { countMsisdns, getMsisdn, listMsisdns } from "../../actors/inventory/queries.ts";
import { MSISDN_STATUSES } from "../../actors/inventory/rows.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import {
  BASE,
  Msisdn,
  MsisdnValue,
  msisdnWire,
  PageQuery,
  SubscriptionIdValue,
} from "./schemas.ts";

const PATH = `${BASE}/msisdn`;
const Prefix = z.string().regex(/^[0-9]{1,15}$/, "a prefix is digits");
const NumberParam = z.object({ msisdn: MsisdnValue });

/**
 * `GET /msisdn`: numbers in number order; `pattern` keeps the golden ones
 * (`actors/inventory/golden.ts`).
 */
export const listMsisdnRoute = defineRoute({
  method: "GET",
  path: PATH,
  summary: "Numbers by status, prefix and golden pattern (repeated|ascending|descending|golden)",
  query: PageQuery.extend({
    status: z.enum(MSISDN_STATUSES).optional(),
    prefix: Prefix.optional(),
    pattern: z.enum(GOLDEN_PATTERN_NAMES).optional(),
  }),
  response: z.array(Msisdn),
});

/** `GET /msisdn/count`. */
export const countMsisdnRoute = defineRoute({
  method: "GET",
  path: `${PATH}/count`,
  summary: "Numbers per status (every key always present), optionally under a prefix",
  query: z.object({ prefix: Prefix.optional() }),
  response: z.object({
    available: z.number().int(),
    reserved: z.number().int(),
    assigned: z.number().int(),
    quarantine: z.number().int(),
    ported_out: z.number().int(),
    total: z.number().int(),
    prefix: z.string().nullable(),
  }),
});

/** `GET /msisdn/{msisdn}`. */
export const getMsisdnRoute = defineRoute({
  method: "GET",
  path: `${PATH}/:msisdn`,
  summary: "One number",
  params: NumberParam,
  response: Msisdn,
});

/** `POST /msisdn/{msisdn}/reserve`. */
export const reserveMsisdnRoute = defineRoute({
  method: "POST",
  path: `${PATH}/:msisdn/reserve`,
  summary: "Reserve this number (msisdn.reserve.status_must_be_available)",
  params: NumberParam,
  response: Msisdn,
});

/** `POST /msisdn/reserve-next`. */
export const reserveNextMsisdnRoute = defineRoute({
  method: "POST",
  path: `${PATH}/reserve-next`,
  summary: "Reserve the preferred number if free, else the lowest available " +
    "(msisdn.reserve.no_available)",
  body: z.object({ preference: MsisdnValue.nullish() }).optional(),
  response: Msisdn,
  status: 201,
});

/** `POST /msisdn/{msisdn}/assign`. */
export const assignMsisdnRoute = defineRoute({
  method: "POST",
  path: `${PATH}/:msisdn/assign`,
  summary:
    "Assign a reserved number, optionally to a subscription (msisdn.assign.must_be_reserved)",
  params: NumberParam,
  body: z.object({ subscription_id: SubscriptionIdValue.nullish() }).optional(),
  response: Msisdn,
});

/** `POST /msisdn/{msisdn}/release`. */
export const releaseMsisdnRoute = defineRoute({
  method: "POST",
  path: `${PATH}/:msisdn/release`,
  summary: "Release: an assigned number rests 90 days in quarantine, a reserved one is free " +
    "at once (msisdn.release.*)",
  params: NumberParam,
  response: Msisdn,
});

/** `POST /msisdn/add-range`. */
export const addMsisdnRangeRoute = defineRoute({
  method: "POST",
  path: `${PATH}/add-range`,
  summary: "Add <prefix><0000..count-1> where absent (msisdn.add_range.sane_prefix)",
  body: z.object({ prefix: z.string(), count: z.number().int() }),
  response: z.object({
    prefix: z.string(),
    count: z.number().int(),
    inserted: z.number().int(),
    skipped: z.number().int(),
    first: z.string(),
    last: z.string(),
  }),
  status: 201,
});

/** The MSISDN endpoints; static paths before `/:msisdn`. */
export function msisdnEndpoints({ config, sql }: Pick<Deps, "config" | "sql">): Endpoint[] {
  const threshold = config.BSS_INVENTORY_MSISDN_POOL_LOW_THRESHOLD;
  return [
    endpoint(listMsisdnRoute, async ({ query }) => (await listMsisdns(sql, query)).map(msisdnWire)),
    endpoint(countMsisdnRoute, ({ query }) => countMsisdns(sql, query.prefix ?? null)),
    endpoint(reserveNextMsisdnRoute, async ({ body }, c) => {
      const row = await reserveNextMsisdn(sql, { preference: body?.preference, threshold });
      c.header("Location", `${PATH}/${row.msisdn}`);
      return msisdnWire(row);
    }),
    endpoint(addMsisdnRangeRoute, ({ body }) => addMsisdnRange(sql, body.prefix, body.count)),
    endpoint(getMsisdnRoute, async ({ params }) => msisdnWire(await getMsisdn(sql, params.msisdn))),
    endpoint(
      reserveMsisdnRoute,
      async ({ params }) => msisdnWire(await reserveMsisdn(sql, params.msisdn, { threshold })),
    ),
    endpoint(assignMsisdnRoute, async ({ params, body }) =>
      msisdnWire(
        await assignMsisdn(sql, params.msisdn, { subscriptionId: body?.subscription_id }),
      )),
    endpoint(
      releaseMsisdnRoute,
      async ({ params }) => msisdnWire(await releaseMsisdn(sql, params.msisdn)),
    ),
  ];
}
