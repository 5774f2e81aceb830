/**
 * A line's inventory in one call each way: `POST /inventory-api/v1/reserve-line` (for SOM) reserves
 * one MSISDN and one eSIM profile linked, atomically, so concurrent orders never share either
 * and an empty pool leaves nothing half-reserved; `POST /inventory-api/v1/bind-line` (for the
 * subscription's activation) binds that pair to the subscription in one transaction, in place
 * of four calls (docs/http.md §6.5).
 *
 * @module
 */
import { z } from "zod";
import { bindLine } from "../../actors/inventory/bind_line.ts";
import { reserveLine } from "../../actors/inventory/line.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import {
  BASE,
  Esim,
  esimWire,
  IccidValue,
  lineWire,
  Msisdn,
  MsisdnValue,
  msisdnWire,
  ReservedLine,
  SubscriptionIdValue,
} from "./schemas.ts";

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

/** `POST /bind-line`. */
export const bindLineRoute = defineRoute({
  method: "POST",
  path: `${BASE}/bind-line`,
  summary: "Bind a reserved number and profile to a subscription in one transaction: number " +
    "assigned, profile linked, downloaded and activated; a retry answers the same line " +
    "(msisdn.assign.must_be_reserved, esim.assign_msisdn.*, esim.transition.invalid)",
  body: z.object({
    msisdn: MsisdnValue,
    iccid: IccidValue,
    subscription_id: SubscriptionIdValue,
  }),
  response: z.object({ msisdn: Msisdn, esim: Esim, activation_code: z.string().nullable() }),
});

/** The reserve-line and bind-line endpoints. */
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
    endpoint(bindLineRoute, async ({ body }) => {
      const { number, esim } = await bindLine(sql, {
        msisdn: body.msisdn,
        iccid: body.iccid,
        subscriptionId: body.subscription_id,
      });
      return {
        msisdn: msisdnWire(number),
        esim: esimWire(esim),
        activation_code: esim.activation_code,
      };
    }),
  ];
}
