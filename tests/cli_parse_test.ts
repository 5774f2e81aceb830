/**
 * The `bss` command line without services: every registry tool is a command taking the
 * tool's own argument names, values are coerced per schema, misuse exits 2 with the zod
 * message and the usage line, destructive verbs are gated, --help works at every level.
 */
import assert from "node:assert/strict";
import { COMMANDS, resolve, wordsOf } from "../cockpit/bss/commands.ts";
import { NO_MODEL } from "../cockpit/agent/model.ts";
import { runCli } from "../cockpit/bss/cli.ts";
import { NOT_RUNNING } from "../cockpit/running.ts";
import { loadConfig } from "../kernel/config.ts";
import { renderPlain } from "../cockpit/bss/render.ts";
import { split, toolArgs } from "../cockpit/bss/parse.ts";
import { SCENARIO_VERBS, toolNamed, TOOLS } from "../tools/registry.ts";
import { argumentsOf } from "../tools/schema.ts";

// Nothing here may reach a service: loading the configuration fails the test.
const offline = { config: () => assert.fail("no service call expected") };

Deno.test("every registry tool is reachable from the CLI with its argument names", async () => {
  for (const tool of [...TOOLS, ...SCENARIO_VERBS]) {
    const words = wordsOf(tool.name);
    const found = resolve(words);
    assert.equal(found?.command.tool, tool, words.join(" "));
    assert.equal(found?.used, words.length);
    const { stdout, code } = await runCli([...words, "--help"], offline);
    assert.equal(code, 0);
    const widest = Math.max(...stdout.split("\n").map((l) => l.length));
    assert.ok(widest <= 100, `${tool.name}: its help fits 100 columns`);
    for (const [name, shape] of argumentsOf(tool.args)) {
      assert.ok(stdout.includes(`--${name} <`), `${tool.name}: --${name} in help`);
      // The option is accepted under the tool's own name (not "unknown option").
      const value = shape.kind === "boolean" ? "true" : "x";
      assert.doesNotThrow(() => toolArgs(tool, [{ name, value }], []), `${tool.name} ${name}`);
    }
  }
});

Deno.test("the spec's short verbs are aliases of registry tools", () => {
  assert.equal(resolve(["catalog", "list"])?.command.tool.name, "catalog.list_offerings");
  assert.equal(resolve(["customer", "show", "CUST-1"])?.command.tool.name, "customer.get");
  assert.equal(resolve(["prov", "tasks"])?.command.tool.name, "provisioning.list_tasks");
  assert.equal(
    resolve(["inventory", "msisdn", "list-available"])?.command.tool.name,
    "inventory.msisdn.list_available",
  );
  // An alias spelled as its tool's own command would list the command twice in help.
  for (const { words, tool } of COMMANDS.filter((c) => c.alias)) {
    assert.notDeepEqual(words, wordsOf(tool.name), `alias ${words.join(" ")}`);
  }
});

Deno.test("flags and positionals become typed tool arguments", () => {
  const parse = (name: string, argv: string[]) => {
    const { words, named } = split(argv);
    return toolArgs(toolNamed(name)!, named, words);
  };
  assert.deepEqual(parse("customer.get", ["CUST-1"]), { customer_id: "CUST-1" });
  assert.deepEqual(parse("customer.get", ["--customer-id", "CUST-1"]), { customer_id: "CUST-1" });
  assert.deepEqual(parse("order.wait_until", ["ORD-1", "--timeout_s=5"]), {
    order_id: "ORD-1",
    timeout_s: 5,
  });
  assert.deepEqual(parse("promo.assign", ["--promotion_id", "P1", "--customer_ids", "C1,C2"]), {
    promotion_id: "P1",
    customer_ids: ["C1", "C2"],
  });
  assert.deepEqual(
    parse("provisioning.set_fault_injection", [
      "HLR_PROVISION",
      "--enabled",
      "fail_always",
    ]),
    { task_type: "HLR_PROVISION", fault_type: "fail_always", enabled: true },
  );
  assert.deepEqual(
    parse("usage.simulate", ["--msisdn", "90000001", "--roaming_indicator", "false"]),
    { msisdn: "90000001", roaming_indicator: false },
  );
});

