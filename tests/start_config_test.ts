/**
 * Start-up refusals: unusable tokens (sentinel, short, duplicated) stop `main.ts` with exit 2
 * and a message naming the variable, never the secret; unknown roles too. Also the same
 * rules through `loadConfig`, and role selection.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../kernel/config.ts";
import { TokenConfigError } from "../kernel/tokens.ts";
import { ROLES, selectRoles, UnknownRoleError } from "../http/roles.ts";
import { spawnMain } from "./support/http.ts";

const dataDir = await Deno.makeTempDir({ prefix: "bss_start_config_" });
const GOOD = "a-perfectly-good-token-0123456789abcdef";
const SHORT = "short-secret-xyz";

async function refused(env: Record<string, string>, args: string[] = []) {
  const main = spawnMain({ BSS_DATA_DIR: dataDir, ...env }, args);
  const code = await main.exited;
  return { code, output: main.output() };
}

Deno.test("main.ts refuses the sentinel token", async () => {
  const { code, output } = await refused({ BSS_API_TOKEN: "changeme" });
  assert.equal(code, 2);
  assert.match(output, /BSS_API_TOKEN/);
});

Deno.test("main.ts refuses a short token without printing it", async () => {
  const { code, output } = await refused({
    BSS_API_TOKEN: GOOD,
    BSS_PORTAL_SELF_SERVE_API_TOKEN: SHORT,
  });
  assert.equal(code, 2);
  assert.match(output, /BSS_PORTAL_SELF_SERVE_API_TOKEN/);
  assert.ok(!output.includes(SHORT));
});

Deno.test("main.ts refuses two tokens with one value without printing it", async () => {
  const { code, output } = await refused({
    BSS_API_TOKEN: GOOD,
    BSS_OPERATOR_COCKPIT_API_TOKEN: GOOD,
  });
  assert.equal(code, 2);
  assert.match(output, /BSS_API_TOKEN/);
  assert.match(output, /BSS_OPERATOR_COCKPIT_API_TOKEN/);
  assert.ok(!output.includes(GOOD));
});

Deno.test("main.ts refuses an unknown role", async () => {
  const { code, output } = await refused({ BSS_API_TOKEN: GOOD }, ["--role", "crm,billing"]);
  assert.equal(code, 2);
  assert.match(output, /unknown role "billing"/);
});

Deno.test("main.ts --help says what it runs and lists every role, starting nothing", async () => {
  const { code, output } = await refused({ BSS_API_TOKEN: GOOD }, ["--help"]);
  assert.equal(code, 0);
  assert.match(output, /^deno task start — run the bss system/);
  for (const role of Object.keys(ROLES)) assert.ok(output.includes(role), role);
  assert.doesNotMatch(output, /ready/);
});

Deno.test("main.ts refuses an unknown option", async () => {
  const { code, output } = await refused({ BSS_API_TOKEN: GOOD }, ["--roles", "crm"]);
  assert.equal(code, 2);
  assert.match(output, /usage/);
  assert.match(output, /deno task start --help for more/);
});

Deno.test("loadConfig applies the same token rules", () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{}, /BSS_API_TOKEN must be set/],
    [{ BSS_API_TOKEN: "changeme" }, /BSS_API_TOKEN/],
    [{ BSS_API_TOKEN: SHORT }, /BSS_API_TOKEN is shorter than 32/],
    [{ BSS_API_TOKEN: GOOD, BSS_PARTNER_API_TOKEN: GOOD }, /BSS_PARTNER_API_TOKEN/],
  ];
  for (const [env, message] of cases) {
    const error = (() => {
      try {
        loadConfig(env);
      } catch (e) {
        return e as Error;
      }
    })();
    assert.ok(error instanceof TokenConfigError, JSON.stringify(env));
    assert.match(error.message, message);
    for (const value of Object.values(env)) {
      if (value !== "changeme") assert.ok(!error.message.includes(value));
    }
  }
});

Deno.test("loadConfig maps named tokens to identities and skips the loyalty secret", () => {
  const config = loadConfig({
    BSS_API_TOKEN: GOOD,
    BSS_PARTNER_ACME_API_TOKEN: `${GOOD}-acme`,
    BSS_LOYALTY_API_TOKEN: SHORT,
  });
  assert.deepEqual(config.tokens.map((t) => t.identity).sort(), ["default", "partner_acme"]);
});

Deno.test("admin reset: open by default only on the embedded sandbox outside production", () => {
  const allowed = (env: Record<string, string>) =>
    loadConfig({ BSS_API_TOKEN: "t".repeat(40), ...env }).BSS_ALLOW_ADMIN_RESET;
  assert.equal(allowed({}), true);
  assert.equal(allowed({ BSS_ENV: "production" }), false);
  assert.equal(allowed({ BSS_DB_URL: "postgres://127.0.0.1/bss" }), false);
  assert.equal(
    allowed({ BSS_DB_URL: "postgres://127.0.0.1/bss", BSS_ALLOW_ADMIN_RESET: "on" }),
    true,
  );
  assert.equal(allowed({ BSS_ALLOW_ADMIN_RESET: "false" }), false);
});

Deno.test("BSS_OTEL_SQL_SPANS: summary by default, statement on demand, anything else refused", () => {
  const sqlSpans = (env: Record<string, string>) =>
    loadConfig({ BSS_API_TOKEN: GOOD, ...env }).BSS_OTEL_SQL_SPANS;
  assert.equal(sqlSpans({}), "summary");
  assert.equal(sqlSpans({ BSS_OTEL_SQL_SPANS: "statement" }), "statement");
  assert.throws(() => sqlSpans({ BSS_OTEL_SQL_SPANS: "all" }), /BSS_OTEL_SQL_SPANS/);
});

Deno.test("payments: mock by default; Stripe needs a secret key, and no test key in production", () => {
  const payment = (env: Record<string, string>) => {
    const c = loadConfig({ BSS_API_TOKEN: GOOD, ...env });
    return [c.BSS_PAYMENT_PROVIDER, c.BSS_PAYMENT_STRIPE_API_KEY];
  };
  assert.deepEqual(payment({}), ["mock", undefined]);
  const key = "sk_test_51AbCdEf0123456789";
  assert.deepEqual(payment({ BSS_PAYMENT_PROVIDER: "stripe", BSS_PAYMENT_STRIPE_API_KEY: key }), [
    "stripe",
    key,
  ]);
  assert.throws(
    () => payment({ BSS_PAYMENT_PROVIDER: "stripe" }),
    /BSS_PAYMENT_STRIPE_API_KEY: required with BSS_PAYMENT_PROVIDER=stripe/,
  );
  const production = { BSS_PAYMENT_PROVIDER: "stripe", BSS_ENV: "production" };
  assert.throws(
    () => payment({ ...production, BSS_PAYMENT_STRIPE_API_KEY: key }),
    /a test key in production/,
  );
  assert.doesNotThrow(() =>
    payment({ ...production, BSS_PAYMENT_STRIPE_API_KEY: "sk_live_51AbCdEf0123456789" })
  );
  // A publishable key (or anything else) where the secret key goes is named, never echoed.
  const wrong = () =>
    payment({ BSS_PAYMENT_PROVIDER: "stripe", BSS_PAYMENT_STRIPE_API_KEY: "pk_test_visible" });
  assert.throws(
    wrong,
    (e: Error) =>
      /BSS_PAYMENT_STRIPE_API_KEY: must be a Stripe secret/.test(e.message) &&
      !e.message.includes("pk_test_visible"),
  );
  assert.throws(() => payment({ BSS_PAYMENT_PROVIDER: "paypal" }), /BSS_PAYMENT_PROVIDER/);
});

Deno.test("selectRoles: all by default, a list on demand, unknown names refused", () => {
  assert.deepEqual(selectRoles(), Object.keys(ROLES));
  assert.deepEqual(selectRoles(" crm, com ,crm"), ["crm", "com"]);
  assert.throws(() => selectRoles("crm,nope"), UnknownRoleError);
  assert.throws(() => selectRoles(""), UnknownRoleError);
});

Deno.test("teardown", async () => {
  await Deno.remove(dataDir, { recursive: true });
});
