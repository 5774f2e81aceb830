/** Assert-step expectations (spec 04 §9.3): dot paths, list matching, every operator. */
import assert from "node:assert/strict";
import { checkExpectations, resolvePath } from "../cockpit/scenario/expect.ts";

const sub = {
  state: "active",
  price: "9.90",
  balances: [{ allowanceType: "data", used: 120 }, { allowanceType: "voice", used: 0 }],
  tags: ["a", "b"],
};

Deno.test("dot paths index lists by number or by a matching identifying key", () => {
  assert.equal(resolvePath(sub, "balances.data.used"), 120);
  assert.equal(resolvePath(sub, "balances.1.allowanceType"), "voice");
  assert.equal(resolvePath(sub, "balances.sms.used"), undefined);
  assert.equal(resolvePath(sub, "nope.x"), undefined);
});

Deno.test("every operator holds where it should", () => {
  assert.deepEqual(
    checkExpectations(sub, {
      state: "active",
      price: { gt: 9, lte: "9.90", ne: "1.00" },
      "balances.data.used": { gte: 120, lt: 121, eq: 120 },
      "balances.voice": { contains: "used", exists: true },
      "balances.sms": { exists: false },
      tags: { contains: "a", len: 2 },
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
});
