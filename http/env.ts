/**
 * What a service app is made of: the per-request variables its middleware sets, and the
 * process-wide dependencies its endpoints are built from.
 *
 * @module
 */
import type { ActorSystem } from "../actors/runtime/system.ts";
import type { Config } from "../kernel/config.ts";
import type { Pool } from "../kernel/db/types.ts";
import type { Scope } from "../kernel/tokens.ts";

/** The Hono environment: per-request variables set by the middleware in `http/middleware/`. */
export interface AppEnv {
  Variables: {
    /** From `X-Request-ID`, or fresh. */
    requestId: string;
    /** The identity of the API token that authenticated the call (absent on exempt paths). */
    identity?: string;
    /** That identity's scopes. */
    scopes?: readonly Scope[];
    /** That identity's tenant. */
    tenant?: string;
    /** `X-BSS-Actor`, when the identity may assert it (see `middleware/caller.ts`). */
    actor?: string;
    /** Set for a bound self-serve call: checks the validated input is the caller's own. */
    ownerCheck?: (input: Record<string, unknown>) => Promise<void>;
  };
}

/** Process-wide dependencies handed to every endpoint group. */
export interface Deps {
  config: Config;
  sql: Pool;
  /** Where HTTP writes `ask` actors. */
  system: ActorSystem;
}
