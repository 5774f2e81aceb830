/**
 * Inventory reference data (docs/domain.md §5), insert-if-absent: MSISDNs `90000000`–`90000999` and
 * 1000 eSIM profiles (ICCID `8910101` + 12 digits, IMSI `525010000` + 6 digits, an HSM
 * reference for Ki, a random matching id and its LPA activation code).
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { insertRange } from "./msisdn_store.ts";

/** The SM-DP+ server every seeded profile downloads from. */
export const SMDP_SERVER = "smdp.bss-cli.local";

/** The LPA activation code of a profile: `LPA:1$<SM-DP+ address>$<matching id>`. */
export function lpaActivationCode(smdpServer: string, matchingId: string): string {
  return `LPA:1$${smdpServer}$${matchingId}`;
}

const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)))
    .map((b) => b.toString(16).padStart(2, "0")).join("");

/** Inserts seed profiles i = from..from+count-1 of the default tenant where absent. */
export async function seedEsimProfiles(
  sql: Sql,
  { from = 0, count = 1000 }: { from?: number; count?: number } = {},
): Promise<void> {
  const rows = Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const matchingId = randomHex(8);
    return {
      iccid: `8910101${String(i).padStart(12, "0")}`,
      imsi: `525010000${String(i).padStart(6, "0")}`,
      ki_ref: `hsm://ref/${crypto.randomUUID()}`,
      smdp_server: SMDP_SERVER,
      matching_id: matchingId,
      activation_code: lpaActivationCode(SMDP_SERVER, matchingId),
    };
  });
  await sql`insert into inventory.esim_profile ${sql(rows)} on conflict do nothing`;
}

/** Seeds the MSISDN pool and the eSIM stock of the default tenant. */
export async function seedReferenceData(sql: Sql): Promise<void> {
  await insertRange(sql, "9000", 1000, clock.now());
  await seedEsimProfiles(sql);
}
