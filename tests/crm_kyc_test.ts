/**
 * KYC through HTTP: attestation (raw and pre-hashed documents), status, expiry, 404s and
 * validation; every rule (document required, corroboration for didit and prebaked
 * providers, one document per customer per tenant, sandbox reuse); and no plain document
 * number anywhere in the database afterwards.
 */
import assert from "node:assert/strict";
import type { KycCorroboration } from "../actors/crm/options.ts";
import { sha256Hex } from "../actors/crm/sha256.ts";
import { clock } from "../kernel/clock.ts";
import type { Pool } from "../kernel/db/types.ts";
import { freshDatabase } from "./support/db.ts";
import { asTenant } from "./support/http.ts";
import {
  attestKyc,
  createCustomer,
  type CrmServer,
  eventsOf,
  expectStatus,
  expectViolation,
  serveCrm,
  uniqueDocumentNumber,
} from "./support/crm.ts";

const corroborations = new Map<string, KycCorroboration>();
const db = await freshDatabase("crm_kyc");
const crm = await serveCrm(db.sql, {
  options: { findKycCorroboration: (id) => Promise.resolve(corroborations.get(id)) },
});
const client = crm.client();

const attestPath = (id: string) => `/crm-api/v1/customer/${id}/kyc-attestation`;
const statusPath = (id: string) => `/crm-api/v1/customer/${id}/kyc-status`;

function attestation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: "myinfo",
    provider_reference: "myinfo-ref-1",
    document_type: "nric",
    document_number: uniqueDocumentNumber(),
    document_country: "SG",
    date_of_birth: "1990-05-01",
    verified_at: "2030-01-01T08:00:00Z",
    attestation_payload: { signature: "sig" },
    ...overrides,
  };
}

const attest = (server: CrmServer, id: string, json: unknown, headers = {}) =>
  server.request(attestPath(id), { method: "POST", json, headers });

Deno.test("attest a raw document: verified, fingerprint kept, event and interaction", async () => {
  const id = await createCustomer(client);
  const number = " s1234567d ";
  const reply = await expectStatus(
    attest(crm, id, attestation({ document_number: number, document_country: "sg" })),
    200,
  );
  assert.deepEqual(reply, {
    customer_id: id,
    kyc_status: "verified",
    provider: "myinfo",
    verified_at: "2030-01-01T08:00:00.000Z",
  });
  assert.deepEqual(await expectStatus(crm.request(statusPath(id)), 200), {
    customer_id: id,
    kyc_status: "verified",
    kyc_verified_at: "2030-01-01T08:00:00.000Z",
    kyc_verification_method: "myinfo",
    kyc_reference: "myinfo-ref-1",
    kyc_expires_at: null,
  });
  const customer = await expectStatus(
    crm.request(`/tmf-api/customerManagement/v4/customer/${id}`),
    200,
  );
  assert.equal(customer.kycStatus, "verified");
  const [identity] = await db.sql`select * from crm.customer_identity where customer_id = ${id}`;
  assert.equal(identity.document_number_hash, await sha256Hex("S1234567D|SG|myinfo"));
  assert.equal(identity.document_number_last4, "567D");
  assert.equal(identity.document_country, "SG");
  assert.equal(identity.verified_by, "myinfo");
  const events = await eventsOf(db.sql, id);
  assert.deepEqual([events.at(-1)?.event_type, events.at(-1)?.payload], [
    "customer.kyc_attested",
    { provider: "myinfo", document_type: "nric", document_country: "SG", kyc_status: "verified" },
  ]);
  const [interaction] = await db.sql`select summary, direction from crm.interaction
    where customer_id = ${id} order by seq desc limit 1`;
  assert.deepEqual({ ...interaction }, {
    summary: "KYC attested via myinfo (nric ...567D)",
    direction: "inbound",
  });
});

Deno.test("attest a pre-hashed document: stored as given", async () => {
  const id = await createCustomer(client);
  const hash = await sha256Hex(`P${crypto.randomUUID()}`);
  await expectStatus(
    attest(
      crm,
      id,
      attestation({
        document_number: undefined,
        document_type: "passport",
        document_number_last4: "9876",
        document_number_hash: hash.toUpperCase(),
      }),
    ),
    200,
  );
  const [identity] = await db.sql`select document_number_hash, document_number_last4
    from crm.customer_identity where customer_id = ${id}`;
  assert.deepEqual({ ...identity }, { document_number_hash: hash, document_number_last4: "9876" });
});

