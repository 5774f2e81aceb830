/**
 * `customer.attest_kyc` with the prebaked provider (docs/cockpit.md §4.2, docs/providers.md §3.3): a token
 * verifies a customer, who may then order; different tokens are different identities; in
 * production the CRM refuses prebaked attestations and the tool says why.
 */
import assert from "node:assert/strict";
import { syntheticNric } from "../actors/crm/kyc_prebaked.ts";
import { callTool } from "../tools/call.ts";
import { toolContext } from "../tools/context.ts";
import { toolNamed } from "../tools/registry.ts";
import { startSystem, type TestSystem } from "./support/system.ts";

/** Calls a tool by name the way an agent does: failures come back as results. */
function caller(sys: TestSystem) {
  const ctx = toolContext(sys.config, "test");
  // deno-lint-ignore no-explicit-any
  return async (name: string, args: Record<string, unknown>): Promise<any> =>
    await callTool(toolNamed(name)!, args, ctx);
}

/** A fresh customer's id. */
async function newCustomer(call: ReturnType<typeof caller>, name: string): Promise<string> {
  const email = `${name.replace(" ", ".").toLowerCase()}@example.test`;
  const created = await call("customer.create", { name, email });
  assert.match(created.id, /^CUST-/, JSON.stringify(created));
  return created.id;
}

Deno.test("the synthetic NRIC: S, seven digits, a check letter; one per token", async () => {
  const a = await syntheticNric("token-a");
  assert.match(a, /^S\d{7}[A-Z]$/);
  assert.equal(await syntheticNric("token-a"), a);
  assert.notEqual(await syntheticNric("token-b"), a);
});

Deno.test({
  name: "attest_kyc: verified, status reads verified, then an order is accepted",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("tools_attest_kyc");
    const call = caller(sys);
    try {
      const id = await newCustomer(call, "Kay Wong");
      assert.equal(
        (await call("customer.get_kyc_status", { customer_id: id })).state,
        "unverified",
      );
      await call("payment.add_card", { customer_id: id, card_number: "4242424242424242" });
      const refused = await call("order.create", { customer_id: id, offering_id: "PLAN_S" });
      assert.equal(refused.error, "POLICY_VIOLATION", JSON.stringify(refused));

      const attested = await call("customer.attest_kyc", {
        customer_id: id,
        provider: "prebaked",
        attestation_token: "token-kay",
      });
      assert.deepEqual(
        { ...attested, verifiedAt: typeof attested.verifiedAt },
        { customerId: id, provider: "prebaked", status: "verified", verifiedAt: "string" },
      );
      const status = await call("customer.get_kyc_status", { customer_id: id });
      assert.equal(status.state, "verified");
      assert.equal(status.verifiedAt, attested.verifiedAt);
      assert.equal(status.expiresAt, null);

      // Neither the token nor the NRIC is stored: only their hashes.
      const [identity] = await sys.db.sql`select document_number_last4, document_country,
          attestation_payload::text as payload from crm.customer_identity
        where customer_id = ${id}`;
      assert.equal(identity.document_country, "SG");
      assert.equal(identity.document_number_last4, (await syntheticNric("token-kay")).slice(-4));
      assert.ok(!identity.payload.includes("token-kay"), identity.payload);
      assert.match(JSON.parse(identity.payload).token_hash, /^[0-9a-f]{64}$/);

      const order = await call("order.create", { customer_id: id, offering_id: "PLAN_S" });
      assert.equal(order.state, "acknowledged", JSON.stringify(order));
    } finally {
      await sys.stop();
    }
  },
});

Deno.test({
  name: "attest_kyc: different tokens verify two customers (prebaked, myinfo); one token backs one",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("tools_attest_kyc_two");
    const call = caller(sys);
    try {
      const first = await newCustomer(call, "Ann Lee");
      const second = await newCustomer(call, "Ben Lim");
      // The reference's scenarios name `myinfo`: the same simulated attestation, recorded as it.
      for (
        const [customer_id, token, provider] of [
          [first, "token-ann", "prebaked"],
          [second, "token-ben", "myinfo"],
        ]
      ) {
        const attested = await call("customer.attest_kyc", {
          customer_id,
          provider,
          attestation_token: token,
        });
        assert.equal(attested.status, "verified", JSON.stringify(attested));
        assert.equal(attested.provider, provider);
      }
      const reused = await call("customer.attest_kyc", {
        customer_id: await newCustomer(call, "Cal Ng"),
        provider: "prebaked",
        attestation_token: "token-ann",
      });
      assert.equal(reused.rule, "customer.attest_kyc.document_hash_unique_per_tenant");

      const other = await call("customer.attest_kyc", {
        customer_id: first,
        provider: "didit",
        attestation_token: "token-ann",
      });
      assert.equal(other.error, "VALIDATION_ERROR");
    } finally {
      await sys.stop();
    }
  },
});

Deno.test({
  name: "attest_kyc in production: the CRM's refusal comes back as the tool's result",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("tools_attest_kyc_prod", { BSS_ENV: "production" });
    const call = caller(sys);
    try {
      const id = await newCustomer(call, "Dee Tan");
      const refused = await call("customer.attest_kyc", {
        customer_id: id,
        provider: "prebaked",
        attestation_token: "token-dee",
      });
      assert.equal(refused.error, "POLICY_VIOLATION", JSON.stringify(refused));
      assert.equal(refused.rule, "kyc.attestation.uncorroborated");
      assert.equal(
        (await call("customer.get_kyc_status", { customer_id: id })).state,
        "unverified",
      );
    } finally {
      await sys.stop();
    }
  },
});
