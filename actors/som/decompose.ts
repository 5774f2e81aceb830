/**
 * Decomposition (docs/flows.md §1.3), in two turns of the service order actor:
 *
 * 1. `decompose` writes the service order (`acknowledged`), its item, the CFS from the
 *    catalog's service mapping (when the process has it at hand; else an effect reads it and
 *    `mapping_read` runs this turn again with it) and its RFS children (`designed`, RFS →
 *    `reserved`), and
 *    starts it (`start`): stages the line reservation (number + profile, atomically, in the
 *    inventory, held by the order: a re-run answers the same line) as an effect, so the turn
 *    never waits on the inventory. The service order stays `acknowledged` until the line is
 *    there: a `stop` or `cancel` handled meanwhile still cancels it (the line, when it comes,
 *    goes back). A `start` message (sent by earlier versions) does the same on its own.
 * 3. `line_reserved`, the effect's outcome, fills the CFS, moves it `reserved`, the service
 *    order `in_progress`, and emits one `provisioning.task.created` per task. An empty pool
 *    fails the service order (the commercial order fails with it) instead of retrying
 *    forever; a `stop` handled before the line arrived gives the line back.
 *
 * @module
 */
import { z } from "zod";
import { jsonb } from "../../kernel/db/types.ts";
import { nextIds } from "../../kernel/ids.ts";
import { log } from "../../kernel/log.ts";
import { stageEffect } from "../effects/effect.ts";
import type { EffectHandler } from "../effects/runner.ts";
import type { Turn } from "../runtime/types.ts";
import { serviceOrderEvent, taskCreatedEvent } from "./events.ts";
import { DecomposeMessage, type ServiceOrderMessageOf } from "./messages.ts";
import { type CfsCharacteristics, TASK_TYPES, type TaskStatus } from "./model.ts";
import type { SomPorts } from "./ports.ts";
import { serviceOrderOf, serviceOrderWithServices } from "./queries.ts";
import {
  characteristicsOf,
  insertHistory,
  moveServiceOrder,
  moveServices,
  saveCharacteristics,
  split,
} from "./store.ts";

/** The actor kind name. */
export const SERVICE_ORDER_KIND = "service_order";

/** Turn 1: the service order and its designed services, started. */
export async function decompose(
  turn: Turn,
  m: ServiceOrderMessageOf<"decompose">,
  ports: Pick<SomPorts, "knownServiceMapping">,
): Promise<void> {
  const commercialOrderId = turn.key;
  const existing = await serviceOrderOf(turn.sql, commercialOrderId);
  if (existing) {
    log.info("som.decompose.skipped", { commercialOrderId, state: existing.state });
    return;
  }
  const mapping = m.mapping ?? ports.knownServiceMapping(m.offeringId);
  if (!mapping) {
    // Not at hand: an effect reads it from the catalog and the decomposition resumes with its
    // answer (`mapping_read`), so the turn waits on no other service.
    await stageEffect(turn, {
      type: "som.read_mapping",
      key: `mapping:${turn.key}`,
      input: { decompose: m },
      replyType: "mapping_read",
    });
    return;
  }
  const [soId, itemId, cfsId, ...rfsIds] = await nextIds(turn.sql, [
    "SO",
    "SOI",
    "SVC",
    ...mapping.rfs.map(() => "SVC"),
  ]);
  const characteristics: CfsCharacteristics = {
    commercialOrderId,
    customerId: m.customerId,
    offeringId: m.offeringId,
    paymentMethodId: m.paymentMethodId ?? null,
    msisdnPreference: m.msisdnPreference ?? null,
    priceSnapshot: m.priceSnapshot ?? null,
  };
  // The CFS goes in designed, the RFS reserved, as the history below records.
  const services = [
    {
      id: cfsId,
      specId: mapping.cfs,
      type: "CFS",
      state: "designed",
      parentId: null,
      characteristics,
    },
    ...mapping.rfs.map((specId, i) => ({
      id: rfsIds[i],
      specId,
      type: "RFS",
      state: "reserved",
      parentId: cfsId,
      characteristics: {},
    })),
  ];
  const designed = services.map((s) => ({
    id: s.id,
    from: null,
    to: "designed",
    reason: "decomposed",
  }));
  const reserved = rfsIds.map((id) => ({
    id,
    from: "designed",
    to: "reserved",
    reason: "decomposed",
  }));
  // Nothing below needs an answer before the next: the writes go out in one round trip.
  const now = turn.now();
  await Promise.all([
    turn.sql`
      insert into service_inventory.service_order (id, commercial_order_id)
      values (${soId}, ${commercialOrderId})`,
    turn.sql`
      insert into service_inventory.service
        (id, service_order_id, spec_id, type, parent_service_id, state, characteristics)
      select id, ${soId}, spec_id, type, parent_id, state, c
      from unnest(${services.map((s) => s.id)}::text[], ${services.map((s) => s.specId)}::text[],
        ${services.map((s) => s.type)}::text[], ${services.map((s) => s.parentId)}::text[],
        ${services.map((s) => s.state)}::text[],
        ${jsonb(services.map((s) => s.characteristics))}::text[]::jsonb[])
        as t(id, spec_id, type, parent_id, state, c)`,
    turn.sql`
      insert into service_inventory.service_order_item
        (id, service_order_id, action, service_spec_id, target_service_id)
      values (${itemId}, ${soId}, 'add', ${mapping.cfs}, ${cfsId})`,
    insertHistory(turn, [...designed, ...reserved], now),
  ]);
  await reserveLine(turn, characteristics.msisdnPreference);
}

