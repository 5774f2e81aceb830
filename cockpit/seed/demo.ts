/**
 * Demo customers for a fresh system: each verified (a prebaked KYC attestation) with a test
 * card on file, created through the real CRM and payment routes (served on ephemeral ports in
 * this process), so they carry events and interactions like any other customer. Idempotent:
 * a demo customer whose email already exists is skipped.
 *
 * @module
 */
import { tokenizeCard } from "../../actors/payment/mock_tokenizer.ts";
import { ActorSystem } from "../../actors/runtime/system.ts";
import type { Config } from "../../kernel/config.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { createApp } from "../../http/app.ts";
import { createClient } from "../../http/client.ts";
import * as crm from "../../http/crm/index.ts";
import { createCustomer, customerByEmail, getCustomer } from "../../http/crm/customers.ts";
import { attestKyc } from "../../http/crm/kyc.ts";
import * as payment from "../../http/payment/index.ts";
import { createPaymentMethod } from "../../http/payment/payment_methods.ts";
import { serve } from "../../http/serve.ts";
import { serviceToken } from "../../http/service_client.ts";
import { SERVICES } from "../../http/services.ts";

/** The demo customers: name, email, document number and test card. */
export const DEMO_CUSTOMERS = [
  ["Mei", "Tan", "mei.tan@demo.bss.test", "S1234567A", "4242 4242 4242 4242"],
  ["Arjun", "Nair", "arjun.nair@demo.bss.test", "S7654321B", "4242 4242 4242 4242"],
  ["Siti", "Rahman", "siti.rahman@demo.bss.test", "S2468135C", "4000 0000 0000 0002"],
] as const;

/** Creates the demo customers that do not exist yet; returns `email → customer id`. */
export async function seedDemo(config: Config, sql: Pool): Promise<Record<string, string>> {
  const system = new ActorSystem(sql);
  system.register(crm.kinds[0]);
  await system.start();
  const deps = { config, sql, system };
  const crmServer = serve(
    createApp({ service: SERVICES.crm, config, sql, endpoints: crm.endpoints(deps) }),
    "127.0.0.1",
    0,
  );
  const token = serviceToken(config);
  const crmClient = createClient({ baseUrl: crmServer.url, token, service: "seed" });
  const paymentServer = serve(
    createApp({
      service: SERVICES.payment,
      config,
      sql,
      endpoints: payment.endpoints(deps, {
        customerStatus: async (id) =>
          (await crmClient.call(getCustomer, { params: { id } })).status,
      }),
    }),
    "127.0.0.1",
    0,
  );
  const payClient = createClient({ baseUrl: paymentServer.url, token, service: "seed" });
  const ids: Record<string, string> = {};
  try {
    for (const [givenName, familyName, email, document, card] of DEMO_CUSTOMERS) {
      const existing = await crmClient.call(customerByEmail, { query: { email } })
        .catch((e) => (e instanceof NotFound ? undefined : Promise.reject(e)));
      if (existing) {
        ids[email] = existing.id;
        continue;
      }
      const { id } = await crmClient.call(createCustomer, {
        body: {
          givenName,
          familyName,
          dateOfBirth: "1990-05-01",
          contactMedium: [{ mediumType: "email", value: email, isPrimary: true }],
        },
      });
      await crmClient.call(attestKyc, {
        params: { id },
        body: {
          provider: "myinfo",
          provider_reference: `demo-${id}`,
          document_type: "nric",
          document_number: document,
          document_country: "SG",
          date_of_birth: "1990-05-01",
          verified_at: new Date().toISOString(),
          attestation_payload: { signature: "demo-prebaked", demo: true },
        },
      });
      const tokenized = tokenizeCard({ cardNumber: card, expMonth: 12, expYear: 2099 });
      await payClient.call(createPaymentMethod, { body: { customerId: id, ...tokenized } });
      ids[email] = id;
    }
    return ids;
  } finally {
    await paymentServer.shutdown();
    await crmServer.shutdown();
    await system.stop();
  }
}
