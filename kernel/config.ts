/**
 * The one configuration module: every `BSS_*` setting is read and validated here, once, at
 * start-up. Nothing else in the codebase reads the environment.
 *
 * @module
 */
import { z } from "zod";
import { parseTokenMap, type TokenMap } from "./tokens.ts";

const truthy = new Set(["1", "true", "yes", "on"]);
const flag = (fallback: boolean) =>
  z.string().optional().transform((v) =>
    v === undefined || v.trim() === "" ? fallback : truthy.has(v.trim().toLowerCase())
  );
const int = (fallback: number, min = 0) =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      ctx.addIssue({ code: "custom", message: `must be an integer >= ${min}, got "${v}"` });
      return z.NEVER;
    }
    return n;
  });
const url = (protocols: string[]) =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return undefined;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) throw new Error();
      return v;
    } catch {
      ctx.addIssue({ code: "custom", message: `must be a ${protocols.join(" or ")} URL` });
      return z.NEVER;
    }
  });

/** `<project>/.bss`: embedded Postgres data and generated tokens. */
export const DEFAULT_DATA_DIR = new URL("../.bss", import.meta.url).pathname;

/** The project folder: the knowledge index reads its `README.md` and `docs/`. */
export const DEFAULT_KNOWLEDGE_ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

const schema = z.object({
  BSS_ENV: z.enum(["development", "production", "test"]).default("development"),
  BSS_VERSION: z.string().default("0.1.0"),
  BSS_LOG_LEVEL: z.string().default("info").transform((v) => v.toLowerCase()).pipe(
    z.enum(["debug", "info", "warn", "error"]),
  ),
  /** Default: `.bss` in the project folder, wherever the process starts (the installed `bss`). */
  BSS_DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  BSS_HOST: z.string().default("127.0.0.1"),
  /** Who the CLI acts as (X-BSS-Actor on its calls). */
  BSS_OPERATOR: z.string().trim().min(1).default("cli-user"),
  /** Added to every service port; lets tests run isolated instances side by side. */
  BSS_PORT_OFFSET: int(0),
  BSS_DB_URL: url(["postgres:", "postgresql:"]),
  // Connections are opened on demand; drain loops (per kind) and requests share them.
  BSS_DB_POOL_SIZE: int(40, 1),
  // Generic plans: each statement planned once per connection (see kernel/db/connect.ts).
  BSS_DB_GENERIC_PLANS: flag(true),
  BSS_EMBEDDED_PG_PORT: int(54329, 1),
  BSS_RABBITMQ_URL: url(["amqp:", "amqps:"]),
  /** Unset: on only for the embedded sandbox database outside production (see below). */
  BSS_ALLOW_ADMIN_RESET: z.string().optional(),
  BSS_OUTBOX_RELAY_INTERVAL_MS: int(250, 1),
  BSS_OUTBOX_RELAY_BATCH_SIZE: int(100, 1),
  BSS_MQ_MAX_RETRIES: int(5),
  BSS_MQ_RETRY_BACKOFF_MS: int(5000, 1),
  BSS_MQ_PREFETCH: int(5, 1),
  BSS_ACTOR_WORKERS: int(2, 1),
  BSS_ACTOR_MAX_ATTEMPTS: int(5, 1),
  BSS_ACTOR_BACKOFF_MS: int(500, 1),
  BSS_ACTOR_POLL_MS: int(250, 1),
  BSS_ACTOR_BATCH_ACTORS: int(64, 1),
  BSS_ACTOR_BATCH_PER_ACTOR: int(16, 1),
  BSS_ASK_TIMEOUT_MS: int(10_000, 1),
  /** The largest request body a service accepts (413 beyond). */
  BSS_HTTP_BODY_LIMIT_BYTES: int(256 * 1024, 1),
  /** Order creation requires a verified KYC (docs/decisions.md: default on). */
  BSS_REQUIRE_KYC: flag(true),
  /** Reserving at or below this many available MSISDNs emits inventory.msisdn.pool_low. */
  BSS_INVENTORY_MSISDN_POOL_LOW_THRESHOLD: int(50),
  /** An order in progress this long (BSS clock) is flagged `order.stuck`, once. */
  BSS_ORDER_STUCK_THRESHOLD_SECONDS: int(900, 1),
  /** How often the stuck-order and abandoned-reservation sweepers run (0 turns them off). */
  BSS_RECONCILIATION_INTERVAL_SECONDS: int(60),
  /** A line reserved this long (BSS clock) whose order is no longer live goes back to the pool. */
  BSS_RESERVATION_TTL_SECONDS: int(1800, 1),
  /** Scales the provisioning simulator's work times: 1 as specified, 0 instant. */
  BSS_PROVISIONING_DELAY_SCALE: z.string().optional().transform((v, ctx) => {
    const n = v === undefined || v.trim() === "" ? 1 : Number(v);
    if (!Number.isFinite(n) || n < 0) {
      ctx.addIssue({ code: "custom", message: `must be a number >= 0, got "${v}"` });
      return z.NEVER;
    }
    return n;
  }),
  BSS_OTEL_ENABLED: flag(true),
  BSS_OTEL_EXPORTER_OTLP_ENDPOINT: url(["http:", "https:"]),
  BSS_OTEL_SERVICE_NAME_PREFIX: z.string().default("bss"),
  /** `statement`: a span per handler SQL statement; `summary`: counts and time on the turn's span. */
  BSS_OTEL_SQL_SPANS: z.enum(["statement", "summary"]).default("summary"),
  /** Jaeger's query API (e.g. http://127.0.0.1:16686): trace views read spans there. */
  BSS_JAEGER_QUERY_URL: url(["http:", "https:"]),
  /** Spans older than this are deleted from the span store (0 keeps them forever). */
  BSS_OTEL_RETENTION_HOURS: int(72),
  /** The folder whose `README.md` and `docs/` the knowledge index holds. */
  BSS_KNOWLEDGE_ROOT: z.string().default(DEFAULT_KNOWLEDGE_ROOT),
  /** Bring the knowledge index up to the files when the CRM role starts (cheap when fresh). */
  BSS_KNOWLEDGE_REINDEX_ON_START: flag(true),
  /** An OpenAI-compatible embeddings endpoint: turns on hybrid (pgvector + full-text) ranking. */
  BSS_EMBEDDINGS_BASE_URL: url(["http:", "https:"]),
  BSS_EMBEDDINGS_MODEL: z.string().trim().min(1).default("text-embedding-3-small"),
  BSS_EMBEDDINGS_API_KEY: z.string().optional(),
  /** Sent as `dimensions` when > 0 (models that can shorten their vectors). */
  BSS_EMBEDDINGS_DIMENSIONS: int(0),
  /** The operator's brand, shown by the portal and in its emails. */
  BSS_OPERATOR_NAME: z.string().trim().min(1).default("BSS Mobile"),
  BSS_OPERATOR_SUPPORT_EMAIL: z.string().trim().min(3).default("support@bss.local"),
  /** HMAC key of the portal's codes, links and grants (>= 32 chars; checked at portal start). */
  BSS_PORTAL_TOKEN_PEPPER: z.string().optional(),
  /** Base of magic links; default the portal's own address. */
  BSS_PORTAL_PUBLIC_URL: url(["http:", "https:"]),
  BSS_PORTAL_EMAIL_PROVIDER: z.enum(["logging", "resend"]).default("logging"),
  /** The `resend` provider: its API key, the sender, where its API is. */
  BSS_PORTAL_RESEND_API_KEY: z.string().trim().regex(/^re_\w+$/, "must be a Resend API key (re_…)")
    .optional(),
  BSS_PORTAL_EMAIL_FROM: z.string().trim().regex(
    /^(?:[^<>@]+ <)?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>?$/,
    'an address, or a name and an address: "BSS Mobile <no-reply@mail.example>"',
  ).optional(),
  BSS_PORTAL_RESEND_API_BASE: url(["http:", "https:"]),
  /** Where the `logging` email provider appends (one JSON line per message). */
  BSS_PORTAL_DEV_MAILBOX_PATH: z.string().optional(),
  /** Drops `Secure` from the portal's cookies (plain-http hosts other than localhost). */
  BSS_PORTAL_DEV_INSECURE_COOKIE: flag(false),
  BSS_PORTAL_LOGIN_TOKEN_TTL_S: int(900, 1),
  BSS_PORTAL_SESSION_TTL_S: int(86_400, 2),
  BSS_PORTAL_LOGIN_PER_EMAIL_MAX: int(3, 1),
  BSS_PORTAL_LOGIN_PER_EMAIL_WINDOW_S: int(900, 1),
  BSS_PORTAL_LOGIN_PER_IP_MAX: int(10, 1),
  BSS_PORTAL_LOGIN_PER_IP_WINDOW_S: int(3600, 1),
  BSS_PORTAL_VERIFY_PER_EMAIL_MAX: int(10, 1),
  BSS_PORTAL_VERIFY_PER_EMAIL_WINDOW_S: int(900, 1),
  BSS_PORTAL_STEPUP_PER_SESSION_MAX: int(5, 1),
  BSS_PORTAL_STEPUP_PER_SESSION_WINDOW_S: int(900, 1),
  BSS_PORTAL_STEPUP_TOKEN_TTL_S: int(300, 1),
  BSS_PORTAL_STEPUP_GRANT_TTL_S: int(60, 1),
  BSS_PORTAL_STEPUP_PENDING_TTL_S: int(600, 1),
  /** An OpenAI-compatible chat endpoint for the agent; unset: no model (slash commands only). */
  BSS_LLM_BASE_URL: url(["http:", "https:"]),
  /** The model called, and the agent's audit actor `llm-<model>` (`/` → `-`). */
  BSS_LLM_MODEL: z.string().trim().min(1).default("deepseek/deepseek-v4-pro"),
  BSS_LLM_API_KEY: z.string().optional(),
  BSS_LLM_MAX_TOKENS: int(2048, 1),
  /** A scripted model (docs/handbook fixture format): wins over the endpoint; tests, demos. */
  BSS_LLM_FIXTURE_PATH: z.string().trim().min(1).optional(),
  /** Tool calls one agent turn may make before it is stopped. */
  BSS_LLM_TOOL_CALL_BUDGET: int(24, 1),
  /** `granular`: each destructive call needs its /confirm; `batched`: one /confirm per turn. */
  BSS_REPL_LLM_AUTONOMY: z.string().default("granular").transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(["granular", "batched"])),
  /** Where OPERATOR.md, settings.toml and the REPL history live (default `<data dir>/cockpit`). */
  BSS_COCKPIT_DIR: z.string().trim().min(1).optional(),
  BSS_CHAT_RATE_PER_CUSTOMER_PER_HOUR: int(20, 1),
  BSS_CHAT_COST_CAP_PER_CUSTOMER_PER_MONTH_CENTS: int(200, 0),
  BSS_CHAT_RATE_PER_IP_PER_HOUR: int(60, 1),
  // Payments (docs/providers.md §3.4): the mock gateway, or Stripe with a secret key.
  BSS_PAYMENT_PROVIDER: z.enum(["mock", "stripe"]).default("mock"),
  BSS_PAYMENT_STRIPE_API_KEY: z.string().trim().regex(
    /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/,
    "must be a Stripe secret or restricted key (sk_test_…, sk_live_…)",
  ).optional(),
  BSS_PAYMENT_STRIPE_WEBHOOK_SECRET: z.string().trim().min(8).optional(),
  BSS_PAYMENT_STRIPE_API_BASE: url(["http:", "https:"]),
}).superRefine((c, ctx) => {
  for (const [name, message] of providerProblems(c)) {
    ctx.addIssue({ code: "custom", path: [name], message });
  }
});

