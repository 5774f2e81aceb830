/**
 * Fault-injection rules over HTTP (docs/http.md §9.5): list them, change one. The reference's
 * permission seam (`provisioning.set_fault_injection.admin_only`) has no permission model to
 * check against yet, so every authenticated caller may change a rule.
 *
 * @module
 */
import { z } from "zod";
import { listFaults, updateFault } from "../../actors/provisioning/fault_injection.ts";
import { FAULT_TYPES } from "../../actors/provisioning/vocab.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { acceptSnakeCase, someField } from "../crm/wire.ts";
import { FaultInjection } from "./schemas.ts";

const PREFIX = "/provisioning-api/v1";

/** `GET /fault-injection`: every rule, by task type. */
export const listFaultInjections = defineRoute({
  method: "GET",
  path: `${PREFIX}/fault-injection`,
  summary: "Fault-injection rules, by task type",
  response: z.array(FaultInjection),
});

/** `PATCH /fault-injection/{id}`: enabled, probability (0–1, two decimals), fault type. */
export const updateFaultInjection = defineRoute({
  method: "PATCH",
  path: `${PREFIX}/fault-injection/:id`,
  summary: "Change a fault-injection rule (at most one enabled per task type)",
  params: z.object({ id: z.string() }),
  body: acceptSnakeCase(someField(z.object({
    enabled: z.boolean().optional(),
    probability: z.number().min(0).max(1).optional(),
    faultType: z.enum(FAULT_TYPES).optional(),
  }))),
  response: FaultInjection,
});

/** The fault-injection endpoints. */
export function faultInjectionEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(listFaultInjections, () => listFaults(sql)),
    endpoint(updateFaultInjection, ({ params, body }) => updateFault(sql, params.id, body)),
  ];
}
