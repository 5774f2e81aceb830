/**
 * The trouble-ticket state machine (docs/domain.md §3 "Ticket"; terminal `closed|cancelled`).
 *
 * @module
 */
import type { Machine } from "./fsm.ts";

/** Ticket states. */
export const TICKET_STATES = [
  "open",
  "acknowledged",
  "in_progress",
  "pending",
  "resolved",
  "closed",
  "cancelled",
] as const;
/** A ticket state. */
export type TicketState = typeof TICKET_STATES[number];

/** Ticket triggers. */
export const TICKET_TRIGGERS = [
  "ack",
  "start",
  "wait",
  "resume",
  "resolve",
  "reopen",
  "close",
  "cancel",
] as const;
/** A ticket trigger. */
export type TicketTrigger = typeof TICKET_TRIGGERS[number];

/** trigger → from states and target. */
export const TICKET_MACHINE: Machine<TicketState, TicketTrigger> = {
  ack: { from: ["open"], to: "acknowledged" },
  start: { from: ["acknowledged"], to: "in_progress" },
  wait: { from: ["in_progress"], to: "pending" },
  resume: { from: ["pending"], to: "in_progress" },
  resolve: { from: ["in_progress"], to: "resolved" },
  reopen: { from: ["resolved"], to: "in_progress" },
  close: { from: ["resolved"], to: "closed" },
  cancel: { from: ["open", "acknowledged", "in_progress", "pending"], to: "cancelled" },
};

/** States no trigger leaves. */
export const TERMINAL_TICKET_STATES: readonly TicketState[] = ["closed", "cancelled"];
