/**
 * Reference data of every domain (docs/domain.md §5), insert-if-absent: applied at every start,
 * so an empty database gets it and an operator's later changes survive.
 *
 * @module
 */
import type { Pool } from "../kernel/db/types.ts";
import { seedReferenceData as catalog } from "./catalog/seed.ts";
import { seedReferenceData as crm } from "./crm/seed.ts";
import { seedReferenceData as inventory } from "./inventory/seed.ts";
import { seedReferenceData as provisioning } from "./provisioning/seed.ts";

/** The domains with reference data, in dependency order. */
const REFERENCE: ReadonlyArray<[string, (sql: Pool) => Promise<unknown>]> = [
  ["catalog", catalog],
  ["crm", crm],
  ["inventory", inventory],
  ["provisioning", provisioning],
];

/** Applies every domain's reference data; returns the domain names seeded. */
export async function seedReferenceData(sql: Pool): Promise<string[]> {
  for (const [, seed] of REFERENCE) await seed(sql);
  return REFERENCE.map(([name]) => name);
}
