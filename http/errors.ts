/**
 * The HTTP error model (docs/decisions.md "Errors and HTTP"): every failure leaves as JSON with a `code`
 * and TMF's `reason` and `status`.
 * PolicyViolation → 422, NotFound → 404, schema errors → 422 VALIDATION_ERROR, explicit
 * {@link HttpError}s as given, a lost database or an actor's late answer → 503, anything else →
 * 500 INTERNAL (logged). The typed client maps the same bodies back, so this file is the one
 * vocabulary of both sides.
 *
 * @module
 */
import type { Context, Hono, NotFoundHandler } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { AskTimeout } from "../actors/runtime/asks.ts";
import { isConnectionLoss } from "../kernel/db/connection_loss.ts";
import { isAnswer, ProviderUnavailable, toWireError } from "../kernel/errors.ts";
import { log } from "../kernel/log.ts";

/** The JSON body of every error reply. */
export interface ErrorBody {
  code: string;
  message: string;
  [field: string]: unknown;
}

/**
 * An error reply with a given status and body: thrown by handlers for the answers that are
 * neither a policy violation nor an unknown id (403 ADMIN_CLOCK_DISABLED, 422 INVALID_AT, …),
 * and by the typed client for any failed call it does not map to a kernel error.
 */
export class HttpError extends Error {
  override name = "HttpError";
  /**
   * @param upstream Set by the typed client: the call (`METHOD url`) that failed. Such an
   * error is another service's answer, so a server that lets it escape replies 502, not the
   * upstream status (a 401 or 422 there says nothing about this request).
   */
  constructor(readonly status: number, readonly body: ErrorBody, readonly upstream?: string) {
    super(`${upstream ? `${upstream}: ` : ""}${status} ${body.code}: ${body.message}`);
  }

  /** The body's `code`. */
  get code(): string {
    return this.body.code;
  }
}

/** One schema problem: where (`["body", "items", 0, "id"]`) and what. */
export interface Issue {
  path: (string | number)[];
  message: string;
}

/** The issues of a zod error, with symbol keys made printable. */
export function issuesOf(e: z.ZodError): Issue[] {
  return e.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: i.message,
  }));
}

/** A request that breaks its route's schemas; `issues` paths start at `params|query|body`. */
export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(readonly issues: Issue[]) {
    super("invalid request");
  }
}

/** The status and body an error leaves as. */
export function errorReply(err: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (isAnswer(err)) {
    const body = toWireError(err);
    return { status: body.code === "NOT_FOUND" ? 404 : 422, body };
  }
  if (err instanceof ValidationError || err instanceof z.ZodError) {
    const issues = err instanceof ValidationError ? err.issues : issuesOf(err);
    return { status: 422, body: { code: "VALIDATION_ERROR", message: "invalid request", issues } };
  }
  if (err instanceof HttpError && err.upstream) {
    log.warn("http.upstream_failed", { upstream: err.upstream, status: err.status, ...err.body });
    const message = `${err.upstream} failed: ${err.status} ${err.code}`;
    return { status: 502, body: { code: "UPSTREAM_ERROR", message } };
  }
  if (err instanceof HttpError) {
    return { status: err.status as ContentfulStatusCode, body: err.body };
  }
  if (isConnectionLoss(err)) {
    log.warn("http.database_unavailable", { error: String(err) });
    const message = "the database is unavailable; try again shortly";
    return { status: 503, body: { code: "DATABASE_UNAVAILABLE", message } };
  }
  if (err instanceof ProviderUnavailable) {
    log.warn("http.provider_unavailable", { provider: err.provider, error: err.message });
    const message = `${err.provider} is unavailable; nothing was done, try again shortly`;
    return { status: 503, body: { code: "PROVIDER_UNAVAILABLE", message } };
  }
  if (err instanceof AskTimeout) {
    // The message stays in the mailbox and may still be handled: not an answer either way.
    log.warn("http.answer_timeout", { error: err.message });
    const message = "no answer in time; the request may still complete";
    return { status: 503, body: { code: "ANSWER_TIMEOUT", message } };
  }
  log.error("http.unhandled", { error: String(err), stack: (err as Error)?.stack });
  return { status: 500, body: { code: "INTERNAL", message: "internal error" } };
}

/**
 * The body as it leaves: TMF's `reason` (a reason the body already gives, else the rule of a
 * policy violation, else the code) and
 * `status` (the HTTP status as a string) beside `code`, `message` and the rest.
 */
export function withTmfFields(body: ErrorBody, status: number): ErrorBody {
  const own = [body.reason, body.rule].find((r) => typeof r === "string");
  const reason = (own as string | undefined) ?? body.code;
  return { ...body, reason, status: String(status) };
}

/** An error reply in the standard shape, TMF's fields included. */
export function errorJson(c: Context, status: ContentfulStatusCode, body: ErrorBody): Response {
  return c.json(withTmfFields(body, status), status);
}

/** Hono `onError`: the JSON reply of a thrown error. */
export function onError(err: unknown, c: Context): Response {
  const { status, body } = errorReply(err);
  return errorJson(c, status, body);
}

/**
 * Hono `notFound` for `app`: 405 with `Allow` when the path is routed under other methods,
 * else 404. Both in the error shape above.
 */
// deno-lint-ignore no-explicit-any
export function notFound(app: Hono<any>): NotFoundHandler {
  let router = new TrieRouter<string>();
  let indexed = 0;
  return (c) => {
    // Routes are only ever added, so the index grows with them.
    if (indexed !== app.routes.length) {
      router = new TrieRouter<string>();
      for (const r of app.routes) if (r.method !== "ALL") router.add("ALL", r.path, r.method);
      indexed = app.routes.length;
    }
    const { method, path } = c.req;
    const allowed = [...new Set(router.match(method, path)[0].map(([m]) => m))];
    if (allowed.length) {
      c.header("Allow", allowed.join(", "));
      const message = `${method} is not allowed on ${path}`;
      return errorJson(c, 405, { code: "METHOD_NOT_ALLOWED", message });
    }
    const id = `${method} ${path}`;
    const body = { code: "NOT_FOUND", thing: "route", id, message: `no route ${id}` };
    return errorJson(c, 404, body);
  };
}