/** The validated settings of this process. */
export type Config = Omit<z.infer<typeof schema>, "BSS_ALLOW_ADMIN_RESET"> & {
  BSS_ALLOW_ADMIN_RESET: boolean;
  /** Named API tokens (HMAC digests) → service identity. */
  tokens: TokenMap;
  /** Plain values of the tokens this process uses on its own outbound calls. */
  outboundTokens: Record<string, string>;
  /** `BSS_<SERVICE>_URL` overrides of where a service is reached (`crm`, `provisioning-sim`). */
  serviceUrls: Record<string, string>;
};

const NOT_SERVICES = new Set(["DB", "RABBITMQ", "LLM_BASE", "LOYALTY_BASE", "EMBEDDINGS_BASE"]);

function serviceUrls(env: Record<string, string | undefined>): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const m = /^BSS_([A-Z_]+)_URL$/.exec(name);
    if (!m || NOT_SERVICES.has(m[1]) || !value) continue;
    try {
      new URL(value);
    } catch {
      throw new ConfigError(`invalid configuration:\n  ${name}: must be an http(s) URL`);
    }
    urls[m[1].toLowerCase().replaceAll("_", "-")] = value.replace(/\/+$/, "");
  }
  return urls;
}

/** A configuration problem; the message names the variable, never a secret value. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Validates an environment (the process environment by default) into a {@link Config}.
 * `localTokens` supplies generated tokens when no `BSS_API_TOKEN` is set.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  localTokens?: () => Record<string, string>,
): Config {
  // Generated local secrets (tokens, the portal pepper) fill what the environment leaves out.
  const local = !env.BSS_API_TOKEN && localTokens ? localTokens() : {};
  const parsed = schema.safeParse({ ...local, ...env });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const { tokens, plain } = parseTokenMap({ ...env, ...local });
  return {
    ...parsed.data,
    BSS_ALLOW_ADMIN_RESET: allowAdminReset(parsed.data),
    tokens,
    outboundTokens: plain,
    serviceUrls: serviceUrls(env),
  };
}

/**
 * The rules between settings of the chosen providers: Stripe needs its key, and production
 * takes no test key (a live card is never charged by one); Resend needs its key and a sender.
 */
