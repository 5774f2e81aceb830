/**
 * HTTP test support: a service app served on an ephemeral port with a test configuration,
 * and `main.ts` run as a child process on a free port range.
 *
 * @module
 */
import { type Config, loadConfig } from "../../kernel/config.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { createApp } from "../../http/app.ts";
import { type Client, createClient } from "../../http/client.ts";
import type { Endpoint } from "../../http/route.ts";
import { serve } from "../../http/serve.ts";
import { type ServiceName, SERVICES } from "../../http/services.ts";

/** The `default` identity's token in tests. */
export const TOKEN = "test-default-token-0123456789abcdefghij";
/** The `operator_cli` identity's token in tests: the CLI's, asserting its operator actor. */
export const CLI_TOKEN = "test-operator-cli-token-0123456789abcdefgh";
/** The `service` identity's token in tests: the services' hops, relaying any caller. */
export const SERVICE_TOKEN = "test-service-token-0123456789abcdefghijk";
/** The `portal_self_serve` identity's token in tests. */
export const PORTAL_TOKEN = "test-portal-token-0123456789abcdefghijk";
/** The `operator_cockpit` identity's token in tests. */
export const COCKPIT_TOKEN = "test-cockpit-token-0123456789abcdefghij";

/** The portal's HMAC pepper in tests. */
export const PORTAL_PEPPER = "test-portal-pepper-0123456789abcdefghijkl";

/**
 * Tenants a test may act in besides `DEFAULT`: each has an identity of its own (the tenant of
 * a call comes from its token), with every scope, as `default` has.
 */
export const TEST_TENANTS = [
  "OTHER",
  "EMPTY",
  "GOLD",
  "NEXT",
  "QUAR",
  "RANGE",
  "LOW",
  "LOW1",
  "NOBODY",
] as const;

/** One of {@link TEST_TENANTS}. */
export type TestTenant = (typeof TEST_TENANTS)[number];

/** The token of the identity acting in `tenant` (one of {@link TEST_TENANTS}). */
export function tenantToken(tenant: TestTenant): string {
  return `test-tenant-${tenant.toLowerCase()}-token-0123456789abcdefghij`;
}

/** Headers that make a test request act in `tenant`. */
export function asTenant(tenant: TestTenant): Record<string, string> {
  return { "x-bss-api-token": tenantToken(tenant) };
}

const tenantEnv = Object.fromEntries(TEST_TENANTS.flatMap((t) => [
  [`BSS_TENANT_${t}_API_TOKEN`, tenantToken(t)],
  [`BSS_TENANT_${t}_API_TENANT`, t],
  [`BSS_TENANT_${t}_API_SCOPES`, "self_serve,operator,admin,relay"],
]));

/**
 * A test configuration: the default, portal, cockpit and test-tenant tokens, tracing off, admin routes closed, no knowledge reindex
 * at start-up (the knowledge tests turn it on), `env` on top.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    BSS_ENV: "test",
    BSS_API_TOKEN: TOKEN,
    BSS_OPERATOR_CLI_API_TOKEN: CLI_TOKEN,
    BSS_SERVICE_API_TOKEN: SERVICE_TOKEN,
    BSS_PORTAL_SELF_SERVE_API_TOKEN: PORTAL_TOKEN,
    BSS_OPERATOR_COCKPIT_API_TOKEN: COCKPIT_TOKEN,
    ...tenantEnv,
    BSS_OTEL_ENABLED: "false",
    // Tests run on a real database, where the admin routes are closed unless opened.
    BSS_ALLOW_ADMIN_RESET: "false",
    BSS_KNOWLEDGE_REINDEX_ON_START: "false",
    BSS_PORTAL_TOKEN_PEPPER: PORTAL_PEPPER,
    ...env,
  });
}

/** `fetch` options plus the token to send (`null`: none; default {@link TOKEN}). */
export type TestRequest = RequestInit & { token?: string | null };

/** A service app listening on an ephemeral port. */
export interface TestServer {
  url: string;
  /** `fetch` against the server with the token (and JSON body when `json` is given). */
  request(path: string, init?: TestRequest & { json?: unknown }): Promise<Response>;
  /** A typed client of the server. */
  client(options?: { token?: string; timeoutMs?: number }): Client;
  stop(): Promise<void>;
}

