/**
 * `POST /inventory-api/v1/reserve-line` (not in docs/http.md, added for SOM): one MSISDN and one
 * eSIM profile reserved and linked atomically, so concurrent orders never share either and an
 * empty pool leaves nothing half-reserved.
 *
 * @module
 */
import { z } from "zod";
import { reserveLine } from "../../actors/inventory/line.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { BASE, lineWire, MsisdnValue, ReservedLine } from "./schemas.ts";

/** `POST /reserve-line`. */
export const reserveLineRoute = defineRoute({
  method: "POST",
  path: `${BASE}/reserve-line`,
  summary: "Reserve a number (the preference if free) and a profile together, linked " +
    "(msisdn.reserve.no_available, esim.reserve.status_must_be_available)",
  body: z.object({
    preference: MsisdnValue.nullish(),
    /** Who holds the line (SOM: the commercial order): a repeat answers the same line. */
    holder: z.string().min(1).max(64).nullish(),
  }).optional(),
  response: ReservedLine,
  status: 201,
});

/** The reserve-line endpoint. */
export function lineEndpoints({ config, sql }: Pick<Deps, "config" | "sql">): Endpoint[] {
  const threshold = config.BSS_INVENTORY_MSISDN_POOL_LOW_THRESHOLD;
  return [
    endpoint(
      reserveLineRoute,
      async ({ body }) =>
        lineWire(
          await reserveLine(sql, {
            preference: body?.preference,
            holder: body?.holder,
            threshold,
          }),
        ),
    ),
  ];
}
