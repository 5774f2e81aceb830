/**
 * CRM test support, for CRM tests and for any service's tests that need customers: a CRM
 * service (customer actor + endpoints, reference data seeded) on an ephemeral port, and
 * helpers that create and verify customers through its typed routes.
 *
 * ```ts
 * const crm = await serveCrm(db.sql);
 * const id = await createCustomer(crm.client());
 * await attestKyc(crm.client(), id);
 * ```
 *
 * @module
 */
import assert from "node:assert/strict";
import type { z } from "zod";
import { ActorSystem } from "../../actors/runtime/system.ts";
import { clock } from "../../kernel/clock.ts";
import type { Pool } from "../../kernel/db/types.ts";
import type { Client } from "../../http/client.ts";
import { crmDomain, type CrmOptions, seedReferenceData } from "../../http/crm/index.ts";
import { createCustomer as createRoute } from "../../http/crm/customers.ts";
import { attestKyc as attestRoute } from "../../http/crm/kyc.ts";
import { serveTest, testConfig, type TestServer } from "./http.ts";

/** A CRM service for a test, with the actor system that handles its customers. */
export interface CrmServer extends TestServer {
  system: ActorSystem;
}

/** Serves the CRM on `sql` (seeding agents and SLA policies); `stop()` stops both parts. */
export async function serveCrm(
  sql: Pool,
  { options = {}, env = {} }: { options?: CrmOptions; env?: Record<string, string> } = {},
): Promise<CrmServer> {
  await seedReferenceData(sql);
  const domain = crmDomain(options);
  const system = new ActorSystem(sql, { pollMs: 50, workers: 1 });
  for (const kind of domain.kinds) system.register(kind);
  await system.start();
  const config = testConfig(env);
  const server = serveTest({
    sql,
    service: "crm",
    env,
    endpoints: domain.endpoints({ config, sql, system }),
  });
  return {
    ...server,
    system,
    async stop() {
      await server.stop();
      await system.stop();
    },
  };
}

/** An email address no other test has used. */
export function uniqueEmail(label = "customer"): string {
  return `${label}.${crypto.randomUUID().slice(0, 8)}@example.test`;
}

/** A typed client, or a test server to make one of. */
export type ClientOrServer = Client | Pick<TestServer, "client">;

const clientOf = (c: ClientOrServer): Client => "call" in c ? c : c.client();

/** Creates an active customer (a fresh email unless given) and returns its id. */
export async function createCustomer(
  target: ClientOrServer,
  overrides: Partial<z.input<typeof createRoute.body>> = {},
): Promise<string> {
  const customer = await clientOf(target).call(createRoute, {
    body: {
      givenName: "Mei",
      familyName: "Tan",
      contactMedium: [{ mediumType: "email", value: uniqueEmail(), isPrimary: true }],
      ...overrides,
    },
  });
  return customer.id;
}

/** A raw identity document number nobody else uses. */
export function uniqueDocumentNumber(): string {
  const digits = crypto.getRandomValues(new Uint32Array(1))[0] % 10_000_000;
  return `S${String(digits).padStart(7, "0")}Z`;
}

/**
 * Attests the customer's KYC with a prebaked `myinfo` attestation of a fresh document
 * (prebaked attestations are accepted outside production).
 */
export async function attestKyc(
  target: ClientOrServer,
  customerId: string,
  overrides: Partial<z.input<typeof attestRoute.body>> = {},
): Promise<z.output<typeof attestRoute.response>> {
  return await clientOf(target).call(attestRoute, {
    params: { id: customerId },
    body: {
      provider: "myinfo",
      provider_reference: `myinfo-${crypto.randomUUID().slice(0, 8)}`,
      document_type: "nric",
      document_number: uniqueDocumentNumber(),
      document_country: "SG",
      date_of_birth: "1990-05-01",
      verified_at: clock.now().toISOString(),
      attestation_payload: { signature: "test-signature" },
      ...overrides,
    },
  });
}

/** Asserts a 422 POLICY_VIOLATION of `rule` and returns its context. */
export async function expectViolation(
  response: Response | Promise<Response>,
  rule: string,
): Promise<Record<string, unknown>> {
  const r = await response;
  const body = await r.json();
  assert.equal(r.status, 422, JSON.stringify(body));
  assert.deepEqual([body.code, body.rule], ["POLICY_VIOLATION", rule], JSON.stringify(body));
  return body.context;
}

/** Asserts the reply's status and returns its JSON body (null for an empty one). */
export async function expectStatus(
  response: Response | Promise<Response>,
  status: number,
  // Bodies are checked field by field in asserts; a type per reply would only repeat them.
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const r = await response;
  const text = await r.text();
  assert.equal(r.status, status, text);
  return text === "" ? null : JSON.parse(text);
}

/** The audit events of an aggregate, oldest first. */
export async function eventsOf(
  sql: Pool,
  aggregateId: string,
): Promise<
  Array<{ event_type: string; payload: Record<string, unknown> } & Record<string, unknown>>
> {
  return await sql`select event_type, payload, actor, channel, service_identity, aggregate_type
    from audit.domain_event where aggregate_id = ${aggregateId} order by id` as never;
}
