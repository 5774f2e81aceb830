/**
 * The catalog reference seed (docs/domain.md §5): exactly the documented rows, insert-if-absent —
 * running it again (even concurrently) changes nothing, and an operator's later change
 * survives a re-seed.
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/catalog/seed.ts";
import { freshDatabase } from "./support/db.ts";

const db = await freshDatabase("catalog_seed");
const sql = db.sql;

const TABLES = [
  "product_specification",
  "product_offering",
  "product_offering_price",
  "bundle_allowance",
  "vas_offering",
  "service_specification",
  "product_to_service_mapping",
];

/** Every row of every seeded table, timestamps included. */
async function dump() {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    out[table] = [...await sql`select * from ${sql(`catalog.${table}`)} order by id`];
  }
  return out;
}

Deno.test("the seed writes exactly the reference data", async () => {
  await seedReferenceData(sql);
  assert.deepEqual(
    [
      ...await sql`select id, name, description, brand, lifecycle_status
      from catalog.product_specification`,
    ],
    [{
      id: "SPEC_MOBILE_PREPAID",
      name: "Mobile Prepaid Bundle",
      description: "Bundled prepaid mobile plan",
      brand: "BSS-CLI",
      lifecycle_status: "active",
    }],
  );
  assert.deepEqual(
    [
      ...await sql`select id, name, spec_id, is_bundle, is_sellable, lifecycle_status, valid_from,
      valid_to from catalog.product_offering order by id`,
    ],
    [["PLAN_L", "Max"], ["PLAN_M", "Standard"], ["PLAN_S", "Lite"]].map(([id, name]) => ({
      id,
      name,
      spec_id: "SPEC_MOBILE_PREPAID",
      is_bundle: true,
      is_sellable: true,
      lifecycle_status: "active",
      valid_from: null,
      valid_to: null,
    })),
  );
  assert.deepEqual(
    [
      ...await sql`select id, offering_id, price_type, recurring_period_length,
      recurring_period_type, amount, currency, valid_from, valid_to
      from catalog.product_offering_price order by id`,
    ],
    [["PLAN_L", "45.00"], ["PLAN_M", "25.00"], ["PLAN_S", "10.00"]].map(([plan, amount]) => ({
      id: `PRICE_${plan}`,
      offering_id: plan,
      price_type: "recurring",
      recurring_period_length: 1,
      recurring_period_type: "month",
      amount,
      currency: "SGD",
      valid_from: null,
      valid_to: null,
    })),
  );
  const allowances = await sql`select id, offering_id, allowance_type, quantity, unit
    from catalog.bundle_allowance order by id`;
  assert.deepEqual(
    allowances.map((a) => [a.id, a.offering_id, a.allowance_type, a.quantity, a.unit]),
    [
      ["BA_L_DATA", "PLAN_L", "data", 153600, "mb"],
      ["BA_L_ROAM", "PLAN_L", "data_roaming", 2048, "mb"],
      ["BA_L_SMS", "PLAN_L", "sms", -1, "count"],
      ["BA_L_VOICE", "PLAN_L", "voice", -1, "minutes"],
      ["BA_M_DATA", "PLAN_M", "data", 30720, "mb"],
      ["BA_M_ROAM", "PLAN_M", "data_roaming", 500, "mb"],
      ["BA_M_SMS", "PLAN_M", "sms", -1, "count"],
      ["BA_M_VOICE", "PLAN_M", "voice", -1, "minutes"],
      ["BA_S_DATA", "PLAN_S", "data", 5120, "mb"],
      ["BA_S_ROAM", "PLAN_S", "data_roaming", 0, "mb"],
      ["BA_S_SMS", "PLAN_S", "sms", 100, "count"],
      ["BA_S_VOICE", "PLAN_S", "voice", 100, "minutes"],
    ],
  );
  const vas = await sql`select id, name, price_amount, currency, allowance_type,
    allowance_quantity, allowance_unit, expiry_hours from catalog.vas_offering order by id`;
  assert.deepEqual(vas.map((v) => Object.values(v)), [
    ["VAS_DATA_1GB", "Data Top-Up 1GB", "3.00", "SGD", "data", 1024, "mb", null],
    ["VAS_DATA_5GB", "Data Top-Up 5GB", "12.00", "SGD", "data", 5120, "mb", null],
    ["VAS_ROAMING_1GB", "Roaming Data 1GB", "8.00", "SGD", "data_roaming", 1024, "mb", null],
    ["VAS_UNLIMITED_DAY", "Unlimited Data Day Pass", "5.00", "SGD", "data", -1, "mb", 24],
  ]);
  const specs = await sql`select id, type, parameters from catalog.service_specification
    order by id`;
  assert.deepEqual(specs.map((s) => Object.values(s)), [
    ["SSPEC_CFS_MOBILE_BROADBAND", "CFS", {}],
    ["SSPEC_RFS_DATA_BEARER", "RFS", {}],
    ["SSPEC_RFS_VOICE_BEARER", "RFS", {}],
  ]);
  const mappings = await sql`select offering_id, cfs_spec_id, rfs_spec_ids
    from catalog.product_to_service_mapping order by offering_id`;
  assert.deepEqual(
    mappings.map((m) => Object.values(m)),
    ["PLAN_L", "PLAN_M", "PLAN_S"].map((plan) => [
      plan,
      "SSPEC_CFS_MOBILE_BROADBAND",
      ["SSPEC_RFS_DATA_BEARER", "SSPEC_RFS_VOICE_BEARER"],
    ]),
  );
});

Deno.test("seeding twice, or twice at once, leaves the same rows", async () => {
  const before = await dump();
  await seedReferenceData(sql);
  await Promise.all([seedReferenceData(sql), seedReferenceData(sql)]);
  assert.deepEqual(await dump(), before);
});

Deno.test("a re-seed keeps an operator's change and restores only what is missing", async () => {
  await sql`update catalog.product_offering_price set amount = 27.50 where id = 'PRICE_PLAN_M'`;
  await sql`delete from catalog.vas_offering where id = 'VAS_DATA_5GB'`;
  await seedReferenceData(sql);
  const [price] = await sql`select amount from catalog.product_offering_price
    where id = 'PRICE_PLAN_M'`;
  assert.equal(price.amount, "27.50");
  const [vas] = await sql`select price_amount from catalog.vas_offering where id = 'VAS_DATA_5GB'`;
  assert.equal(vas.price_amount, "12.00");
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () => db.drop(),
});
