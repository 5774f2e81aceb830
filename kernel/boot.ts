/**
 * Process start-up shared by every entry point: configuration (fatal on error), logging,
 * telemetry, database (+ migrations), the shared clock. Returns what the caller needs and
 * one `shutdown` that undoes it all in reverse.
 *
 * @module
 */
import { clock } from "./clock.ts";
import { type Config, ConfigError, DEFAULT_DATA_DIR, loadConfig, processEnv } from "./config.ts";
import { type Database, openDatabase } from "./db/connect.ts";
import { migrate } from "./db/migrate.ts";
import { localTokens } from "./local_tokens.ts";
import { configureLog, log } from "./log.ts";
import { startTelemetry } from "./telemetry/setup.ts";
import { TokenConfigError } from "./tokens.ts";

/** A booted process. */
export interface Booted {
  config: Config;
  db: Database;
  /** Migrations applied by this boot. */
  applied: string[];
  /** Writes the spans finished so far (a process reading its own trace back, e.g. `/trace`). */
  flushSpans(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Options of {@link boot}. */
export interface BootOptions {
  /** Apply pending migrations (the default). */
  migrate?: boolean;
  /** Environment to read instead of the process's (tests). */
  env?: Record<string, string | undefined>;
  /** A configuration already loaded (then `env` is not read). */
  config?: Config;
  /** `service.name` of the spans this process records. */
  serviceName?: string;
  /** This process owns the embedded Postgres's life (`deno task start`). */
  ownsDatabase?: boolean;
}

/** Reads the configuration or exits with a clear message naming the bad setting. */
export function configOrExit(env: Record<string, string | undefined> = processEnv()): Config {
  try {
    return loadConfig(env, () => localTokens(env.BSS_DATA_DIR || DEFAULT_DATA_DIR));
  } catch (e) {
    if (e instanceof ConfigError || e instanceof TokenConfigError) {
      console.error(`bss: ${e.message}`);
      Deno.exit(2);
    }
    throw e;
  }
}

/** Boots the process. */
export async function boot(options: BootOptions = {}): Promise<Booted> {
  const config = options.config ?? configOrExit(options.env);
  configureLog(config.BSS_LOG_LEVEL);
  const db = await openDatabase(config, { own: options.ownsDatabase });
  // A failed migration must not leave an embedded server behind.
  const applied = options.migrate === false ? [] : await migrate(db.sql).catch(async (e) => {
    await db.close();
    throw e;
  });
  if (applied.length) log.info("migrations applied", { applied });
  const telemetry = startTelemetry(config, db.sql, options.serviceName ?? "bss");
  await clock.refresh(db.sql);
  const unfollow = await clock.follow(db.sql);
  return {
    config,
    db,
    applied,
    flushSpans: () => telemetry.flush(),
    async shutdown() {
      await unfollow();
      await telemetry.shutdown();
      await db.close();
    },
  };
}
