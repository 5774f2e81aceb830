/**
 * The case state machine (docs/domain.md §3 "Case"; terminal `closed`).
 *
 * @module
 */
import type { Machine } from "./fsm.ts";

/** Case states. */
export const CASE_STATES = [
  "open",
  "in_progress",
  "pending_customer",
  "resolved",
  "closed",
] as const;
/** A case state. */
export type CaseState = typeof CASE_STATES[number];

/** Case triggers. */
export const CASE_TRIGGERS = [
  "take",
  "await_customer",
  "resume",
  "resolve",
  "close",
  "cancel",
] as const;
/** A case trigger. */
export type CaseTrigger = typeof CASE_TRIGGERS[number];

/** trigger → from states and target. */
export const CASE_MACHINE: Machine<CaseState, CaseTrigger> = {
  take: { from: ["open"], to: "in_progress" },
  await_customer: { from: ["in_progress"], to: "pending_customer" },
  resume: { from: ["pending_customer"], to: "in_progress" },
  resolve: { from: ["open", "in_progress"], to: "resolved" },
  close: { from: ["resolved"], to: "closed" },
  cancel: { from: ["open", "in_progress", "pending_customer"], to: "closed" },
};
