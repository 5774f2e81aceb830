/** Assert-step expectations (docs/cockpit.md §9.3): dot paths, list matching, every operator. */
import assert from "node:assert/strict";
import { checkExpectations, resolvePath } from "../cockpit/scenario/expect.ts";

const sub = {
  state: "active",
  price: "9.90",
  nextRenewalAt: null,
  msisdn: "90000001",
  balances: [{ allowanceType: "data", used: 120 }, { allowanceType: "voice", used: 0 }],
  tags: ["a", "b"],
};

Deno.test("dot paths index lists by number or by a matching identifying key", () => {
  assert.equal(resolvePath(sub, "balances.data.used"), 120);
  assert.equal(resolvePath(sub, "balances.1.allowanceType"), "voice");
  assert.equal(resolvePath(sub, "balances.sms.used"), undefined);
  assert.equal(resolvePath(sub, "nope.x"), undefined);
  assert.equal(resolvePath(sub, "$"), sub);
});

Deno.test("`$` checks a list result as a whole", () => {
  const list = [{ id: "ORD-0001", state: "failed" }];
  assert.deepEqual(checkExpectations([], { $: [] }), []);
  assert.deepEqual(checkExpectations(list, { $: { any_match: { state: "failed" } } }), []);
  assert.deepEqual(checkExpectations(list, { "ORD-0001.state": "failed" }), []);
});

Deno.test("every operator holds where it should", () => {
  assert.deepEqual(
    checkExpectations(sub, {
      state: "active",
      price: { gt: 9, lte: "9.90", ne: "1.00" },
      "balances.data.used": { gte: 120, lt: 121, eq: 120 },
      "balances.voice": { contains: "used", not_null: true },
      nextRenewalAt: { not_null: false },
      msisdn: { starts_with: "9000", not_in: ["1", "2"] },
      tags: { contains: "a" },
      balances: { any_match: { allowanceType: "voice", used: { lt: 1 } } },
    }),
    [],
  );
  assert.deepEqual(checkExpectations(sub, { tags: ["a", "b"] }), []);
  assert.deepEqual(checkExpectations(sub, { state: { in: ["active", "blocked"] } }), []);
});

Deno.test("failures name the path, the value and the operator", () => {
  assert.deepEqual(checkExpectations(sub, { state: "blocked" }), [
    'state: "active" fails eq "blocked"',
  ]);
  assert.deepEqual(checkExpectations(sub, { "balances.sms.used": { gt: 0 } }), [
    "balances.sms.used: does not resolve",
  ]);
  assert.deepEqual(checkExpectations({ n: null }, { n: { gt: 0 } }), ["n: null fails gt 0"]);
  assert.deepEqual(
    checkExpectations(sub, { balances: { any_match: { allowanceType: "sms" } } }),
    [
      'balances: [{"allowanceType":"data","used":120},{"allowanceType":"voice","used":0}] ' +
      'fails any_match {"allowanceType":"sms"}',
    ],
  );
  assert.deepEqual(checkExpectations(sub, { state: { starts_with: "blo" } }), [
    'state: "active" fails starts_with "blo"',
  ]);
});

Deno.test("an unknown operator is an error, not a silent pass", () => {
  assert.throws(() => checkExpectations(sub, { state: { exists: true } }), /unknown operator/);
});

Deno.test("`any_match` as a key of its own matches an element of a list result", () => {
  const events = [
    { eventType: "port_request.created", actor: "cli" },
    { eventType: "subscription.renewed", actor: "system:renewal_worker", channel: "system" },
  ];
  assert.deepEqual(
    checkExpectations(events, {
      any_match: { eventType: "subscription.renewed", channel: "system" },
    }),
    [],
  );
  const [failure] = checkExpectations(events, { any_match: { eventType: "nope" } });
  assert.match(failure, /^no element of .* matches \{"eventType":"nope"\}$/);
  assert.equal(checkExpectations({ id: "x" }, { any_match: { id: "x" } }).length, 1);
  // A result that has a field of that name is checked by path, as any other key.
  assert.deepEqual(checkExpectations({ any_match: 3 }, { any_match: 3 }), []);
});

Deno.test("a JSON number equals a decimal string of the same value in eq, ne, in", () => {
  const offer = { price: { value: "20.00" }, remaining: 30720, code: "0012" };
  assert.deepEqual(
    checkExpectations(offer, {
      "price.value": 20.0,
      remaining: { eq: "30720", in: [1, 30720], ne: 5 },
    }),
    [],
  );
  assert.equal(checkExpectations(offer, { "price.value": 20.01 }).length, 1);
  // Two strings still compare as text: ids are not numbers.
  assert.equal(checkExpectations(offer, { code: "12" }).length, 1);
});
