/**
 * Mediation wired as the role table wires it: the MSISDN lookup goes over the subscription
 * service's typed route `getSubscriptionByMsisdn` (`subscriptionLookup`). The subscription
 * side here is an in-test implementation of that route definition.
 */
import assert from "node:assert/strict";
import type { z } from "zod";
import { clock } from "../kernel/clock.ts";
import { NotFound } from "../kernel/errors.ts";
import * as mediation from "../http/mediation/index.ts";
import { endpoint } from "../http/route.ts";
import { getSubscriptionByMsisdn } from "../http/subscription/routes.ts";
import type { Subscription } from "../http/subscription/schemas.ts";
import { expectStatus, expectViolation } from "./support/crm.ts";
import { freshDatabase } from "./support/db.ts";
import { serveTest, testConfig } from "./support/http.ts";

const db = await freshDatabase("mediation_lookup");
await clock.refresh(db.sql);

const subscription = (
  id: string,
  msisdn: string,
  state: "active" | "blocked",
): z.input<typeof Subscription> => ({
  atType: "Subscription",
  id,
  href: `/subscription-api/v1/subscription/${id}`,
  customerId: "CUST-00000001",
  offeringId: "PLAN_M",
  msisdn,
  iccid: "8910101000000000001",
  cfsServiceId: null,
  state,
  stateReason: null,
  activatedAt: null,
  currentPeriodStart: null,
  currentPeriodEnd: null,
  nextRenewalAt: null,
  terminatedAt: null,
  balances: [],
  priceAmount: "25.00",
  priceCurrency: "SGD",
  priceOfferingPriceId: "PRICE_PLAN_M",
  pendingOfferingId: null,
  pendingOfferingPriceId: null,
  pendingEffectiveAt: null,
  discountType: null,
  discountValue: null,
  discountPeriodsRemaining: 0,
  effectiveAmount: "25.00",
  promoCode: null,
  promoOfferDefinitionId: null,
  activationCode: null,
  qrPayload: null,
});
const SUBSCRIPTIONS = new Map([
  ["90000020", subscription("SUB-0020", "90000020", "active")],
  ["90000021", subscription("SUB-0021", "90000021", "blocked")],
]);
const subscriptionServer = serveTest({
  sql: db.sql,
  service: "subscription",
  endpoints: [endpoint(getSubscriptionByMsisdn, ({ params: { msisdn } }) => {
    const found = SUBSCRIPTIONS.get(msisdn);
    if (!found) throw new NotFound("Subscription", msisdn);
    return found;
  })],
});

const serveMediation = (subscriptionUrl: string) => {
  const env = { BSS_SUBSCRIPTION_URL: subscriptionUrl };
  return serveTest({
    sql: db.sql,
    service: "mediation",
    env,
    endpoints: mediation.endpoints({ config: testConfig(env), sql: db.sql }),
  });
};
const server = serveMediation(subscriptionServer.url);
const usage = (msisdn: string) => ({
  msisdn,
  eventType: "data",
  eventTime: "2026-03-01T10:00:00Z",
  quantity: 10,
  unit: "mb",
});
const post = (target: typeof server, msisdn: string) =>
  target.request("/tmf-api/usageManagement/v4/usage", { method: "POST", json: usage(msisdn) });

Deno.test("an active line's usage is recorded against the subscription the service names", async () => {
  const body = await expectStatus(post(server, "90000020"), 201);
  assert.equal(body.subscriptionId, "SUB-0020");
});

Deno.test("the service's 404 is usage.record.subscription_must_exist", async () => {
  await expectViolation(post(server, "90000029"), "usage.record.subscription_must_exist");
});

Deno.test("the service's state drives usage.record.subscription_must_be_active", async () => {
  const context = await expectViolation(
    post(server, "90000021"),
    "usage.record.subscription_must_be_active",
  );
  assert.deepEqual(context, { subscription_id: "SUB-0021", state: "blocked" });
});

Deno.test("an unreachable subscription service is 502 and writes nothing", async () => {
  const stranded = serveMediation("http://127.0.0.1:1");
  try {
    const [{ n: before }] = await db.sql`select count(*)::int as n from audit.domain_event`;
    assert.equal((await expectStatus(post(stranded, "90000020"), 502)).code, "UPSTREAM_ERROR");
    const [{ n: after }] = await db.sql`select count(*)::int as n from audit.domain_event`;
    assert.equal(after, before);
  } finally {
    await stranded.stop();
  }
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await subscriptionServer.stop();
    await db.drop();
  },
});
