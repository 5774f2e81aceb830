/**
 * The exit-code table (README "Exit codes") holds for each class of outcome: 0 done, 1 failed
 * (a declined order waited for, the services not running), 2 usage (with "did you mean"),
 * 3 not found, 4 refused by a rule (with the command that fixes it). Also: a fault switched on
 * without a probability is certain.
 */
import assert from "node:assert/strict";
import { runCli } from "../cockpit/bss/cli.ts";
import { fixFor } from "../cockpit/bss/hints.ts";
import { EXIT } from "../cockpit/exit.ts";
import { freePortOffset } from "../http/free_ports.ts";
import { attestKyc } from "./support/crm.ts";
import { testConfig } from "./support/http.ts";
import { startSystem } from "./support/system.ts";

Deno.test("the table's numbers", () => {
  assert.deepEqual(EXIT, { ok: 0, failure: 1, usage: 2, notFound: 3, refused: 4 });
});

Deno.test("usage: a mistyped command suggests the nearest ones, exit 2", async () => {
  const offline = { config: () => testConfig() };
  const typo = await runCli(["subscripton", "show", "SUB-0001"], offline);
  assert.equal(typo.code, EXIT.usage);
  assert.match(
    typo.stderr,
    /^bss: unknown command: subscripton show SUB-0001\n\nDid you mean:\n {2}bss subscription show\n/,
  );
  const verb = await runCli(["catalog", "get"], offline);
  assert.equal(verb.code, EXIT.usage);
  assert.match(verb.stderr, /Did you mean:[\s\S]* {2}bss catalog get-offering\n/);
  assert.doesNotMatch(verb.stderr, /Groups:/, "not the whole root help");
  // The words of a command in another order, or in another group, find it first.
  const swapped = await runCli(["vas", "list"], offline);
  assert.match(swapped.stderr, /Did you mean:\n {2}bss catalog list-vas\n/);
  const across = await runCli(["offering", "list"], offline);
  assert.match(across.stderr, /Did you mean:\n {2}bss catalog list-active-offerings\n/);
  const format = await runCli(["catalog", "list", "--format", "fancy"], offline);
  assert.equal(format.code, EXIT.usage);
  assert.match(format.stderr, /--format takes card, plain, json/);
});

Deno.test("refused: the fixing command names the ids of the refusal's context", () => {
  // `usage simulate` names a number; the refusal's context names the blocked line.
  const context = { subscription_id: "SUB-0002", state: "blocked" };
  assert.equal(
    fixFor("usage.record.subscription_must_be_active", { ...context, msisdn: "90000001" }),
    "try: bss subscription purchase-vas SUB-0002 VAS_DATA_1GB   " +
      "(a data top-up unblocks an exhausted line)",
  );
  assert.equal(fixFor("usage.record.positive_quantity", context), undefined);
  // A top-up with no card gets one added; one whose default card was declined gets it changed.
  const vas = "subscription.vas_purchase.requires_active_cof";
  assert.match(fixFor(vas, { customer_id: "CUST-0001" })!, /add-card CUST-0001 /);
  assert.match(
    fixFor(vas, { customer_id: "CUST-0001", payment_status: "declined" })!,
    /^try: bss payment list-methods CUST-0001 .*set-default-method/,
  );
  // A card number where the gateway is Stripe: the card is entered at Stripe, its id given.
  const stripe = {
    customer_id: "CUST-0001",
    tokenization_provider: "mock",
    active_adapter: "stripe",
  };
  assert.match(
    fixFor("payment.method.add.no_tokenizer", stripe)!,
    /^try: bss payment add-stripe-card CUST-0001 <PM_ID> /,
  );
});

Deno.test("failure: services not running say how to start them, exit 1", async () => {
  const config = testConfig({ BSS_PORT_OFFSET: String(freePortOffset()) });
  const r = await runCli(["catalog", "list"], { config });
  assert.equal(r.code, EXIT.failure);
  assert.match(r.stderr, /^UPSTREAM_UNAVAILABLE GET http:\/\/127\.0\.0\.1:\d+\/\S+: /);
  assert.match(r.stderr, /bss is not running here — start it with `deno task start`/);
});

