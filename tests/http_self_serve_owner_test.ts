/**
 * Self-serve calls are bound to the customer they assert, on the whole system: with the
 * portal's token, customer A reads and acts on A's lines, orders, cards and eSIM, and every
 * one of B's — named directly or through a resource B owns — is 403 FORBIDDEN_CUSTOMER, with
 * nothing done (no VAS charge on B's card).
 */
import assert from "node:assert/strict";
import { serviceUrl } from "../http/service_client.ts";
import { getSubscription } from "../http/subscription/routes.ts";
import type { ServiceName } from "../http/services.ts";
import { PORTAL_TOKEN, reply } from "./support/http.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem } from "./support/system.ts";

Deno.test({
  name: "the portal acts for its customer only: another customer's resources are 403",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("self_serve_owner");
    try {
      /** A signed-up customer with an active line. */
      const lineOf = async () => {
        const customer = await signupCustomer(sys.client);
        const placed = await order(sys.client, customer);
        assert.equal(placed.state, "completed");
        const sub = placed.productOrderItem.find((i) => i.targetSubscriptionId)!
          .targetSubscriptionId!;
        const line = await sys.client.subscription.call(getSubscription, { params: { id: sub } });
        const [method] = (await reply(
          await fetch(
            `${
              serviceUrl(sys.config, "payment")
            }/tmf-api/paymentMethodManagement/v4/paymentMethod?customerId=${customer}`,
            { headers: { "x-bss-api-token": sys.config.outboundTokens.default } },
          ),
        )).body;
        return { customer, order: placed.id, sub, iccid: line.iccid, method: method.id };
      };
      const a = await lineOf();
      const b = await lineOf();

      /** A portal call as customer A. */
      const asA = async (role: ServiceName, method: string, path: string, json?: unknown) => {
        const r = await fetch(`${serviceUrl(sys.config, role)}${path}`, {
          method,
          headers: {
            "x-bss-api-token": PORTAL_TOKEN,
            "x-bss-actor": a.customer,
            "x-bss-channel": "portal-self-serve",
            ...json !== undefined && { "content-type": "application/json" },
          },
          body: json === undefined ? undefined : JSON.stringify(json),
        });
        return await reply(r);
      };
      const SUBS = "/subscription-api/v1/subscription";
      const ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder";
      const METHODS = "/tmf-api/paymentMethodManagement/v4/paymentMethod";
      const ESIM = "/inventory-api/v1/esim";

      const allowed = [
        await asA("subscription", "GET", `${SUBS}?customerId=${a.customer}`),
        await asA("subscription", "GET", `${SUBS}/${a.sub}`),
        await asA("subscription", "GET", `${SUBS}/${a.sub}/balance`),
        await asA("com", "GET", `${ORDERS}/${a.order}`),
        await asA("payment", "GET", `${METHODS}?customerId=${a.customer}`),
        await asA("payment", "GET", `${METHODS}/${a.method}`),
        await asA("crm", "GET", `${ESIM}/${a.iccid}/activation`),
      ];
      assert.deepEqual(allowed.map((r) => r.status), [200, 200, 200, 200, 200, 200, 200]);

      const chargesOfB = async () =>
        (await sys.db.sql`
          select count(*)::int as n from payment.payment_attempt where customer_id = ${b.customer}`)[
          0
        ]
          .n;
      const before = await chargesOfB();
      const refused = [
        await asA("subscription", "GET", `${SUBS}?customerId=${b.customer}`),
        await asA("subscription", "GET", `${SUBS}/${b.sub}`),
        await asA("subscription", "GET", `${SUBS}/${b.sub}/balance`),
        await asA("subscription", "POST", `${SUBS}/${b.sub}/vas-purchase`, {
          vasOfferingId: "VAS_DATA_1GB",
        }),
        await asA("subscription", "POST", `${SUBS}/${b.sub}/terminate`, {}),
        await asA("com", "GET", `${ORDERS}/${b.order}`),
        await asA("com", "GET", `${ORDERS}?customerId=${b.customer}`),
        await asA("payment", "GET", `${METHODS}?customerId=${b.customer}`),
        await asA("payment", "DELETE", `${METHODS}/${b.method}`),
        await asA("crm", "GET", `${ESIM}/${b.iccid}/activation`),
        await asA("subscription", "GET", `${SUBS}/SUB-99999999`),
      ];
      for (const r of refused) {
        assert.deepEqual([r.status, r.body.code], [403, "FORBIDDEN_CUSTOMER"], JSON.stringify(r));
      }
      assert.equal(await chargesOfB(), before, "nothing was charged to B");
      const line = await sys.client.subscription.call(getSubscription, { params: { id: b.sub } });
      assert.equal(line.state, "active", "B's line is untouched");
    } finally {
      await sys.stop();
    }
  },
});