function providerProblems(c: {
  BSS_ENV: string;
  BSS_PAYMENT_PROVIDER: string;
  BSS_PAYMENT_STRIPE_API_KEY?: string;
  BSS_PORTAL_EMAIL_PROVIDER: string;
  BSS_PORTAL_RESEND_API_KEY?: string;
  BSS_PORTAL_EMAIL_FROM?: string;
}): [string, string][] {
  const problems: [string, string][] = [];
  const key = c.BSS_PAYMENT_STRIPE_API_KEY;
  if (c.BSS_PAYMENT_PROVIDER === "stripe" && !key) {
    problems.push(["BSS_PAYMENT_STRIPE_API_KEY", "required with BSS_PAYMENT_PROVIDER=stripe"]);
  }
  if (
    c.BSS_PAYMENT_PROVIDER === "stripe" && c.BSS_ENV === "production" && key?.includes("_test_")
  ) {
    problems.push(["BSS_PAYMENT_STRIPE_API_KEY", "a test key in production (BSS_ENV)"]);
  }
  if (c.BSS_PORTAL_EMAIL_PROVIDER === "resend") {
    for (const name of ["BSS_PORTAL_RESEND_API_KEY", "BSS_PORTAL_EMAIL_FROM"] as const) {
      if (!c[name]) problems.push([name, "required with BSS_PORTAL_EMAIL_PROVIDER=resend"]);
    }
  }
  return problems;
}

/**
 * Whether the clock and reset admin routes are open. Set explicitly, the flag decides. Unset,
 * they are open only on the embedded sandbox database (no `BSS_DB_URL`) outside production:
 * that database is the local throwaway the scenarios run against; a real one stays closed.
 */
function allowAdminReset(
  c: { BSS_ALLOW_ADMIN_RESET?: string; BSS_DB_URL?: string; BSS_ENV: string },
): boolean {
  const v = c.BSS_ALLOW_ADMIN_RESET?.trim();
  if (v) return truthy.has(v.toLowerCase());
  return c.BSS_DB_URL === undefined && c.BSS_ENV !== "production";
}

/** The process environment as a plain object: the only place `Deno.env` is read. */
export function processEnv(): Record<string, string> {
  return Deno.env.toObject();
}