Deno.test("bad arguments: the zod message and the usage line on stderr, exit 2", async () => {
  const missing = await runCli(["customer", "get"], offline);
  assert.equal(missing.code, 2);
  assert.equal(missing.stdout, "");
  assert.match(
    missing.stderr,
    /^bss: missing argument CUSTOMER_ID \(positional, or --customer_id VALUE\)/,
  );
  assert.match(missing.stderr, /usage: bss customer get CUSTOMER_ID/);
  assert.doesNotMatch(missing.stderr, /\s+at /, "no stack trace");

  const badEnum = await runCli(["case", "list", "--state", "nope"], offline);
  assert.equal(badEnum.code, 2);
  assert.match(badEnum.stderr, /--state: Invalid option/);

  // A required argument is named as the usage line shows it, however it was given.
  const negative = await runCli(["usage", "simulate", "90000001", "data", "-5", "mb"], offline);
  assert.equal(negative.code, 2);
  assert.match(negative.stderr, /^bss: QUANTITY: Too small/);

  const unknown = await runCli(["customer", "get", "CUST-1", "--colour", "red"], offline);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option --colour/);
  const near = await runCli(["customer", "get", "--custmer_id", "CUST-1"], offline);
  assert.equal(near.code, 2);
  assert.match(near.stderr, /unknown option --custmer_id — did you mean --customer_id\?/);

  const extra = await runCli(["customer", "get", "CUST-1", "CUST-2"], offline);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /unexpected argument CUST-2\n/);
  // An id where only an option takes one: the option is named.
  const filter = await runCli(["case", "list", "CUST-0001"], offline);
  assert.equal(filter.code, 2);
  assert.match(
    filter.stderr,
    /unexpected argument CUST-0001 — did you mean --customer_id CUST-0001\?/,
  );

  const nonsense = await runCli(["frobnicate"], offline);
  assert.equal(nonsense.code, 2);
  assert.match(nonsense.stderr, /unknown command: frobnicate/);
  assert.match(nonsense.stderr, /Commands: bss --help/);
});

Deno.test("bss ask says what it lacks before opening anything: a model, then a running system", async () => {
  // A database URL nothing listens on: opening it would fail the command, not print the hint.
  const env = {
    BSS_API_TOKEN: "cli-parse-test-token-0123456789abcdef",
    BSS_DB_URL: "postgres://nobody@127.0.0.1:1/none",
  };
  const noModel = await runCli(["ask", "how many lines?"], { config: loadConfig(env) });
  assert.equal(noModel.code, 1);
  assert.equal(noModel.stderr, `${NO_MODEL}\n`);
  const withModel = loadConfig({ ...env, BSS_LLM_BASE_URL: "http://127.0.0.1:1/v1" });
  const away = await runCli(["ask", "how many lines?"], { config: withModel, notRunning: true });
  assert.equal(away.code, 1);
  assert.equal(away.stderr, `${NOT_RUNNING}\n`);
});

Deno.test("a destructive verb without --allow-destructive and no terminal: refused, exit 4", async () => {
  const r = await runCli(["subscription", "terminate", "SUB-1"], offline);
  assert.equal(r.code, 4);
  assert.equal(
    r.stderr,
    "subscription terminate is destructive: refused without --allow-destructive " +
      "(no terminal to confirm on).\n",
  );
  // Resets and clock moves are destructive too (they were admin-class, so never gated).
  for (
    const words of [["admin", "reset-operational-data"], ["clock", "advance", "30d"], [
      "clock",
      "reset",
    ]]
  ) {
    const gated = await runCli(words, offline);
    assert.equal(gated.code, 4, words.join(" "));
    assert.match(gated.stderr, /is destructive: refused without --allow-destructive/);
  }
});