/** Serves `service` (default crm) with `endpoints` on an ephemeral port. */
export function serveTest(options: {
  sql: Pool;
  service?: ServiceName;
  endpoints?: Endpoint[];
  env?: Record<string, string>;
}): TestServer {
  const service = SERVICES[options.service ?? "crm"];
  const config = testConfig(options.env);
  const app = createApp({ service, config, sql: options.sql, endpoints: options.endpoints });
  const server = serve(app, "127.0.0.1", 0);
  return {
    url: server.url,
    request(path, { token = TOKEN, json, ...init } = {}) {
      const headers = new Headers(init.headers);
      // A token given in `headers` (see asTenant) wins over the option.
      if (token !== null && !headers.has("x-bss-api-token")) headers.set("x-bss-api-token", token);
      if (json !== undefined) headers.set("content-type", "application/json");
      const body = json === undefined ? init.body : JSON.stringify(json);
      return fetch(`${server.url}${path}`, { ...init, headers, body });
    },
    client: ({ token = TOKEN, timeoutMs } = {}) =>
      createClient({ baseUrl: server.url, token, service: "test", timeoutMs }),
    stop: () => server.shutdown(),
  };
}

/** Reads a reply's JSON body and status together. */
// Bodies are checked field by field in asserts; a type per reply would only repeat them.
// deno-lint-ignore no-explicit-any
export async function reply(r: Response): Promise<{ status: number; body: any }> {
  return { status: r.status, body: await r.json() };
}

export { freePort, freePortOffset, isFree } from "../../http/free_ports.ts";

/** A temporary data dir that the embedded Postgres (the `postgres` OS user when root) reaches. */
export async function embeddedDataDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "bss_embedded_" });
  await Deno.chmod(dir, 0o755);
  return dir;
}

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** The parent environment minus every `BSS_*` variable, plus `env`: a child's only settings. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const inherited = Object.entries(Deno.env.toObject()).filter(([k]) => !k.startsWith("BSS_"));
  return { ...Object.fromEntries(inherited), ...env };
}

const ROOT = new URL("../..", import.meta.url).pathname;

/** `deno <args>` run from the project root as a user would, with `env` as its only BSS settings. */
export async function runDeno(env: Record<string, string>, ...args: string[]) {
  const run = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: childEnv(env),
    clearEnv: true,
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: run.code, out: text(run.stdout), err: text(run.stderr) };
}

/** `command args` with `env` as its only BSS settings and `input` typed on its stdin. */
export async function runTyped(
  command: string,
  args: string[],
  env: Record<string, string>,
  input: string,
) {
  const child = new Deno.Command(command, {
    args,
    env: childEnv(env),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const run = await child.output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: run.code, out: text(run.stdout), err: text(run.stderr) };
}

/** `main.ts` running as a child process. */
export interface MainProcess {
  child: Deno.ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with its exit code. */
  exited: Promise<number>;
}

/**
 * Runs `main.ts` with `env` over the parent environment minus every `BSS_*` variable, so
 * the child sees exactly the settings the test chose — in a data dir of its own (removed when
 * it exits) unless `env` names one.
 */
export function spawnMain(env: Record<string, string>, args: string[] = []): MainProcess {
  // Never the checkout's own data dir: an operator's instance may be running from it.
  const ownDir = env.BSS_DATA_DIR ? undefined : Deno.makeTempDirSync({ prefix: "bss_main_data_" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env: childEnv(ownDir ? { BSS_DATA_DIR: ownDir, ...env } : env),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const drain = async (stream: ReadableStream<Uint8Array<ArrayBuffer>>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) text += chunk;
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  return {
    child,
    output: () => text,
    exited: Promise.all([child.status, drained]).then(([s]) => {
      if (ownDir) Deno.removeSync(ownDir, { recursive: true });
      return s.code;
    }),
  };
}

/** Waits until `services` (default all) of a `main.ts` on `offset` answer `/health` 200. */
export async function waitHealthy(
  main: MainProcess,
  offset: number,
  { services = Object.keys(SERVICES) as ServiceName[], ms = 30_000 } = {},
): Promise<void> {
  const until = Date.now() + ms;
  let exited = false;
  main.exited.then(() => exited = true);
  for (const name of services) {
    const url = `http://127.0.0.1:${SERVICES[name].port + offset}/health`;
    for (;;) {
      if (exited) throw new Error(`main.ts exited before it was healthy:\n${main.output()}`);
      if (Date.now() > until) throw new Error(`${url} not healthy in time:\n${main.output()}`);
      const ok = await fetch(url).then(async (r) => (await r.body?.cancel(), r.ok), () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Sends `signal` and returns the exit code, failing when it takes longer than `ms`. */
export async function stopMain(
  main: MainProcess,
  { signal = "SIGINT" as Deno.Signal, ms = 5000 } = {},
): Promise<number> {
  main.child.kill(signal);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no exit within ${ms} ms:\n${main.output()}`)), ms);
  });
  try {
    return await Promise.race([main.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills `main` (SIGKILL) if it is still running; for `finally` blocks. */
export async function kill(main: MainProcess): Promise<void> {
  try {
    main.child.kill("SIGKILL");
  } catch { /* already exited */ }
  await main.exited;
}
