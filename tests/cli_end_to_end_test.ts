/**
 * The `bss` CLI against the whole system in this process: representative verbs through the
 * registry's typed clients, the plain and JSON renderings, and the error contract.
 */
import assert from "node:assert/strict";
import { runCli } from "../cockpit/bss/cli.ts";
import { COMMANDS } from "../cockpit/bss/commands.ts";
import { argumentsOf } from "../tools/schema.ts";
import { attestKyc } from "./support/crm.ts";
import { PolicyViolation } from "../kernel/errors.ts";
import { createProductOrder } from "../http/com/product_orders.ts";
import { startSystem } from "./support/system.ts";

Deno.test({
  name: "bss: catalog, customer create → get, a policy refusal, a gated destructive verb",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("cli_e2e");
    const bss = (...argv: string[]) => runCli(argv, { config: sys.config });
    try {
      const catalog = await bss("catalog", "list");
      assert.equal(catalog.code, 0, catalog.stderr);
      assert.match(catalog.stdout, /^id +/);
      for (const plan of ["PLAN_S", "PLAN_M", "PLAN_L"]) {
        assert.match(catalog.stdout, new RegExp(plan));
      }

      const created = await bss(
        "customer",
        "create",
        "--name",
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--json",
      );
      assert.equal(created.code, 0, created.stderr);
      const { id } = JSON.parse(created.stdout);
      assert.match(id, /^CUST-/);

      const got = await bss("customer", "get", id, "--json");
      assert.equal(got.code, 0, got.stderr);
      const customer = JSON.parse(got.stdout);
      assert.equal(customer.id, id);
      assert.equal(customer.name, "Ada Lovelace");
      assert.equal(customer.kycVerified, false);
      assert.deepEqual(customer._extras.subscriptions, []);
      assert.equal(customer.contactMedium[0].value, "ada@example.com");

      const plain = await bss("customer", "show", id);
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(plain.stdout, new RegExp(`^id +${id}$`, "m"));

      // The same refusal the service gives a direct call, in the CLI's one-line form.
      const direct = await sys.client.com.call(createProductOrder, {
        body: { customerId: id, offeringId: "PLAN_M" },
      }).catch((e) => e);
      assert.ok(direct instanceof PolicyViolation);
      const refused = await bss("order", "create", "--customer_id", id, "--offering_id", "PLAN_M");
      assert.equal(refused.code, 2);
      assert.equal(refused.stdout, "");
      assert.equal(refused.stderr, `POLICY_VIOLATION ${direct.rule}  ${direct.message}\n`);
      assert.match(direct.rule, /^order\.create\./);

      const missing = await bss("customer", "get", "CUST-doesnotexist");
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^NOT_FOUND /);

      const gated = await bss("customer", "close", id);
      assert.equal(gated.code, 2);
      assert.equal(gated.stderr, "customer close is gated behind --allow-destructive.\n");
      const still = JSON.parse((await bss("customer", "get", id, "--json")).stdout);
      assert.equal(still.status, customer.status);

      const closed = await bss("customer", "close", id, "--allow-destructive", "--json");
      assert.equal(closed.code, 0, closed.stderr);
      assert.equal(JSON.parse(closed.stdout).status, "closed");
    } finally {
      await sys.stop();
    }
  },
});

Deno.test({
  name: "bss: a line's life through the CLI (card, order, wait, balance, usage, terminate)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("cli_e2e_life");
    const bss = async (...argv: string[]) => {
      const r = await runCli(argv, { config: sys.config });
      assert.equal(r.code, 0, `bss ${argv.join(" ")}: ${r.stderr}`);
      return argv.includes("--json") ? JSON.parse(r.stdout) : r.stdout;
    };
    try {
      const { id: customerId } = await bss(
        "customer",
        "create",
        "--name",
        "Grace Hopper",
        "--phone",
        "+6591234567",
        "--json",
      );
      await attestKyc(sys.client.crm, customerId);
      const card = await bss("payment", "add-card", customerId, "4242424242424242", "--json");
      assert.equal(card.last4 ?? card.cardSummary?.last4, "4242");

      const placed = await bss("order", "create", customerId, "PLAN_S", "--json");
      assert.ok(["acknowledged", "in_progress"].includes(placed.state), placed.state);
      const done = await bss("order", "wait-until", placed.id, "--timeout_s", "60", "--json");
      assert.equal(done.state, "completed");

      const [line] = await bss("subscription", "list-for-customer", customerId, "--json");
      assert.equal(line.state, "active");
      const balance = await bss("subscription", "get-balance", line.id, "--json");
      assert.ok(balance);
      const esim = await bss("subscription", "get-esim-activation", line.id, "--json");
      assert.equal(esim.subscriptionId, line.id);
      assert.match(esim.activationCode, /^LPA:1\$/);
      const services = await bss("som", "service", "list-for-subscription", line.id, "--json");
      assert.ok(services.length > 0);
      assert.match(await bss("provisioning", "list-tasks"), /HLR_PROVISION/);

      const usage = await bss(
        "usage",
        "simulate",
        "--msisdn",
        line.msisdn,
        "--event_type",
        "data",
        "--quantity",
        "10",
        "--unit",
        "mb",
        "--json",
      );
      assert.equal(usage.msisdn, line.msisdn);
      const history = await bss("usage", "history", "--subscription_id", line.id, "--json");
      assert.equal(history.length, 1);
      assert.match(await bss("customer", "find-by-msisdn", line.msisdn), /Grace Hopper/);

      const terminated = await bss(
        "subscription",
        "terminate",
        line.id,
        "--allow-destructive",
        "--json",
      );
      assert.equal(terminated.state, "terminated");

      // No read answers junk ids with a crash: only refusals (2) or empty results (0).
      for (const command of COMMANDS.filter((c) => !c.alias && c.tool.class === "read")) {
        const args = argumentsOf(command.tool.args).filter(([, s]) => !s.optional)
          .map(() => "NOPE-0000");
        const r = await runCli([...command.words, ...args], { config: sys.config });
        assert.ok(r.code === 0 || r.code === 2, `${command.tool.name}: ${r.code} ${r.stderr}`);
      }
    } finally {
      await sys.stop();
    }
  },
});
