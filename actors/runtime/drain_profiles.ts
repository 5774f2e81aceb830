/**
 * Drain settings for kinds whose handlers wait on other services (HTTP calls inside a turn):
 * more loops so waiting turns do not hold everyone up, and few actors per batch so one slow
 * call does not delay a long queue of actors locked behind it.
 *
 * @module
 */
import type { ActorKind } from "./types.ts";

/** For kinds whose handlers call other services. */
export const IO_BOUND: Pick<ActorKind, "loops" | "batchActors"> = { loops: 4, batchActors: 2 };