Deno.test("on a terminal a destructive verb runs only when its verb is typed", async () => {
  const asked: string[] = [];
  const answering = (answer: string | null) => ({
    ...offline,
    notRunning: true,
    confirm: (question: string) => (asked.push(question), answer),
  });
  const words = ["admin", "reset-operational-data"];
  for (const answer of ["yes", "", null, "reset"]) {
    const r = await runCli(words, answering(answer));
    assert.equal(r.code, 4, `answer ${answer}`);
    assert.equal(r.stderr, "admin reset-operational-data not confirmed: nothing was done.\n");
  }
  assert.equal(
    asked[0],
    'admin reset-operational-data is destructive. Type "reset-operational-data" to run it, ' +
      "anything else cancels:",
  );
  // Typed: the gate opens (and here the command finds no running instance).
  const confirmed = await runCli(words, answering(" reset-operational-data "));
  assert.equal(confirmed.code, 1);
  assert.match(confirmed.stderr, /bss is not running here/);
  // The flag needs no terminal and asks nothing.
  const before = asked.length;
  const flagged = await runCli([...words, "--allow-destructive"], answering(null));
  assert.equal(flagged.code, 1);
  assert.equal(asked.length, before);
});

Deno.test("--help at every level, with examples", async () => {
  const root = await runCli(["--help"], offline);
  assert.equal(root.code, 0);
  assert.match(root.stdout, /Examples:\n {2}bss catalog list/);
  assert.match(root.stdout, /Groups:\n {2}customer, interaction, case, ticket/);
  assert.match(root.stdout, /^ {2}ask "PROMPT"/m, "bss ask is listed");
  const widest = (text: string) => Math.max(...text.split("\n").map((l) => l.length));
  assert.ok(widest(root.stdout) <= 100, "the root help fits 100 columns");
  for (const group of new Set(COMMANDS.map((c) => c.words[0]))) {
    const help = await runCli([group, "--help"], offline);
    assert.ok(widest(help.stdout) <= 100, `bss ${group} --help fits 100 columns`);
  }

  const group = await runCli(["inventory", "--help"], offline);
  assert.equal(group.code, 0);
  assert.match(group.stdout, /inventory msisdn list-available +Numbers in the pool/);
  // The portal's self-serve wrappers act for a signed-in customer: marked, not for operators.
  const payment = await runCli(["payment", "--help"], offline);
  assert.match(payment.stdout, /payment method-list-mine +\[portal only\] Your cards on file/);
  assert.match(payment.stdout, /payment add-card +Tokenise/);
  // A command the CLI answers itself is listed with its group's.
  const admin = await runCli(["admin", "--help"], offline);
  assert.match(admin.stdout, /admin tokens +The configured identities/);

  const verb = await runCli(["order", "cancel", "--help"], offline);
  assert.equal(verb.code, 0);
  assert.match(verb.stdout, /Usage: bss order cancel ORDER_ID --allow-destructive/);
  assert.match(
    verb.stdout,
    /Example:\n {2}bss order cancel --order_id <ORDER_ID> --allow-destructive/,
  );
});

Deno.test("bss tools docs prints the generated docs/TOOLS.md", async () => {
  const r = await runCli(["tools", "docs"], offline);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, await Deno.readTextFile(new URL("../docs/TOOLS.md", import.meta.url)));
});

Deno.test("bss trace is routed to the trace command", async () => {
  const r = await runCli(["trace", "--help"], offline);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: bss trace for-order/);
});

Deno.test("plain output: one casing (snake_case) for every key, TMF bookkeeping left out", () => {
  const lines = renderPlain({
    "@type": "Subscription",
    href: "/x",
    atType: "Subscription",
    id: "SUB-1",
    customerId: "CUST-1",
    opened_at: "2026-01-01",
  });
  assert.deepEqual(lines, ["id           SUB-1", "customer_id  CUST-1", "opened_at    2026-01-01"]);
  assert.match(
    renderPlain([{ customerId: "CUST-1", statusReason: null }])[0],
    /^customer_id +status_reason$/,
  );
});

Deno.test("plain output: nested values spelled out by path, not cut-off JSON", () => {
  const lines = renderPlain({
    id: "PM-1",
    cardSummary: { brand: "visa", last4: "4242", "@type": "Card" },
    contactMedium: [{ mediumType: "email", value: "mei@example.com" }],
    tags: ["a", "b"],
    empty: [],
  });
  assert.deepEqual(lines, [
    "id                             PM-1",
    "card_summary.brand             visa",
    "card_summary.last4             4242",
    "contact_medium[0].medium_type  email",
    "contact_medium[0].value        mei@example.com",
    "tags                           a, b",
    "empty                          —",
  ]);
});
