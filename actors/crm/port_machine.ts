/**
 * The port-request state machine (docs/domain.md §3 "Port request"; terminal `completed|rejected`).
 * `validate` exists in the machine but no route fires it: approve completes at once.
 *
 * @module
 */
import type { Machine } from "./fsm.ts";
import type { PortState } from "./vocab.ts";

/** Port request triggers. */
export type PortTrigger = "validate" | "approve" | "reject";

/** trigger → from states and target. */
export const PORT_MACHINE: Machine<PortState, PortTrigger> = {
  validate: { from: ["requested"], to: "validated" },
  approve: { from: ["requested", "validated"], to: "completed" },
  reject: { from: ["requested", "validated"], to: "rejected" },
};
