/**
 * The Stripe API client (docs/providers.md §3.4): Stripe's own SDK (`npm:stripe`) over fetch,
 * pointed at `https://api.stripe.com` or at a stand-in that speaks the same wire format. The
 * SDK sends every POST with the idempotency key given and tries a request again under that key
 * after a network error, a 409 lock, a 429 or a 5xx (Stripe replays what it already did). The SDK
 * is loaded on the first call, so a system on the mock gateway (and every CLI run) never loads it.
 *
 * @module
 */
import type Stripe from "stripe";

/** Where the API is and how hard to try. */
export interface StripeApiOptions {
  apiKey: string;
  /** `https://api.stripe.com`, or a stand-in speaking the same wire format. */
  baseUrl: string;
  /** Per request. Default 20 s. */
  timeoutMs?: number;
  /** Tries after the first for a request that failed in a way worth trying again. Default 2. */
  retries?: number;
}

/** The SDK's module, once a client has loaded it. */
let sdk: typeof Stripe | undefined;

/** A Stripe client, made (and the SDK loaded) on first use. */
export type StripeClient = () => Promise<Stripe>;

/** A Stripe client for `options`. */
export function stripeApi(options: StripeApiOptions): StripeClient {
  let client: Promise<Stripe> | undefined;
  return () =>
    client ??= import("stripe").then(({ default: StripeSdk }) => {
      sdk = StripeSdk;
      const url = new URL(options.baseUrl);
      const protocol = url.protocol === "http:" ? "http" : "https";
      return new StripeSdk(options.apiKey, {
        httpClient: StripeSdk.createFetchHttpClient(),
        host: url.hostname,
        port: url.port || (protocol === "http" ? 80 : 443),
        protocol,
        maxNetworkRetries: options.retries ?? 2,
        timeout: options.timeoutMs ?? 20_000,
        telemetry: false,
      });
    });
}

/** An error Stripe answered (a decline, a refusal, an outage), as the SDK throws it. */
export type StripeApiError = Stripe.errors.StripeError;

/** Whether `e` is an error Stripe's API answered, or the SDK met on the way there. */
export function isStripeError(e: unknown): e is StripeApiError {
  return sdk !== undefined && e instanceof sdk.errors.StripeError;
}
