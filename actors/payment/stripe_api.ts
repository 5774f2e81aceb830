/**
 * A small client of Stripe's REST API (docs/providers.md §3.4): form-encoded requests with
 * bracketed nested keys, the secret key as a bearer token, an `Idempotency-Key` on every POST,
 * and Stripe's error body read into a {@link StripeApiError}. A network failure, a 429 or a 5xx
 * is tried again under the same key (Stripe replays a request it already ran), a few times.
 *
 * ```ts
 * const stripe = stripeApi({ apiKey: "sk_test_…", baseUrl: "https://api.stripe.com" });
 * const pi = await stripe.post("/v1/payment_intents", { amount: 2500, currency: "sgd" }, key);
 * ```
 *
 * @module
 */
import { setTimeout as delay } from "node:timers/promises";
import { log } from "../../kernel/log.ts";

/** An error Stripe answered (`{"error": {type, code, decline_code, message, …}}`). */
export class StripeApiError extends Error {
  override name = "StripeApiError";
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
    readonly declineCode: string | null,
    message: string,
    /** The error's own fields, e.g. the `payment_intent` of a card error. */
    readonly detail: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Where the API is and how hard to try. */
export interface StripeApiOptions {
  apiKey: string;
  /** `https://api.stripe.com`, or a stand-in speaking the same wire format. */
  baseUrl: string;
  /** Per request. Default 20 s. */
  timeoutMs?: number;
  /** Tries in all for a request that failed on the network, a 429 or a 5xx. Default 3. */
  tries?: number;
}

/** A Stripe object as answered: JSON. */
export type StripeObject = Record<string, unknown>;

/** The calls the adapter makes. */
export interface StripeApi {
  get(path: string): Promise<StripeObject>;
  post(
    path: string,
    params: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<StripeObject>;
}

/** A client of the API at `options.baseUrl`. */
export function stripeApi(options: StripeApiOptions): StripeApi {
  const tries = options.tries ?? 3;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const send = async (method: string, path: string, body?: string, key?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}` };
    if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    if (key !== undefined) headers["idempotency-key"] = key;
    for (let attempt = 1;; attempt++) {
      let response: Response | undefined;
      try {
        response = await fetch(`${options.baseUrl}${path}`, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        if (attempt >= tries) throw e;
        log.warn("payment.stripe.retry", { method, path, attempt, error: String(e) });
      }
      if (response) {
        const answer = await response.json().catch(() => ({}));
        log.info("payment.stripe.call", {
          method,
          path: path.replace(/\/(pm|pi|cus|ch|re)_\w+/g, "/$1_…"),
          status: response.status,
          request_id: response.headers.get("request-id"),
          replayed: response.headers.get("idempotent-replayed") === "true",
        });
        if (response.ok) return answer as StripeObject;
        const transient = response.status === 429 || response.status >= 500;
        if (!transient || attempt >= tries) throw apiError(response.status, answer);
      }
      await delay(200 * 2 ** (attempt - 1));
    }
  };
  return {
    get: (path) => send("GET", path),
    post: (path, params, key) => send("POST", path, formEncode(params), key),
  };
}

function apiError(status: number, answer: unknown): StripeApiError {
  const error = ((answer as { error?: StripeObject })?.error ?? {}) as StripeObject;
  const text = (v: unknown) => typeof v === "string" ? v : null;
  return new StripeApiError(
    status,
    text(error.type) ?? "api_error",
    text(error.code),
    text(error.decline_code),
    text(error.message) ?? `Stripe answered ${status}`,
    error,
  );
}

/**
 * Stripe's form encoding: nested objects as bracketed keys (`metadata[bss_purpose]=vas`),
 * booleans as `true`/`false`, undefined and null left out.
 */
export function formEncode(params: Record<string, unknown>): string {
  const form = new URLSearchParams();
  const add = (key: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (typeof value === "object") {
      for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    } else form.append(key, String(value));
  };
  for (const [k, v] of Object.entries(params)) add(k, v);
  return form.toString();
}
