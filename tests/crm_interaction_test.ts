/**
 * TMF683 interactions through HTTP: logging one by hand (defaults from the request, links to
 * the customer's own cases and tickets), listing newest first; 404s and validation.
 */
import assert from "node:assert/strict";
import { freshDatabase } from "./support/db.ts";
import { createCustomer, expectStatus, serveCrm } from "./support/crm.ts";
import { CLI_TOKEN } from "./support/http.ts";

const db = await freshDatabase("crm_interaction");
const crm = await serveCrm(db.sql);
const client = crm.client();
const PATH = "/tmf-api/customerInteractionManagement/v1/interaction";
const customer = await createCustomer(client);

// As the CLI: an identity that may assert its channel (the default token may not).
const log = (json: unknown, headers: Record<string, string> = {}) =>
  crm.request(PATH, { method: "POST", json, headers, token: CLI_TOKEN });

Deno.test("log: 201, channel from the request, inbound by default, no event", async () => {
  const i = await expectStatus(
    log({ customer_id: customer, summary: "Called about roaming" }, {
      "x-bss-channel": "portal-csr",
    }),
    201,
  );
  assert.match(i.id, /^INT-[0-9a-f]{8}$/);
  assert.deepEqual(
    [i["@type"], i.customerId, i.channel, i.direction, i.summary, i.body, i.agentId],
    ["Interaction", customer, "portal-csr", "inbound", "Called about roaming", null, null],
  );
  const [row] = await db.sql`select count(*)::int as n from audit.domain_event
    where aggregate_id = ${i.id}`;
  assert.equal(row.n, 0);
});

Deno.test("log with everything: channel, outbound, body, agent, own case and ticket", async () => {
  const c = await expectStatus(
    crm.request("/crm-api/v1/case", {
      method: "POST",
      json: { customer_id: customer, subject: "s" },
    }),
    201,
  );
  const t = await expectStatus(
    crm.request("/tmf-api/troubleTicket/v4/troubleTicket", {
      method: "POST",
      json: { customerId: customer, subject: "t", caseId: c.id },
    }),
    201,
  );
  const i = await expectStatus(
    log({
      customerId: customer,
      summary: "Sent SMS",
      channel: "sms",
      direction: "outbound",
      body: "Your line is back",
      agentId: "AGT-001",
      relatedCaseId: c.id,
      relatedTicketId: t.id,
    }),
    201,
  );
  assert.deepEqual(
    [i.channel, i.direction, i.body, i.agentId, i.relatedCaseId, i.relatedTicketId],
    ["sms", "outbound", "Your line is back", "AGT-001", c.id, t.id],
  );
});

Deno.test("log: unknown customer, agent, or a case/ticket not the customer's → 404", async () => {
  const other = await createCustomer(client);
  const theirs = await expectStatus(
    crm.request("/crm-api/v1/case", { method: "POST", json: { customer_id: other, subject: "s" } }),
    201,
  );
  await expectStatus(log({ customerId: "CUST-00000000", summary: "x" }), 404);
  await expectStatus(log({ customerId: customer, summary: "x", agentId: "AGT-999" }), 404);
  await expectStatus(log({ customerId: customer, summary: "x", relatedCaseId: theirs.id }), 404);
  await expectStatus(
    log({ customerId: customer, summary: "x", relatedTicketId: "TKT-00000000" }),
    404,
  );
});

Deno.test("log: schema errors are 422 VALIDATION_ERROR", async () => {
  for (
    const json of [{ customerId: customer }, { summary: "x" }, {
      customerId: customer,
      summary: "x",
      direction: "sideways",
    }]
  ) {
    assert.equal(
      (await expectStatus(log(json), 422)).code,
      "VALIDATION_ERROR",
      JSON.stringify(json),
    );
  }
});

Deno.test("list: the customer's, newest first, paged; customerId required", async () => {
  const id = await createCustomer(client);
  await expectStatus(log({ customerId: id, summary: "first" }), 201);
  await expectStatus(log({ customerId: id, summary: "second" }), 201);
  const all = await expectStatus(crm.request(`${PATH}?customerId=${id}`), 200);
  assert.deepEqual(all.map((i: { summary: string }) => i.summary), [
    "second",
    "first",
    "Customer created",
  ]);
  const page = await expectStatus(crm.request(`${PATH}?customerId=${id}&limit=1&offset=1`), 200);
  assert.deepEqual(page.map((i: { summary: string }) => i.summary), ["first"]);
  assert.deepEqual(await expectStatus(crm.request(`${PATH}?customerId=CUST-00000000`), 200), []);
  assert.equal((await expectStatus(crm.request(PATH), 422)).code, "VALIDATION_ERROR");
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await crm.stop();
    await db.drop();
  },
});
