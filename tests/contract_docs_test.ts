/**
 * The generated contract pages stay equal to what the code generates (like docs/TOOLS.md):
 * `docs/RULES.md` (every rule code the source raises) and `docs/STATE_MACHINES.md`.
 */
import assert from "node:assert/strict";
import { contractPage, PROJECT_ROOT } from "../cockpit/contract/main.ts";
import { ruleTable } from "../cockpit/contract/rules.ts";

for (const [name, file] of [["rules", "RULES.md"], ["machines", "STATE_MACHINES.md"]]) {
  Deno.test(`docs/${file} is what the code generates (deno task contract ${name})`, async () => {
    const onDisk = await Deno.readTextFile(`${PROJECT_ROOT}/docs/${file}`);
    assert.equal(
      onDisk,
      await contractPage(name),
      `docs/${file} is stale: run \`deno task contract ${name} > docs/${file}\``,
    );
  });
}

Deno.test("the rule table follows helpers and constants to their codes", async () => {
  const rules = new Map((await ruleTable(PROJECT_ROOT)).map((r) => [r.rule, r]));
  // Raised through `promotionViolation("requires_code", …)`.
  assert.equal(rules.get("catalog.promotion.requires_code")?.service, "catalog");
  // Raised through a helper whose parameter is the rule.
  assert.equal(rules.get("case.update.case_is_closed")?.file, "actors/crm/cases.ts");
  // A constant declared beside the throw.
  assert.equal(rules.get("usage.record.subscription_must_exist")?.service, "mediation");
  // Inventory rules are CRM's answers.
  assert.equal(rules.get("msisdn.reserve.no_available")?.service, "crm");
  for (const r of rules.values()) {
    assert.match(r.rule, /^[a-z_]+(\.[a-z_]+)+$/);
    assert.equal(r.status, 422, r.rule);
  }
});
