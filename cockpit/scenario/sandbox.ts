/**
 * The scenario sandbox (docs: README "Scenarios"): by default a scenario run never touches the
 * operator's data. It gets a fresh database on the same Postgres as the instance (so its own
 * BSS clock, sequences and span store), every role started in this process on free ports
 * against it, and everything torn down and the database dropped afterwards.
 *
 * @module
 */
import { seedReferenceData } from "../../actors/seed.ts";
import { boot } from "../../kernel/boot.ts";
import type { Config } from "../../kernel/config.ts";
import { openDatabase } from "../../kernel/db/connect.ts";
import { LOCAL_TOKEN_VARS } from "../../kernel/local_tokens.ts";
import { parseTokenMap, randomToken } from "../../kernel/tokens.ts";
import { freePortOffset } from "../../http/free_ports.ts";
import { selectRoles } from "../../http/roles.ts";
import { startRoles } from "../../http/start.ts";

/** A running sandbox: the configuration that reaches it, and how to tear it down. */
export interface Sandbox {
  config: Config;
  /** The sandbox database's name (dropped by `stop`). */
  database: string;
  stop(): Promise<void>;
}

/**
 * The instance's tokens, plus a fresh one for each named identity the roles use that the
 * instance was not given (a CLI with only `BSS_API_TOKEN` set): the sandbox's services and
 * their calls to each other agree on them, and they die with it.
 */
function sandboxTokens(config: Config): Pick<Config, "tokens" | "outboundTokens"> {
  const missing = Object.fromEntries(
    LOCAL_TOKEN_VARS.filter((name) => name.endsWith("_API_TOKEN") && name !== "BSS_API_TOKEN")
      .map((name) => [name, randomToken()] as const)
      .filter(([name]) => !config.outboundTokens[name.slice(4, -10).toLowerCase()]),
  );
  const added = parseTokenMap({ BSS_API_TOKEN: config.outboundTokens.default, ...missing });
  const fresh = added.tokens.filter((t) => t.identity !== "default");
  return {
    tokens: [...config.tokens, ...fresh],
    outboundTokens: { ...added.plain, ...config.outboundTokens },
  };
}

/** The same server as `url`, database `name`. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Opens a sandbox next to the instance `config` describes: its Postgres (`BSS_DB_URL`, or the
 * data dir's embedded server, started for the run when it is not running) hosts the sandbox
 * database. Admin reset and clock moves are open inside it, whatever the instance allows.
 */
export async function openSandbox(config: Config): Promise<Sandbox> {
  const host = await openDatabase(config);
  const database = `bss_sandbox_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  try {
    await host.sql.unsafe(`create database ${database}`);
  } catch (e) {
    await host.close();
    throw new Error(
      `the scenario sandbox needs a Postgres role that may create databases (${
        (e as Error).message
      }); or run against the live system with --live`,
    );
  }
  const drop = async () => {
    await host.sql.unsafe(`drop database if exists ${database} with (force)`);
    await host.close();
  };
  const sandboxConfig: Config = {
    ...config,
    BSS_DB_URL: withDatabase(host.url, database),
    BSS_DB_POOL_SIZE: Math.min(config.BSS_DB_POOL_SIZE, 20),
    BSS_ALLOW_ADMIN_RESET: true,
    // The report is the output; the sandbox's services speak up only about trouble.
    BSS_LOG_LEVEL: config.BSS_LOG_LEVEL === "debug" ? "debug" : "warn",
    BSS_KNOWLEDGE_REINDEX_ON_START: false,
    BSS_PORT_OFFSET: freePortOffset(),
    // The sandbox's portal sessions die with it: a pepper of its own when none is configured.
    BSS_PORTAL_TOKEN_PEPPER: config.BSS_PORTAL_TOKEN_PEPPER ?? randomToken(),
    // The sandbox's own services, never the instance's.
    serviceUrls: {},
    ...sandboxTokens(config),
  };
  let booted;
  try {
    booted = await boot({ config: sandboxConfig, serviceName: "bss-scenario" });
    await seedReferenceData(booted.db.sql);
  } catch (e) {
    await booted?.shutdown().catch(() => {});
    await drop();
    throw e;
  }
  const { db, shutdown } = booted;
  const running = await startRoles(sandboxConfig, db.sql, selectRoles()).catch(async (e) => {
    await shutdown();
    await drop();
    throw e;
  });
  return {
    config: sandboxConfig,
    database,
    async stop() {
      try {
        await running.stop();
        await shutdown();
      } finally {
        await drop();
      }
    },
  };
}
