/**
 * The `bss` CLI against the whole system in this process: representative verbs through the
 * registry's typed clients, the plain and JSON renderings, and the error contract.
 */
import assert from "node:assert/strict";
import { runCli } from "../cockpit/bss/cli.ts";
import { COMMANDS } from "../cockpit/bss/commands.ts";
import { RENDERED_TOOLS } from "../cockpit/render/dispatch.ts";
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

      // A list that fills its page says so on stderr, and pages on with --offset.
      await bss("customer", "create", "Grace Hopper", "--email", "grace@example.com");
      const first = await bss("customer", "list", "--limit", "1", "--json");
      assert.equal(JSON.parse(first.stdout).length, 1);
      assert.match(first.stderr, /^\(1 shown; there may be more: a larger --limit or --offset 1 /);
      const rest = await bss("customer", "list", "--limit", "5", "--offset", "1", "--json");
      assert.deepEqual(JSON.parse(rest.stdout).map((c: { name: string }) => c.name), [
        "Grace Hopper",
      ]);
      assert.equal(rest.stderr, "");

      // The same refusal the service gives a direct call, in the CLI's one-line form.
      const direct = await sys.client.com.call(createProductOrder, {
        body: { customerId: id, offeringId: "PLAN_M" },
      }).catch((e) => e);
      assert.ok(direct instanceof PolicyViolation);
      const refused = await bss("order", "create", "--customer_id", id, "--offering_id", "PLAN_M");
      assert.equal(refused.code, 4, "a policy refusal exits 4");
      assert.equal(refused.stdout, "");
      assert.equal(
        refused.stderr,
        `POLICY_VIOLATION ${direct.rule}  ${direct.message}\n` +
          `try: bss customer attest-kyc ${id} --provider prebaked --attestation_token <TOKEN>\n`,
      );
      assert.match(direct.rule, /^order\.create\./);

      const missing = await bss("customer", "get", "CUST-doesnotexist");
      assert.equal(missing.code, 3, "not found exits 3");
      assert.match(missing.stderr, /^NOT_FOUND /);

      const gated = await bss("customer", "close", id);
      assert.equal(gated.code, 4);
      assert.match(
        gated.stderr,
        /^customer close is destructive: refused without --allow-destructive/,
      );
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
      assert.equal(usage.rating.outcome, "rated", "usage simulate reports rating's outcome");
      assert.equal(usage.rating.allowanceType, "data");
      const history = await bss("usage", "history", "--subscription_id", line.id, "--json");
      assert.equal(history.length, 1);
      assert.match(await bss("customer", "find-by-msisdn", line.msisdn), /Grace Hopper/);

      // Every tool with a card reaches its renderer from the CLI (--format card, as on a TTY).
      const { id: caseId } = await bss(
        "case",
        "open",
        "--customer_id",
        customerId,
        "--subject",
        "No data",
        "--json",
      );
      await bss(
        "ticket",
        "open",
        "--ticket_type",
        "technical",
        "--subject",
        "Check HLR",
        "--case_id",
        caseId,
        "--customer_id",
        customerId,
        "--json",
      );
      const { id: portId } = await bss(
        "port-request",
        "create",
        "--direction",
        "port_in",
        "--donor_carrier",
        "Singtel",
        "--donor_msisdn",
        "91234567",
        "--requested_port_date",
        "2030-01-01",
        "--json",
      );
      const cardCalls: Record<string, [string[], RegExp]> = {
        "customer.get": [[customerId], /^┌─ CUST-\S+ {2}Grace Hopper/],
        "customer.find_by_msisdn": [[line.msisdn], /── Subscriptions \(1\)/],
        "customer.list": [[], /^── Customers/],
        "subscription.get": [
          [line.id],
          /^┌─ Subscription SUB-[\s\S]*eSIM Activation[\s\S]*LPA:1\$/,
        ],
        "subscription.list_for_customer": [[customerId], /Subscription SUB-/],
        "subscription.get_balance": [[line.id], /Data +\[/],
        "subscription.get_esim_activation": [[line.id], /eSIM Activation/],
        "inventory.esim.get_activation": [[line.iccid], /LPA:1\$/],
        "order.get": [
          [placed.id],
          /Service Order SO-[\s\S]*→ Subscription SUB-\S+ activated {2}MSISDN/,
        ],
        "order.list": [[customerId], /^── Orders/],
        "catalog.list_offerings": [[], /Product Offerings/],
        "catalog.list_active_offerings": [[], /PLAN_M/],
        "catalog.get_offering": [["PLAN_M"], /PLAN_M/],
        "catalog.list_vas": [[], /VAS Offerings/],
        "inventory.msisdn.list_available": [[], /^── MSISDNs/],
        "inventory.msisdn.count": [[], /available/],
        "port_request.list": [[], /^── Port Requests/],
        "port_request.get": [[portId], new RegExp(portId)],
        "case.get": [[caseId], new RegExp(`${caseId} {2}\\[open\\][\\s\\S]*technical`)],
        "case.list": [["--customer_id", customerId], /^── Cases[\s\S]*No data/],
        "case.show_transcript_for": [[caseId], /Chat transcript[\s\S]*no chat transcript/],
        "ticket.get": [
          [(await bss("ticket", "list", "--case_id", caseId, "--json"))[0].id],
          /Check HLR/,
        ],
        "ticket.list": [["--case_id", caseId], /^── Tickets[\s\S]*technical/],
        "payment.list_methods": [[customerId], /visa •••• 4242/],
        "payment.list_attempts": [[customerId], /activation +\S+ SGD +approved/],
        "events.list": [["--aggregate_id", placed.id], /order\.completed/],
        "provisioning.list_tasks": [[], /── Provisioning tasks[\s\S]*HLR_PROVISION/],
        "trace.services": [[], /Services \(spans over the window\)/],
      };
      assert.deepEqual(Object.keys(cardCalls).sort(), [...RENDERED_TOOLS].sort());
      for (const [tool, [args, expected]] of Object.entries(cardCalls)) {
        const words = COMMANDS.find((c) => !c.alias && c.tool.name === tool)!.words;
        const r = await runCli([...words, ...args, "--format", "card"], { config: sys.config });
        assert.equal(r.code, 0, `${tool}: ${r.stderr}`);
        assert.match(r.stdout, expected, tool);
        assert.ok(!r.stdout.includes("\x1b["), `${tool}: no colour off a terminal`);
      }
      const tty = await runCli(["customer", "show", customerId], {
        config: sys.config,
        terminal: { columns: 130, color: false },
      });
      assert.match(tty.stdout, /^┌─ CUST-/, "a terminal gets the card by default");
      assert.equal(tty.stdout.split("\n")[0].length, 120, "at 120 columns on a wide terminal");
      // A create prints the card of what it created: the customer 360, the order with its line.
      const asCard = (...argv: string[]) =>
        runCli([...argv, "--format", "card"], { config: sys.config });
      const newCustomer = await asCard(
        "customer",
        "create",
        "Ada Card",
        "--email",
        "card@example.com",
      );
      assert.match(newCustomer.stdout, /^┌─ CUST-\S+ {2}Ada Card[\s\S]*Subscriptions \(0\)/);
      const waited = await asCard("order", "create", customerId, "PLAN_S", "--wait");
      assert.equal(waited.code, 0, waited.stderr);
      assert.match(waited.stdout, /→ Subscription SUB-\S+ activated {2}MSISDN/);
      const opened = await asCard("case", "open", customerId, "Card case");
      assert.match(opened.stdout, /CASE-\S+ {2}\[open\][\s\S]*Card case/);
      // So does a change: the case moved, the ticket assigned.
      const moved = await asCard("case", "transition", caseId, "in_progress");
      assert.match(moved.stdout, /^┌─ CASE-\S+ {2}\[in_progress\]/);
      const ticketId = (await bss("ticket", "list", "--case_id", caseId, "--json"))[0].id;
      const assigned = await asCard("ticket", "assign", ticketId, "AGT-002");
      assert.match(assigned.stdout, /^┌─ TKT-[\s\S]*Assigned: {2}AGT-002/);
      const topUp = await asCard("subscription", "purchase-vas", line.id, "VAS_DATA_1GB");
      assert.match(topUp.stdout, /^┌─ Subscription SUB-[\s\S]*Data +\[/);
      assert.doesNotMatch(topUp.stdout, /eSIM Activation/, "the QR is for showing the line");

      const terminated = await bss(
        "subscription",
        "terminate",
        line.id,
        "--allow-destructive",
        "--json",
      );
      assert.equal(terminated.state, "terminated");

      // No read answers junk ids with a crash: bad id (2), not found (3), empty results (0),
      // or a refusal (4: the self-serve reads act only for a bound customer).
      for (const command of COMMANDS.filter((c) => !c.alias && c.tool.class === "read")) {
        const args = argumentsOf(command.tool.args).filter(([, s]) => !s.optional)
          .map(() => "NOPE-0000");
        const r = await runCli([...command.words, ...args], { config: sys.config });
        assert.ok([0, 2, 3, 4].includes(r.code), `${command.tool.name}: ${r.code} ${r.stderr}`);
      }
    } finally {
      await sys.stop();
    }
  },
});