Deno.test("no document: customer.attest_kyc.document_required", async () => {
  const id = await createCustomer(client);
  for (
    const doc of [
      { document_number: undefined },
      { document_number: undefined, document_number_last4: "1234" },
      { document_number: undefined, document_number_hash: await sha256Hex("x") },
    ]
  ) {
    const context = await expectViolation(
      attest(crm, id, attestation(doc)),
      "customer.attest_kyc.document_required",
    );
    assert.deepEqual(context, { provider: "myinfo" });
  }
  assert.equal((await expectStatus(crm.request(statusPath(id)), 200)).kyc_status, "not_verified");
});

Deno.test("a prebaked attestation without a signature: kyc.attestation.uncorroborated", async () => {
  const id = await createCustomer(client);
  const context = await expectViolation(
    attest(crm, id, attestation({ attestation_payload: { note: "trust me" } })),
    "kyc.attestation.uncorroborated",
  );
  assert.deepEqual(context, {
    provider: "myinfo",
    policy: "customer.attest_kyc.attestation_signature_valid",
  });
});

Deno.test("didit needs an Approved didit corroboration at most 30 minutes old", async () => {
  const id = await createCustomer(client);
  const didit = (corroboration_id?: string) =>
    attestation({ provider: "didit", corroboration_id, attestation_payload: {} });
  const fresh = (over: Partial<KycCorroboration>) => {
    const c = {
      id: crypto.randomUUID(),
      provider: "didit",
      decisionStatus: "Approved",
      receivedAt: new Date(clock.now().getTime() - 60_000),
      ...over,
    };
    corroborations.set(c.id, c);
    return c.id;
  };
  const refused = async (body: unknown) => {
    const { policy: _, ...context } = await expectViolation(
      attest(crm, id, body),
      "kyc.attestation.uncorroborated",
    );
    return context;
  };
  assert.deepEqual(await refused(didit()), { provider: "didit" });
  const unknown = crypto.randomUUID();
  assert.deepEqual(await refused(didit(unknown)), { corroboration_id: unknown });
  const other = fresh({ provider: "jumio" });
  assert.deepEqual(await refused(didit(other)), { corroboration_id: other });
  const declined = fresh({ decisionStatus: "Declined" });
  assert.deepEqual(await refused(didit(declined)), {
    corroboration_id: declined,
    decision_status: "Declined",
  });
  const stale = fresh({ receivedAt: new Date(clock.now().getTime() - 31 * 60_000) });
  const context = await refused(didit(stale));
  assert.equal(context.corroboration_id, stale);
  assert.ok((context.age_seconds as number) >= 31 * 60);

  const approved = fresh({});
  await expectStatus(attest(crm, id, didit(approved)), 200);
  const [identity] = await db.sql`select corroboration_id from crm.customer_identity
    where customer_id = ${id}`;
  assert.equal(identity.corroboration_id, approved);
});

Deno.test("one document backs one customer per tenant: document_hash_unique_per_tenant", async () => {
  const number = uniqueDocumentNumber();
  const first = await createCustomer(client);
  const second = await createCustomer(client);
  await expectStatus(attest(crm, first, attestation({ document_number: number })), 200);
  // Re-attesting the same customer with the same document is fine.
  await expectStatus(attest(crm, first, attestation({ document_number: number })), 200);
  const context = await expectViolation(
    attest(crm, second, attestation({ document_number: ` ${number.toLowerCase()}` })),
    "customer.attest_kyc.document_hash_unique_per_tenant",
  );
  assert.deepEqual(context, { document_type: "nric" });
  // Another tenant may hold the same document.
  await expectStatus(
    attest(crm, second, attestation({ document_number: number }), asTenant("OTHER")),
    200,
  );
});

