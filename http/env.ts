/**
 * What a service app is made of: the per-request variables its middleware sets, and the
 * process-wide dependencies its endpoints are built from.
 *
 * @module
 */
import type { ActorSystem } from "../actors/runtime/system.ts";
import type { Config } from "../kernel/config.ts";
import type { Pool } from "../kernel/db/types.ts";

/** The Hono environment: per-request variables set by the middleware in `http/middleware/`. */
export interface AppEnv {
  Variables: {
    /** From `X-Request-ID`, or fresh. */
    requestId: string;
    /** The identity of the API token that authenticated the call (absent on exempt paths). */
    identity?: string;
  };
}

/** Process-wide dependencies handed to every endpoint group. */
export interface Deps {
  config: Config;
  sql: Pool;
  /** Where HTTP writes `ask` actors. */
  system: ActorSystem;
}
