/**
 * The eSIM profile state machine (docs/domain.md §3, decisions in docs/decisions.md): the targeted
 * transitions, each a trigger with the states it leaves and the state it enters. Reserving
 * (`available → reserved`, lowest ICCID) and linking a number (`reserved → reserved`) have
 * their own rules and live in `esim.ts`.
 *
 * @module
 */
import type { EsimState } from "./rows.ts";

/** The targeted transitions of a profile. */
export const ESIM_TRANSITIONS = {
  download: { from: ["reserved"], to: "downloaded" },
  activate: { from: ["downloaded", "suspended"], to: "activated" },
  // Beyond docs/domain.md (activated only): a profile that reached a device can never be reissued,
  // so a line that ends before activation recycles it too.
  recycle: { from: ["downloaded", "activated", "suspended"], to: "recycled" },
  release: { from: ["reserved"], to: "available" },
} as const satisfies Record<string, { from: readonly EsimState[]; to: EsimState }>;

/** A targeted transition's trigger. */
export type EsimTrigger = keyof typeof ESIM_TRANSITIONS;
