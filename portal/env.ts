/**
 * What the portal's handlers work with: the process-wide portal (config, database, tool
 * runner, mailer, live feed) and the per-request facts its middleware sets.
 *
 * @module
 */
import type { Config } from "../kernel/config.ts";
import type { Pool } from "../kernel/db/types.ts";
import type { Session } from "./auth/sessions.ts";
import type { Bss } from "./bss.ts";
import type { LiveFeed } from "./live.ts";
import type { Mailer } from "./mail.ts";

/** The portal of this process. */
export interface Portal {
  config: Config;
  sql: Pool;
  bss: Bss;
  mailer: Mailer;
  pepper: string;
  live: LiveFeed;
}

/** The Hono environment of the portal. */
export interface PortalEnv {
  Variables: {
    portal: Portal;
    /** The live session, when the cookie names one. */
    session?: Session;
    /** The CSRF secret of a visitor without a session (double-submit cookie). */
    anonCsrf: string;
    ip: string;
    /** A step-up grant was spent on this request. */
    stepUpConsumed?: boolean;
  };
}
