/**
 * The whole system in one test process, as `deno task start` runs it: every role on a free
 * port range against a fresh seeded database, telemetry to the span store, the brokerless
 * bridge (or RabbitMQ when `broker` is set), simulator delays off. Plus typed clients of
 * every service and a poller.
 *
 * @module
 */
import { seedReferenceData } from "../../actors/seed.ts";
import { clock } from "../../kernel/clock.ts";
import type { Config } from "../../kernel/config.ts";
import { startTelemetry, type Telemetry } from "../../kernel/telemetry/setup.ts";
import { type Client, createClient } from "../../http/client.ts";
import { type RoleName, selectRoles } from "../../http/roles.ts";
import { startRoles } from "../../http/start.ts";
import { freshDatabase, type TestDatabase } from "./db.ts";
import { freePortOffset, testConfig, TOKEN } from "./http.ts";

/** A running system. */
export interface TestSystem {
  db: TestDatabase;
  config: Config;
  telemetry: Telemetry;
  /** A typed client of each service. */
  client: Record<RoleName, Client>;
  /** The self-serve portal's base URL. */
  portalUrl: string;
  /** Each role's base URL. */
  urls: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts every role; `env` adds settings (e.g. BSS_PROVISIONING_DELAY_SCALE). */
export async function startSystem(
  label: string,
  env: Record<string, string> = {},
): Promise<TestSystem> {
  const db = await freshDatabase(label);
  await clock.refresh(db.sql);
  await seedReferenceData(db.sql);
  const config = testConfig({
    BSS_PORT_OFFSET: String(freePortOffset()),
    BSS_PROVISIONING_DELAY_SCALE: "0",
    BSS_OUTBOX_RELAY_INTERVAL_MS: "20",
    BSS_ACTOR_POLL_MS: "20",
    BSS_OTEL_ENABLED: "true",
    BSS_ALLOW_ADMIN_RESET: "true",
    BSS_DB_URL: db.url,
    ...env,
  });
  const telemetry = startTelemetry(config, db.sql, "test");
  const running = await startRoles(config, db.sql, selectRoles());
  const client = Object.fromEntries(
    Object.entries(running.urls).map((
      [name, baseUrl],
    ) => [name, createClient({ baseUrl, token: TOKEN, service: "cli" })]),
  ) as Record<RoleName, Client>;
  return {
    db,
    config,
    telemetry,
    client,
    portalUrl: running.urls["portal-self-serve"],
    urls: running.urls,
    async stop() {
      await running.stop();
      await telemetry.shutdown();
      await db.drop();
    },
  };
}

/** Polls `read` every 25 ms until `done(value)`, failing after `ms` with the last value. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
