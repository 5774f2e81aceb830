/**
 * The typed client: calls a route by its definition, so what it sends and what it accepts are
 * checked against the same zod schemas the server validates with.
 *
 * ```ts
 * const crm = createClient({ baseUrl: "http://127.0.0.1:8002", token, service: "com" });
 * const customer = await crm.call(getCustomer, { params: { id: "CUST-1a2b3c4d" } });
 * ```
 *
 * Errors come back as the kernel's: 422 POLICY_VIOLATION → {@link PolicyViolation}, 404 →
 * {@link NotFound}; anything else (other 4xx, 5xx, timeout, unreachable, a reply that breaks
 * the response schema) → {@link HttpError} with `upstream` set.
 *
 * @module
 */
import type { z } from "zod";
import { currentCaller } from "../kernel/context.ts";
import { fromWireError, NotFound, type WireError } from "../kernel/errors.ts";
import { maskUrlPans } from "../kernel/pan.ts";
import { tracedFetch } from "../kernel/telemetry/http.ts";
import { localSend } from "./local.ts";
import { type ErrorBody, HttpError, issuesOf } from "./errors.ts";
import { fillPath, type RouteSpec } from "./route.ts";
import { fromTmfWire } from "./tmf.ts";

/** Where and as whom a client calls. */
export interface ClientOptions {
  /** The service's base URL, e.g. `http://127.0.0.1:8002`. */
  baseUrl: string;
  /** Sent as `X-BSS-API-Token`; the callee derives this process's identity from it. */
  token: string;
  /** The calling service (its client spans' `bss.service`). */
  service: string;
  /** Per call; 5 s by default. */
  timeoutMs?: number;
}

/** Whether a wire value may be left out: it accepts undefined, or `{}` (all keys optional). */
// deno-lint-ignore ban-types
type Omissible<V> = undefined extends V ? true : {} extends V ? true : false;

/** One part of a call's input: required when its schema needs a value, absent without one. */
type Part<T, Name extends string> = T extends z.ZodType
  ? Omissible<z.input<T>> extends true ? { [K in Name]?: z.input<T> }
  : { [K in Name]: z.input<T> }
  : { [K in Name]?: never };

/**
 * What a call of route `S` takes: the wire form of its params, query and body, and an
 * `Idempotency-Key` for the routes that honour one (others ignore it).
 */
export type CallInput<S extends RouteSpec> =
  & Part<S["params"], "params">
  & Part<S["query"], "query">
  & Part<S["body"], "body">
  & { idempotencyKey?: string };

/** What a call of route `S` resolves to: the parsed response. */
export type CallResult<S extends RouteSpec> = z.output<S["response"]>;

// The input may be left out when every part of it is optional.
// deno-lint-ignore ban-types
type CallArgs<S extends RouteSpec> = {} extends CallInput<S> ? [input?: CallInput<S>]
  : [input: CallInput<S>];

/** A client of one service. */
export interface Client {
  /** Calls `route` and returns its parsed response. */
  call<S extends RouteSpec>(route: S, ...args: CallArgs<S>): Promise<CallResult<S>>;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** The error a non-2xx reply stands for. */
function replyError(status: number, text: string, upstream: string): Error {
  let body: ErrorBody;
  try {
    body = JSON.parse(text);
    if (typeof body?.code !== "string") throw new Error("no code");
  } catch {
    body = { code: `HTTP_${status}`, message: text.slice(0, 500) };
  }
  if (status === 422 && body.code === "POLICY_VIOLATION") {
    return fromWireError(body as WireError);
  }
  if (status === 404) {
    const { thing, id } = body as { thing?: string; id?: string };
    return new NotFound(thing ?? "resource", id ?? upstream);
  }
  return new HttpError(status, body, upstream);
}

/** The URL of a call: path parameters filled in, scalar query values appended. */
function urlOf(baseUrl: string, route: RouteSpec, input: Record<string, unknown>): URL {
  const params = (input.params ?? {}) as Record<string, unknown>;
  const url = new URL(
    fillPath(route.path, (name) => encodeURIComponent(String(params[name]))),
    baseUrl,
  );
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value === undefined || value === null) continue;
    url.searchParams.set(key, value instanceof Date ? value.toISOString() : String(value));
  }
  return url;
}

/** The perimeter and context headers: attribution comes from the current caller. */
function headersFor(token: string, json: boolean, key?: string): Record<string, string> {
  const who = currentCaller();
  return {
    "x-bss-api-token": token,
    "x-request-id": who.requestId ?? crypto.randomUUID(),
    "x-bss-actor": who.actor,
    "x-bss-channel": who.channel,
    ...json && { "content-type": "application/json" },
    ...key && { "idempotency-key": key },
  };
}

/** The parsed success reply; a reply that breaks the schema is drift, reported as 502. */
function decode<S extends RouteSpec>(route: S, text: string, upstream: string): CallResult<S> {
  let wire: unknown = text;
  try {
    wire = text === "" ? undefined : JSON.parse(text);
  } catch { /* not JSON: the schema will say so */ }
  const parsed = route.response.safeParse(route.tmf ? fromTmfWire(route.response, wire) : wire);
  if (parsed.success) return parsed.data as CallResult<S>;
  throw new HttpError(502, {
    code: "UPSTREAM_BAD_REPLY",
    message: "the reply does not match the route's response schema",
    issues: issuesOf(parsed.error),
  }, upstream);
}

/** A client for the service at `options.baseUrl`. */
export function createClient(options: ClientOptions): Client {
  const { baseUrl, token, service, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  return {
    async call<S extends RouteSpec>(route: S, ...[input]: CallArgs<S>): Promise<CallResult<S>> {
      const { body, idempotencyKey, ...rest } = (input ?? {}) as Record<string, unknown>;
      const url = urlOf(baseUrl, route, rest);
      const upstream = `${route.method} ${maskUrlPans(`${url.origin}${url.pathname}`)}`;
      let status: number;
      let text: string;
      try {
        const response = await tracedFetch(url, {
          method: route.method,
          headers: headersFor(token, body !== undefined, idempotencyKey as string | undefined),
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        }, { service, send: localSend(url) });
        status = response.status;
        text = await response.text();
      } catch (e) {
        if (e instanceof DOMException && e.name === "TimeoutError") {
          const message = `no reply within ${timeoutMs} ms`;
          throw new HttpError(504, { code: "UPSTREAM_TIMEOUT", message }, upstream);
        }
        const message = (e as Error).message;
        throw new HttpError(503, { code: "UPSTREAM_UNAVAILABLE", message }, upstream);
      }
      if (status < 200 || status > 299) throw replyError(status, text, upstream);
      return decode(route, text, upstream);
    },
  };
}
