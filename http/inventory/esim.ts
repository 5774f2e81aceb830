/**
 * eSIM routes (docs/http.md §6.5): list, get, reserve, link a number, mark downloaded and
 * activated, recycle, release, activation data. Definitions are exported for the typed
 * clients of SOM and subscription.
 *
 * @module
 */
import { z } from "zod";
import {
  assignEsimMsisdn,
  markEsimActivated,
  markEsimDownloaded,
  recycleEsim,
  releaseEsim,
  reserveEsim,
} from "../../actors/inventory/esim.ts";
import { esimActivation, getEsim, listEsims } from "../../actors/inventory/queries.ts";
import { ESIM_STATES } from "../../actors/inventory/rows.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import {
  BASE,
  Esim,
  esimWire,
  IccidValue,
  MsisdnValue,
  PageQuery,
  SubscriptionIdValue,
} from "./schemas.ts";

const PATH = `${BASE}/esim`;
const ProfileParam = z.object({ iccid: IccidValue });

/** `GET /esim`: profiles in ICCID order. */
export const listEsimRoute = defineRoute({
  method: "GET",
  path: PATH,
  summary: "Profiles, optionally in one state",
  query: PageQuery.extend({ status: z.enum(ESIM_STATES).optional() }),
  response: z.array(Esim),
});

/** `GET /esim/{iccid}`. */
export const getEsimRoute = defineRoute({
  method: "GET",
  path: `${PATH}/:iccid`,
  summary: "One profile",
  params: ProfileParam,
  response: Esim,
});

/** `POST /esim/reserve`. */
export const reserveEsimRoute = defineRoute({
  method: "POST",
  path: `${PATH}/reserve`,
  summary: "Reserve the available profile with the lowest ICCID " +
    "(esim.reserve.status_must_be_available)",
  response: Esim,
  status: 201,
});

/** `POST /esim/{iccid}/assign-msisdn`. */
export const assignEsimMsisdnRoute = defineRoute({
  method: "POST",
  path: `${PATH}/:iccid/assign-msisdn`,
  summary: "Link a reserved number to a reserved profile (esim.assign_msisdn.*)",
  params: ProfileParam,
  body: z.object({ msisdn: MsisdnValue }),
  response: Esim,
});

/** A bodiless transition route: `POST /esim/{iccid}/<action>` (esim.transition.invalid). */
function transitionRoute(action: string, summary: string) {
  return defineRoute({
    method: "POST",
    path: `${PATH}/:iccid/${action}`,
    summary: `${summary} (esim.transition.invalid)`,
    params: ProfileParam,
    response: Esim,
  });
}

/** `POST /esim/{iccid}/mark-downloaded`. */
export const markEsimDownloadedRoute = transitionRoute("mark-downloaded", "reserved → downloaded");

/** `POST /esim/{iccid}/mark-activated`, optionally linking the subscription. */
export const markEsimActivatedRoute = defineRoute({
  method: "POST",
  path: `${PATH}/:iccid/mark-activated`,
  summary: "downloaded|suspended → activated, linked to subscription_id when given " +
    "(esim.transition.invalid)",
  params: ProfileParam,
  body: z.object({ subscription_id: SubscriptionIdValue.nullish() }).optional(),
  response: Esim,
});

/** `POST /esim/{iccid}/recycle`. */
export const recycleEsimRoute = transitionRoute(
  "recycle",
  "downloaded|activated|suspended → recycled",
);

/** `POST /esim/{iccid}/release`. */
export const releaseEsimRoute = transitionRoute("release", "reserved → available");

/** `GET /esim/{iccid}/activation`. */
export const esimActivationRoute = defineRoute({
  method: "GET",
  path: `${PATH}/:iccid/activation`,
  summary: "LPA activation data: LPA:1$<SM-DP+>$<matching id>",
  params: ProfileParam,
  response: z.object({
    iccid: z.string(),
    activation_code: z.string().nullable(),
    smdp_server: z.string().nullable(),
    matching_id: z.string().nullable(),
  }),
});

/** The eSIM endpoints; static paths before `/:iccid`. */
export function esimEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(listEsimRoute, async ({ query }) => (await listEsims(sql, query)).map(esimWire)),
    endpoint(reserveEsimRoute, async (_, c) => {
      const row = await reserveEsim(sql);
      c.header("Location", `${PATH}/${row.iccid}`);
      return esimWire(row);
    }),
    endpoint(getEsimRoute, async ({ params }) => esimWire(await getEsim(sql, params.iccid))),
    endpoint(esimActivationRoute, ({ params }) => esimActivation(sql, params.iccid)),
    endpoint(
      assignEsimMsisdnRoute,
      async ({ params, body }) => esimWire(await assignEsimMsisdn(sql, params.iccid, body.msisdn)),
    ),
    endpoint(
      markEsimDownloadedRoute,
      async ({ params }) => esimWire(await markEsimDownloaded(sql, params.iccid)),
    ),
    endpoint(markEsimActivatedRoute, async ({ params, body }) =>
      esimWire(
        await markEsimActivated(sql, params.iccid, { subscriptionId: body?.subscription_id }),
      )),
    endpoint(
      recycleEsimRoute,
      async ({ params }) => esimWire(await recycleEsim(sql, params.iccid)),
    ),
    endpoint(
      releaseEsimRoute,
      async ({ params }) => esimWire(await releaseEsim(sql, params.iccid)),
    ),
  ];
}