/** Asks for the line (an effect, keyed on the order), unless stopped meanwhile. */
export async function start(turn: Turn): Promise<void> {
  const { so, services } = await serviceOrderWithServices(turn.sql, turn.key);
  if (so?.state !== "acknowledged") return;
  const { cfs } = split(services);
  await reserveLine(turn, characteristicsOf(cfs).msisdnPreference ?? null);
}

/** Stages the line reservation (number + profile, held by the order) as an effect. */
function reserveLine(turn: Turn, preference: string | null): Promise<void> {
  return stageEffect(turn, {
    type: "som.reserve_line",
    key: `line:${turn.key}`,
    input: { preference, holder: turn.key },
    replyType: "line_reserved",
  });
}

/**
 * Turn 2: the line is reserved: fill the CFS, start, and hand the four tasks to
 * provisioning. An empty pool (or a reservation that failed past its retries) fails the
 * service order; a line arriving for an order stopped meanwhile is given back.
 */
export async function lineReserved(turn: Turn, m: ServiceOrderMessageOf<"line_reserved">) {
  const { so, services } = await serviceOrderWithServices(turn.sql, turn.key);
  const outcome = m.outcome;
  if (so?.state !== "acknowledged") {
    if (outcome.ok) await releaseLine(turn, ReservedLine.parse(outcome.value));
    return;
  }
  const { cfs } = split(services);
  if (!outcome.ok) {
    const reason = `line reservation failed: ${outcome.refusal?.rule ?? outcome.error}`;
    await moveServices(turn, [cfs], "failed", reason);
    await moveServiceOrder(turn, so, "failed", reason);
    turn.emit(serviceOrderEvent("service_order.failed", so, { reason }));
    return;
  }
  const line = ReservedLine.parse(outcome.value);
  const pendingTasks = Object.fromEntries(TASK_TYPES.map((t) => [t, "pending"])) as Record<
    string,
    TaskStatus
  >;
  const filled: CfsCharacteristics = { ...characteristicsOf(cfs), ...line, pendingTasks };
  await Promise.all([
    saveCharacteristics(turn, cfs, filled),
    moveServices(turn, [cfs], "reserved", "line reserved"),
    moveServiceOrder(turn, so, "in_progress"),
  ]);
  turn.emit(serviceOrderEvent("service_order.in_progress", so));
  turn.emit(...TASK_TYPES.map((t) => taskCreatedEvent(so, cfs, filled, t)));
}

const ReservedLine = z.object({
  msisdn: z.string(),
  iccid: z.string(),
  imsi: z.string(),
  activationCode: z.string().nullable(),
});

/** Turn 1 again, with the mapping the effect read (a refusal or failure dead-letters it). */
export function mappingRead(
  turn: Turn,
  m: ServiceOrderMessageOf<"mapping_read">,
  ports: Pick<SomPorts, "knownServiceMapping">,
): Promise<void> {
  const { outcome } = m;
  if (!outcome.ok) {
    throw new Error(`service mapping not read: ${outcome.refusal?.message ?? outcome.error}`);
  }
  return decompose(turn, DecomposeMessage.parse(outcome.value), ports);
}

/** A line to give back to the pool. */
const LineToRelease = z.object({ msisdn: z.string(), iccid: z.string() });

/**
 * Gives the order's line back after this turn commits (an effect, so the turn waits on no
 * other service): one release per order, whichever path asks for it.
 */
export async function releaseLine(turn: Turn, line: z.input<typeof LineToRelease>): Promise<void> {
  await stageEffect(turn, {
    type: "som.release_line",
    key: `release:${turn.key}`,
    input: LineToRelease.parse(line),
    replyType: "line_released",
  });
}

/** SOM's effects: the mapping's read, the line reservation and its release, over `ports`. */
export function somEffects(
  ports: Pick<SomPorts, "serviceMapping" | "reserveLine" | "releaseLine">,
): Record<string, EffectHandler> {
  return {
    "som.read_mapping": async (input) => {
      const decompose = DecomposeMessage.parse(input.decompose);
      return { ...decompose, mapping: await ports.serviceMapping(decompose.offeringId) };
    },
    "som.reserve_line": (input) =>
      ports.reserveLine(input.preference as string | null, String(input.holder)),
    "som.release_line": (input) => ports.releaseLine(LineToRelease.parse(input)),
  };
}
