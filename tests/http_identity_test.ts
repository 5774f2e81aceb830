/**
 * Least privilege against a real CRM: the self-serve token signs a customer up and reads its
 * own customer, but cannot list customers, read another one, or reach an admin route (reset
 * refused even while reset is enabled); identity headers are honoured only from identities
 * allowed to assert them, and forged ones never reach the audit log.
 */
import assert from "node:assert/strict";
import { serveCrm, uniqueEmail } from "./support/crm.ts";
import { freshDatabase } from "./support/db.ts";
import { CLI_TOKEN, COCKPIT_TOKEN, PORTAL_TOKEN, reply, SERVICE_TOKEN } from "./support/http.ts";

const db = await freshDatabase("http_identity");
const crm = await serveCrm(db.sql, { env: { BSS_ALLOW_ADMIN_RESET: "yes" } });
const CUSTOMERS = "/tmf-api/customerManagement/v4/customer";
const RESET = "/admin-api/v1/reset-operational-data";

/** Signs a customer up as the portal would (`portal-anon` until it exists). */
async function signUp(): Promise<string> {
  const r = await reply(
    await crm.request(CUSTOMERS, {
      method: "POST",
      token: PORTAL_TOKEN,
      headers: { "x-bss-actor": "portal-anon", "x-bss-channel": "portal-self-serve" },
      json: {
        givenName: "Ann",
        familyName: "Ong",
        contactMedium: [{ mediumType: "email", value: uniqueEmail() }],
      },
    }),
  );
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

/** The attribution of the first audit row of `aggregateId`. */
async function recorded(aggregateId: string) {
  const [e] = await db.sql`
    select service_identity, actor, channel, tenant_id from audit.domain_event
    where aggregate_id = ${aggregateId} order by id limit 1`;
  return [e.service_identity, e.actor, e.channel, e.tenant_id];
}

/** A portal call asserting `customer`. */
const asCustomer = (customer: string, init: RequestInit = {}) => ({
  ...init,
  token: PORTAL_TOKEN,
  headers: { "x-bss-actor": customer, "x-bss-channel": "portal-self-serve" },
});

const mine = await signUp();
const theirs = await signUp();

Deno.test("the portal signs up: the audit row names the portal identity and portal-anon", async () => {
  assert.deepEqual(
    await recorded(mine),
    ["portal_self_serve", "portal-anon", "portal-self-serve", "DEFAULT"],
  );
});

Deno.test("self-serve token: its own customer 200; listing all or another customer 403", async () => {
  const own = await reply(await crm.request(`${CUSTOMERS}/${mine}`, asCustomer(mine)));
  assert.deepEqual([own.status, own.body.id], [200, mine]);

  const list = await reply(await crm.request(CUSTOMERS, asCustomer(mine)));
  assert.deepEqual([list.status, list.body.code], [403, "FORBIDDEN_SCOPE"]);

  const other = await reply(await crm.request(`${CUSTOMERS}/${theirs}`, asCustomer(mine)));
  assert.deepEqual([other.status, other.body.code], [403, "FORBIDDEN_CUSTOMER"]);
  assert.ok(!JSON.stringify(other.body).includes("Ong"));

  // The sign-in lookup by email: only for the email the portal asserts (the one it verified).
  const email = uniqueEmail("lookup");
  const byEmail = (asserted: string, wanted: string) =>
    crm.request(`${CUSTOMERS}/by-email?email=${encodeURIComponent(wanted)}`, {
      token: PORTAL_TOKEN,
      headers: { "x-bss-actor": asserted },
    }).then(reply);
  const their = await reply(await crm.request(`${CUSTOMERS}/${theirs}`));
  const theirEmail =
    their.body.contactMedium.find((m: { mediumType: string }) => m.mediumType === "email").value;
  assert.equal((await byEmail(theirEmail, theirEmail)).status, 200);
  const fishing = await byEmail(email, theirEmail);
  assert.deepEqual([fishing.status, fishing.body.code], [403, "FORBIDDEN_CUSTOMER"]);
  const anonymous = await byEmail("portal-anon", theirEmail);
  assert.deepEqual([anonymous.status, anonymous.body.code], [403, "FORBIDDEN_CUSTOMER"]);

  // Asserting no customer binds it to none.
  const anon = await reply(
    await crm.request(`${CUSTOMERS}/${mine}`, { token: PORTAL_TOKEN }),
  );
  assert.deepEqual([anon.status, anon.body.code], [403, "FORBIDDEN_CUSTOMER"]);
});

Deno.test("admin reset: only with the admin scope, and data stays put otherwise", async () => {
  for (const token of [PORTAL_TOKEN, COCKPIT_TOKEN]) {
    const r = await reply(await crm.request(RESET, { method: "POST", token }));
    assert.deepEqual([r.status, r.body.code], [403, "FORBIDDEN_SCOPE"]);
  }
  const [{ n }] = await db.sql`select count(*)::int as n from crm.customer`;
  assert.ok(n >= 2);
  // The default identity holds `admin`, and reset is enabled here.
  const r = await reply(await crm.request(RESET, { method: "POST" }));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const [after] = await db.sql`select count(*)::int as n from crm.customer`;
  assert.equal(after.n, 0);
});

/** The audit row of one customer create sent with `token` and `headers`. */
async function attributionOf(token: string | undefined, headers: Record<string, string>) {
  const r = await reply(
    await crm.request(CUSTOMERS, {
      method: "POST",
      ...token && { token },
      headers,
      json: {
        givenName: "Bo",
        familyName: "Lim",
        contactMedium: [{ mediumType: "email", value: uniqueEmail() }],
      },
    }),
  );
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return await recorded(r.body.id);
}

Deno.test("forged actor and tenant on the default token: the token's identity is recorded", async () => {
  const forged = {
    "x-bss-actor": `csr:alice\t"the-admin"${"x".repeat(8000)}`,
    "x-bss-channel": "scen ario",
    "x-bss-tenant": "EVILCORP",
    "x-bss-service-identity": "operator_cockpit",
  };
  assert.deepEqual(await attributionOf(undefined, forged), [
    "default",
    "default",
    "system",
    "DEFAULT",
  ]);
  // A card number is no actor either.
  const pan = { "x-bss-actor": "4242424242424242" };
  assert.deepEqual(await attributionOf(undefined, pan), [
    "default",
    "default",
    "system",
    "DEFAULT",
  ]);
  const rows = await db.sql`
    select count(*)::int as n from audit.domain_event
    where actor like '%alice%' or tenant_id = 'EVILCORP' or actor like '%4242%'`;
  assert.equal(rows[0].n, 0);
});

Deno.test("who may assert what: portal its customer, cockpit and CLI their operator, services any", async () => {
  // The portal cannot claim to be an operator, nor speak on an operator channel.
  assert.deepEqual(
    await attributionOf(PORTAL_TOKEN, {
      "x-bss-actor": "csr:alice-the-admin",
      "x-bss-channel": "portal-csr",
    }),
    ["portal_self_serve", "portal_self_serve", "system", "DEFAULT"],
  );
  // The cockpit asserts its operator, not a customer.
  assert.deepEqual(
    await attributionOf(COCKPIT_TOKEN, { "x-bss-actor": "csr-alice", "x-bss-channel": "cli" }),
    ["operator_cockpit", "csr-alice", "cli", "DEFAULT"],
  );
  assert.deepEqual(
    await attributionOf(COCKPIT_TOKEN, {
      "x-bss-actor": "CUST-00000001",
      "x-bss-channel": "portal-self-serve",
    }),
    ["operator_cockpit", "operator_cockpit", "system", "DEFAULT"],
  );
  // The CLI asserts its operator, on the CLI's channels, never a customer.
  assert.deepEqual(
    await attributionOf(CLI_TOKEN, { "x-bss-actor": "cli-user", "x-bss-channel": "cli" }),
    ["operator_cli", "cli-user", "cli", "DEFAULT"],
  );
  assert.deepEqual(
    await attributionOf(CLI_TOKEN, {
      "x-bss-actor": "scenario:signup",
      "x-bss-channel": "scenario",
    }),
    ["operator_cli", "scenario:signup", "scenario", "DEFAULT"],
  );
  assert.deepEqual(
    await attributionOf(CLI_TOKEN, {
      "x-bss-actor": "CUST-00000001",
      "x-bss-channel": "portal-self-serve",
    }),
    ["operator_cli", "operator_cli", "system", "DEFAULT"],
  );
  // The services' own hops relay whoever they serve, a customer included.
  assert.deepEqual(
    await attributionOf(SERVICE_TOKEN, {
      "x-bss-actor": "CUST-00000001",
      "x-bss-channel": "portal-self-serve",
    }),
    ["service", "CUST-00000001", "portal-self-serve", "DEFAULT"],
  );
  // `default` asserts nothing, however well-formed.
  assert.deepEqual(
    await attributionOf(undefined, { "x-bss-actor": "cli-user", "x-bss-channel": "cli" }),
    ["default", "default", "system", "DEFAULT"],
  );
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
