/**
 * The mock-to-Stripe cutover: a dry run lists the active mock-token cards and changes nothing;
 * on the Stripe gateway the run expires exactly those (events per card, Stripe cards untouched,
 * a second run finds none); on the mock gateway the run is refused. From the CLI the run is a
 * destructive verb.
 */
import assert from "node:assert/strict";
import { tokenizeCard } from "../actors/payment/mock_tokenizer.ts";
import { stripeApi } from "../actors/payment/stripe_api.ts";
import { StripeGateway } from "../actors/payment/stripe_gateway.ts";
import { runCli } from "../cockpit/bss/cli.ts";
import { endpoints } from "../http/payment/index.ts";
import { violation } from "./support/assert.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest, testConfig } from "./support/http.ts";
import { startStripeStandIn } from "./support/stripe_standin.ts";

const db = await freshDatabase("payment_cutover");
const stripe = await startStripeStandIn();
const onMock = serveTest({
  sql: db.sql,
  service: "payment",
  endpoints: endpoints({ sql: db.sql }),
});
const onStripe = serveTest({
  sql: db.sql,
  service: "payment",
  endpoints: endpoints({ sql: db.sql }, {
    gateway: new StripeGateway(db.sql, stripeApi({ apiKey: stripe.apiKey, baseUrl: stripe.url })),
  }),
});
const METHODS = "/tmf-api/paymentMethodManagement/v4/paymentMethod";
const CUTOVER = "/admin-api/v1/cutover/invalidate-mock-tokens";

async function card(server: typeof onMock, json: Record<string, unknown>) {
  const r = await reply(await server.request(METHODS, { method: "POST", json }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

const mockCard = (customerId: string) =>
  card(onMock, {
    customerId,
    ...tokenizeCard({ cardNumber: "4242424242424242", expMonth: 12, expYear: 2099 }),
  });

Deno.test("cutover: dry run reports, the run on Stripe expires the mock cards only, once", async () => {
  const mocks = [await mockCard("CUST-A1"), await mockCard("CUST-A2")];
  const kept = await card(onStripe, {
    customerId: "CUST-A3",
    tokenizationProvider: "stripe",
    providerToken: "pm_card_visa",
  });

  const dry = await reply(await onStripe.request(`${CUTOVER}?dryRun=true`, { method: "POST" }));
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.deepEqual([dry.body.dryRun, dry.body.count], [true, 2]);
  assert.deepEqual(dry.body.cards.map((c: { id: string }) => c.id).sort(), [...mocks].sort());
  const active = async () =>
    (await db.sql`select id from payment.payment_method where status = 'active' order by id`)
      .map((r) => r.id);
  assert.equal((await active()).length, 3, "a dry run changes nothing");

  // On the mock gateway the run would take every card the system can charge: refused.
  violation(
    await reply(await onMock.request(`${CUTOVER}?dryRun=false`, { method: "POST" })),
    "payment.cutover.gateway_not_switched",
  );

  const run = await reply(await onStripe.request(`${CUTOVER}?dryRun=false`, { method: "POST" }));
  assert.deepEqual([run.body.dryRun, run.body.count], [false, 2]);
  assert.deepEqual(await active(), [kept]);
  const events = await db.sql`
    select aggregate_id from audit.domain_event
    where event_type = 'payment_method.cutover_invalidated' order by aggregate_id`;
  assert.deepEqual(events.map((e) => e.aggregate_id), [...mocks].sort());
  const again = await reply(await onStripe.request(`${CUTOVER}?dryRun=false`, { method: "POST" }));
  assert.equal(again.body.count, 0);
});

Deno.test("cutover from the CLI: the report is a read, the run a destructive verb", async () => {
  const config = testConfig({ BSS_PAYMENT_URL: onStripe.url });
  const report = await runCli(["payment", "mock-cards-report", "--json"], { config });
  assert.equal(report.code, 0, report.stderr);
  assert.equal(JSON.parse(report.stdout).dryRun, true);
  const refused = await runCli(["payment", "invalidate-mock-cards"], { config });
  assert.equal(refused.code, 4, refused.stderr);
  assert.match(refused.stderr, /--allow-destructive/);
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await onMock.stop();
    await onStripe.stop();
    await stripe.stop();
    await db.drop();
  },
});
