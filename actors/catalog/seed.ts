/**
 * Seeds the catalog's reference data (docs/domain.md §5), insert-if-absent: a row that exists is
 * left as it is (an operator's later change survives a re-seed), so running it twice changes
 * nothing.
 *
 * @module
 */
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { ALLOWANCE_UNITS, type AllowanceType } from "./model.ts";
import {
  ALLOWANCE_SUFFIX,
  CFS_MOBILE_BROADBAND,
  MOBILE_PREPAID,
  PLANS,
  RFS_BEARERS,
  VAS,
} from "./reference_data.ts";

/** Maps `offeringIds` to the mobile-broadband CFS and its RFS, where no mapping exists yet. */
export async function mapToMobileBroadband(sql: Sql, offeringIds: string[]): Promise<void> {
  await sql`
    insert into catalog.product_to_service_mapping (offering_id, cfs_spec_id, rfs_spec_ids)
    select id, ${CFS_MOBILE_BROADBAND.id}, ${RFS_BEARERS.map((s) => s.id)}::text[]
    from unnest(${offeringIds}::text[]) as id
    on conflict (offering_id, tenant_id) do nothing`;
}

/** Inserts every catalog reference row that is missing, in one transaction. */
export async function seedReferenceData(sql: Pool): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`insert into catalog.product_specification ${tx(MOBILE_PREPAID)}
      on conflict (id) do nothing`;
    await tx`insert into catalog.product_offering ${
      tx(PLANS.map((p) => ({
        id: p.id,
        name: p.name,
        spec_id: MOBILE_PREPAID.id,
        is_bundle: true,
        is_sellable: true,
        lifecycle_status: "active",
      })))
    } on conflict (id) do nothing`;
    await tx`insert into catalog.product_offering_price ${
      tx(PLANS.map((p) => ({
        id: p.priceId,
        offering_id: p.id,
        price_type: "recurring",
        recurring_period_length: 1,
        recurring_period_type: "month",
        amount: p.amount,
        currency: "SGD",
      })))
    } on conflict (id) do nothing`;
    await tx`insert into catalog.bundle_allowance ${
      tx(PLANS.flatMap((p) =>
        (Object.entries(p.allowances) as [AllowanceType, number][]).map(([type, quantity]) => ({
          id: `BA_${p.letter}_${ALLOWANCE_SUFFIX[type]}`,
          offering_id: p.id,
          allowance_type: type,
          quantity,
          unit: ALLOWANCE_UNITS[type],
        }))
      ))
    } on conflict (id) do nothing`;
    await tx`insert into catalog.vas_offering ${tx(VAS.map((v) => ({ ...v })))}
      on conflict (id) do nothing`;
    for (const spec of [CFS_MOBILE_BROADBAND, ...RFS_BEARERS]) {
      await tx`insert into catalog.service_specification (id, name, type, parameters)
        values (${spec.id}, ${spec.name}, ${spec.type}, ${
        JSON.stringify(spec.parameters)
      }::text::jsonb)
        on conflict (id) do nothing`;
    }
    await mapToMobileBroadband(tx, PLANS.map((p) => p.id));
  });
}