Deno.test("expiry: a verification past its expires_at reads as expired", async () => {
  const id = await createCustomer(client);
  const past = new Date(clock.now().getTime() - 1000).toISOString();
  await expectStatus(attest(crm, id, attestation({ expires_at: past })), 200);
  const status = await expectStatus(crm.request(statusPath(id)), 200);
  assert.deepEqual([status.kyc_status, status.kyc_expires_at], ["expired", past]);
  const customer = await expectStatus(
    crm.request(`/tmf-api/customerManagement/v4/customer/${id}`),
    200,
  );
  assert.equal(customer.kycStatus, "expired");
});

Deno.test("unknown customer: 404 on attestation and status", async () => {
  await expectStatus(attest(crm, "CUST-00000000", attestation()), 404);
  await expectStatus(crm.request(statusPath("CUST-00000000")), 404);
});

Deno.test("schema errors are 422 VALIDATION_ERROR", async () => {
  const id = await createCustomer(client);
  const bad: Record<string, unknown>[] = [
    { provider: "bank" },
    { provider_reference: "" },
    { document_type: "library_card" },
    { document_country: "SGP" },
    { date_of_birth: "01/05/1990" },
    { verified_at: "yesterday" },
    { attestation_payload: "signed" },
    { document_number_hash: "abc", document_number: undefined, document_number_last4: "1234" },
    { corroboration_id: "not-a-uuid" },
  ];
  for (const over of bad) {
    const body = await expectStatus(attest(crm, id, attestation(over)), 422);
    assert.equal(body.code, "VALIDATION_ERROR", JSON.stringify(over));
  }
});

/** Every row of every table in every schema, as text. */
async function databaseDump(sql: Pool): Promise<string> {
  const tables = await sql`select table_schema, table_name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`;
  const parts = await Promise.all(tables.map(async (t) => {
    const [{ text }] = await sql`select coalesce(string_agg(r::text, E'\n'), '') as text
      from ${sql(t.table_schema)}.${sql(t.table_name)} r`;
    return text as string;
  }));
  return parts.join("\n");
}

Deno.test("no plain document number anywhere in the database", async () => {
  const id = await createCustomer(client);
  const number = "K7Q9X4M2P";
  await expectStatus(
    attest(
      crm,
      id,
      attestation({
        document_number: number,
        provider_reference: `ref-${number}`,
        attestation_payload: {
          signature: "sig",
          document: { number: "k7q9-x4m2p", images: [`front of ${number}`] },
        },
      }),
    ),
    200,
  );
  const [identity] = await db.sql`select attestation_payload, kyc_reference
    from crm.customer_identity join crm.customer on customer.id = customer_id
    where customer_id = ${id}`;
  assert.deepEqual(identity.attestation_payload, {
    signature: "sig",
    document: { number: "[redacted]", images: ["[redacted]"] },
  });
  assert.equal(identity.kyc_reference, "[redacted]");
  const dump = await databaseDump(db.sql);
  assert.ok(dump.includes(id), "the dump covers the CRM tables");
  const bare = (s: string) => s.toUpperCase().replace(/[^0-9A-Z]/g, "");
  assert.ok(!bare(dump).includes(number), "the document number is stored somewhere");
});

Deno.test("production refuses prebaked attestations by default", async () => {
  const prod = await freshDatabase("crm_kyc_prod");
  const server = await serveCrm(prod.sql, { env: { BSS_ENV: "production" } });
  try {
    const id = await createCustomer(server.client());
    const context = await expectViolation(
      attest(server, id, attestation()),
      "kyc.attestation.uncorroborated",
    );
    assert.equal(context.provider, "myinfo");
  } finally {
    await server.stop();
    await prod.drop();
  }
});

Deno.test("sandbox document reuse re-links the document to the new customer", async () => {
  const sandbox = await freshDatabase("crm_kyc_reuse");
  const server = await serveCrm(sandbox.sql, { options: { kycDocReuse: true } });
  try {
    const number = uniqueDocumentNumber();
    const first = await createCustomer(server.client());
    const second = await createCustomer(server.client());
    await attestKyc(server.client(), first, { document_number: number });
    await attestKyc(server.client(), second, { document_number: number });
    const rows = await sandbox.sql`select customer_id from crm.customer_identity`;
    assert.deepEqual(rows.map((r) => r.customer_id), [second]);
  } finally {
    await server.stop();
    await sandbox.drop();
  }
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