Deno.test({
  name: "not found 3, refused 4 with the fixing command, a failed order waited for 1",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("cli_exit_codes");
    const bss = (...argv: string[]) => runCli(argv, { config: sys.config });
    try {
      assert.equal((await bss("order", "show", "ORD-9999")).code, EXIT.notFound);
      const created = await bss(
        "customer",
        "create",
        "--name",
        "Dee Clined",
        "--email",
        "dee@example.test",
        "--json",
      );
      assert.equal(created.code, EXIT.ok);
      const customerId = JSON.parse(created.stdout).id;
      await attestKyc(sys.client.crm, customerId);
      const noCard = await bss("order", "create", customerId, "PLAN_S");
      assert.equal(noCard.code, EXIT.refused);
      assert.match(noCard.stderr, /^POLICY_VIOLATION order\.create\.requires_cof {2}/);
      assert.match(
        noCard.stderr,
        new RegExp(`\ntry: bss payment add-card ${customerId} --card_number 4242424242424242\n$`),
      );

      assert.equal((await bss("payment", "add-card", customerId, "4000000000000002")).code, 0);
      const placed = JSON.parse(
        (await bss("order", "create", customerId, "PLAN_S", "--json")).stdout,
      );
      const progress: string[] = [];
      const waited = await runCli(["order", "wait-until", placed.id, "--timeout_s", "60"], {
        config: sys.config,
        progress: (line) => progress.push(line),
      });
      assert.equal(waited.code, EXIT.failure, waited.stderr);
      assert.match(progress[0], new RegExp(`^${placed.id} {2}(acknowledged|in_progress|failed) `));
      assert.match(waited.stdout, /^state +failed$/m);
      assert.match(
        waited.stderr,
        new RegExp(`^${placed.id} failed: subscription\\.create\\.requires_payment_success`, "m"),
      );
      // `order create --wait` is a wait as well: the declined order exits 1, saying why.
      const declined = await bss("order", "create", customerId, "PLAN_S", "--wait");
      assert.equal(declined.code, EXIT.failure, declined.stderr);
      assert.match(declined.stdout, /^state +failed$/m);
      assert.match(declined.stderr, /^ORD-\S+ failed: subscription\.create\.requires_payment/m);

      // A renewal the default card declines blocks the line: exit 1, saying so and the fix.
      const good = JSON.parse(
        (await bss("payment", "add-card", customerId, "4242424242424242", "--json")).stdout,
      );
      const cards = JSON.parse((await bss("payment", "list-methods", customerId, "--json")).stdout);
      const bad = cards.find((m: { id: string }) => m.id !== good.id);
      assert.equal((await bss("payment", "set-default-method", good.id)).code, EXIT.ok);
      const line = JSON.parse(
        (await bss("order", "create", customerId, "PLAN_S", "--wait", "--json")).stdout,
      ).productOrderItem[0].targetSubscriptionId;
      assert.equal((await bss("payment", "set-default-method", bad.id)).code, EXIT.ok);
      const renewal = await bss("subscription", "renew-now", line);
      assert.equal(renewal.code, EXIT.failure, renewal.stderr);
      assert.match(renewal.stdout, /^state_reason +renewal_payment_declined$/m);
      assert.match(
        renewal.stderr,
        new RegExp(`^${line} renewal declined: the line is blocked.*\ntry: bss payment list-m`),
      );
      assert.equal((await bss("payment", "set-default-method", good.id)).code, EXIT.ok);
      assert.equal((await bss("subscription", "renew-now", line)).code, EXIT.ok);

      // A fault switched on without a probability happens every time (the seeded rule says 0.05).
      const stuck = await bss(
        "provisioning",
        "set-fault-injection",
        "HLR_PROVISION",
        "stuck",
        "true",
        "--allow-destructive",
        "--json",
      );
      assert.equal(stuck.code, EXIT.ok, stuck.stderr);
      assert.deepEqual([JSON.parse(stuck.stdout).enabled, JSON.parse(stuck.stdout).probability], [
        true,
        1,
      ]);
      const off = await bss(
        "provisioning",
        "set-fault-injection",
        "HLR_PROVISION",
        "stuck",
        "false",
        "--allow-destructive",
        "--json",
      );
      assert.equal(JSON.parse(off.stdout).enabled, false);
    } finally {
      await sys.stop();
    }
  },
});
