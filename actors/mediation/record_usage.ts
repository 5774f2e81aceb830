/**
 * Ingesting one usage record (docs/flows.md §2): the §4.5 rules in order, then the row and
 * `usage.recorded` in one transaction.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { nextId } from "../../kernel/ids.ts";
import { usageRecorded, usageRejected } from "./events.ts";
import type { Line, SubscriptionByMsisdn, UsageInput, UsageRow } from "./model.ts";
import { checkLine, checkRecord, RECORDED_RULES } from "./policies.ts";
import { insertUsage } from "./usage_store.ts";

/**
 * Records `usage` for the subscription `lookup` finds for its MSISDN, or throws the first
 * broken rule. A rejection writes no usage row; for the existence and active rules the
 * `usage.rejected` event is committed in a transaction of its own before the violation is
 * thrown: it records what happened at the edge, so the refusal must not roll it back (and no
 * usage transaction has been opened at that point: the checks run before any write).
 */
export async function recordUsage(
  sql: Pool,
  usage: UsageInput,
  lookup: SubscriptionByMsisdn,
): Promise<UsageRow> {
  checkRecord(usage);
  const line = await lookup(usage.msisdn);
  try {
    checkLine(usage, line);
  } catch (e) {
    if (e instanceof PolicyViolation && RECORDED_RULES.has(e.rule)) {
      await recordRejection(sql, usage, line, e.rule);
    }
    throw e;
  }
  return await sql.begin(async (tx) => {
    const id = await nextId(tx, "UE", 6);
    const row = await insertUsage(tx, id, usage, line);
    await emit(tx, usageRecorded(id, usage, line));
    return row;
  });
}

async function recordRejection(sql: Pool, usage: UsageInput, line: Line | null, rule: string) {
  await sql.begin((tx) => emit(tx, usageRejected(usage, line, rule, clock.now())));
}
