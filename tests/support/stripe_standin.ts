/**
 * A local stand-in for the Stripe API, so the real Stripe adapter is tested over HTTP with no
 * live service. It speaks Stripe's wire format for a subset: customers, the documented test
 * PaymentMethods (`pm_card_visa`, `pm_card_chargeDeclinedInsufficientFunds`, ...), attach,
 * off-session PaymentIntents, refunds, read-backs, and Checkout Sessions in setup mode with a
 * hosted page (`/c/pay/<session id>`, no key: it is the customer's browser) that saves a test
 * card. Bodies are form-encoded with bracket keys, answers are JSON with a `Request-Id`, errors
 * have Stripe's `{"error":{...}}` shape, and `Idempotency-Key` works as Stripe documents it:
 * the first answer is saved once the endpoint has begun executing (so parameter validation
 * errors, a 401 and injected failures are not saved), a retry with the same parameters replays
 * it with `Idempotent-Replayed: true`, other parameters are an `idempotency_error`. The events
 * it would send are kept, and `deliver` posts one to a webhook endpoint signed as Stripe signs
 * it.
 *
 * @module
 */

type Obj = Record<string, unknown>;

/** A Stripe Event object. */
export interface StripeEvent {
  id: string;
  object: "event";
  type: string;
  created: number;
  livemode: false;
  api_version: string;
  data: { object: Record<string, unknown> };
  pending_webhooks?: number;
  /** The API request that caused it (`id` null when Stripe itself did). */
  request?: { id: string | null; idempotency_key: string | null };
}

/** A request the stand-in received. */
export interface SeenStripeRequest {
  method: string;
  path: string;
  /** Form (or query) parameters with their keys as sent, e.g. `metadata[bss_purpose]`. */
  params: Record<string, string>;
  idempotencyKey: string | null;
  /** Whether it was answered from a saved idempotent result. */
  replayed: boolean;
}

/** A running stand-in. */
export interface StripeStandIn {
  /** Base URL, e.g. `http://127.0.0.1:PORT` (no trailing slash); the adapter appends `/v1/...`. */
  url: string;
  /** The secret key it accepts. */
  apiKey: string;
  /** Every request received, oldest first. */
  requests: SeenStripeRequest[];
  /** Events the stand-in generated, oldest first. */
  events: StripeEvent[];
  /** Makes the next `n` API requests answer `status` (default 500) without doing anything. */
  failNext(n: number, status?: number): void;
  /** An object as currently stored (a copy), or undefined. */
  get(id: string): Record<string, unknown> | undefined;
  /** Refunds what is left of a payment intent's charge "from the dashboard": `charge.refunded`. */
  refundFromDashboard(paymentIntentId: string): StripeEvent;
  /** Opens a dispute on a payment intent's charge: `charge.dispute.created`. */
  openDispute(paymentIntentId: string): StripeEvent;
  /**
   * Does what submitting the hosted Checkout page does: saves `card` (a test PaymentMethod id,
   * default `pm_card_visa`) for the session's customer and completes the session. Answers the
   * success URL with `{CHECKOUT_SESSION_ID}` filled in; throws when the session is unknown or
   * not open, or the card is not a test card.
   */
  completeCheckout(sessionId: string, card?: string): string;
  /** Expires an open Checkout Session as Stripe does after 24 hours: `checkout.session.expired`. */
  expireCheckout(sessionId: string): StripeEvent;
  /**
   * POSTs one event to `url` as Stripe does: the JSON body (pretty-printed, as Stripe sends it)
   * with a `Stripe-Signature` signed with `secret`. `at` overrides the timestamp (seconds);
   * `tamper` changes one character of the event id after signing.
   */
  deliver(
    url: string,
    event: StripeEvent,
    secret: string,
    opts?: { at?: number; tamper?: boolean },
  ): Promise<Response>;
  stop(): Promise<void>;
}

/** The API version stamped on events. */
export const STRIPE_API_VERSION = "2024-06-20";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const DOCS = "https://stripe.com/docs";
const NO_KEY = "You did not provide an API key. You need to provide your API key in the " +
  "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). " +
  `See ${DOCS}/api#authentication for details, or we can help at https://support.stripe.com/.`;
/** Test-mode deliveries carry an extra `v0` signature made with a key nobody has. */
const V0_SECRET = "whsec_standin_test_mode_v0_not_a_real_secret";

/** A prefix and `length` random alphanumerics. */
function newId(prefix: string, length = 24): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return prefix + Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join("");
}

const now = () => Math.floor(Date.now() / 1000);
/** An amount in minor units as Stripe's messages show it, e.g. `0.50 usd`. */
const money = (n: number, currency: unknown) => `${(n / 100).toFixed(2)} ${currency}`;

// Its own HMAC, not the adapter's (`actors/payment/stripe_signature.ts`): a signature made by
// the code that checks it would prove nothing about that code.
async function hmacHex(secret: string, payload: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(payload)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The `Stripe-Signature` value for `payload` at `t` (seconds): `t=<t>,v1=<hex HMAC-SHA256>`. */
export async function stripeSignature(payload: string, secret: string, t: number): Promise<string> {
  return `t=${t},v1=${await hmacHex(secret, `${t}.${payload}`)}`;
}

/** A Stripe error answer; `validation` ones happen before the endpoint runs (never saved). */
class ApiError extends Error {
  constructor(readonly status: number, readonly error: Obj, readonly validation = false) {
    super(String(error.message));
  }
}

function invalid(message: string, extra: Obj = {}, status = 400, validation = false): ApiError {
  const code = extra.code as string | undefined;
  const doc = code ? { doc_url: `${DOCS}/error-codes/${code.replaceAll("_", "-")}` } : {};
  return new ApiError(
    status,
    { type: "invalid_request_error", ...extra, ...doc, message },
    validation,
  );
}

const badParam = (message: string, param: string, code?: string) =>
  invalid(message, code ? { code, param } : { param }, 400, true);

/** Parses bracket keys (`metadata[a]=1`, `expand[]=x`, `expand[0]=x`) into nested values. */
function nest(flat: [string, string][]): Obj {
  const root: Obj = {};
  for (const [key, value] of flat) {
    const m = key.match(/^([^[\]]+)((?:\[[^[\]]*\])*)$/);
    if (!m) {
      root[key] = value;
      continue;
    }
    const path = [m[1], ...Array.from(m[2].matchAll(/\[([^[\]]*)\]/g), (x) => x[1])];
    let node = root;
    for (const [i, seg] of path.entries()) {
      if (i === path.length - 1) node[seg] = value;
      else if (path[i + 1] === "") { // `key[]=v` appends
        if (!Array.isArray(node[seg])) node[seg] = [];
        (node[seg] as unknown[]).push(value);
        break;
      } else {
        if (typeof node[seg] !== "object" || node[seg] === null) node[seg] = {};
        node = node[seg] as Obj;
      }
    }
  }
  const arrays = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
    const entries = Object.entries(v).map(([k, x]) => [k, arrays(x)] as const);
    const numeric = entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k));
    return numeric ? entries.map(([, x]) => x) : Object.fromEntries(entries);
  };
  return arrays(root) as Obj;
}

/** Refuses the first parameter not in `known` (space-separated), as Stripe does. */
function allow(p: Obj, known: string): void {
  const unknown = Object.keys(p).find((k) => !known.split(" ").includes(k));
  if (unknown) {
    throw badParam(`Received unknown parameter: ${unknown}`, unknown, "parameter_unknown");
  }
}

function str(p: Obj, key: string, required = false): string | null {
  const v = p[key];
  if (v === undefined || v === "") {
    if (required) throw badParam(`Missing required param: ${key}.`, key, "parameter_missing");
    return null;
  }
  if (typeof v !== "string") throw badParam(`Invalid string: ${JSON.stringify(v)}`, key);
  return v;
}

function int(p: Obj, key: string, required = false): number | null {
  const v = str(p, key, required);
  if (v === null) return null;
  if (!/^-?\d+$/.test(v)) {
    throw badParam(`Invalid integer: ${v}`, key, "parameter_invalid_integer");
  }
  const n = Number(v);
  if (n < 1) {
    throw badParam(
      "This value must be greater than or equal to 1.",
      key,
      "parameter_invalid_integer",
    );
  }
  return n;
}

function bool(p: Obj, key: string): boolean {
  const v = str(p, key);
  if (v === null || v === "false") return false;
  if (v === "true") return true;
  throw badParam(`Invalid boolean: ${v}`, key);
}

function metadata(p: Obj): Record<string, string> {
  const v = p.metadata ?? {};
  if (v === "") return {};
  if (typeof v !== "object" || Array.isArray(v)) throw badParam("Invalid object", "metadata");
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== "string") throw badParam("Invalid string", `metadata[${k}]`);
    if (x !== "") out[k] = x;
  }
  return out;
}

/** Stripe's documented test PaymentMethods, and how a charge on each ends. */
const TEST_CARDS: Record<string, { brand: string; last4: string; decline?: string[] }> = {
  pm_card_visa: { brand: "visa", last4: "4242" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444" },
  pm_card_amex: { brand: "amex", last4: "8431" },
  pm_card_chargeDeclined: {
    brand: "visa",
    last4: "0002",
    decline: ["card_declined", "generic_decline", "Your card was declined."],
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: "visa",
    last4: "9995",
    decline: ["card_declined", "insufficient_funds", "Your card has insufficient funds."],
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: "visa",
    last4: "0069",
    decline: ["expired_card", "expired_card", "Your card has expired."],
  },
};

/** Stripe's minimum charge amounts (minor units) for a few currencies; 50 otherwise. */
const MINIMUM: Record<string, number> = { gbp: 30, dkk: 250, nok: 300, sek: 300, hkd: 400 };

/** The test cards the hosted Checkout page offers, the first one checked. */
const CHECKOUT_CARDS = [
  "pm_card_visa",
  "pm_card_mastercard",
  "pm_card_chargeDeclined",
  "pm_card_chargeDeclinedInsufficientFunds",
];

/** How the hosted page names a test card, e.g. `Visa •••• 4242`. */
function cardLabel(testId: string): string {
  const { brand, last4, decline } = TEST_CARDS[testId];
  const name = brand[0].toUpperCase() + brand.slice(1);
  return `${name} •••• ${last4}${decline ? ` (charges decline: ${decline[1]})` : ""}`;
}

const esc = (v: unknown) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An HTML page of the hosted Checkout. */
function page(status: number, body: string): Response {
  const html = '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">' +
    "<title>Stripe stand-in — test mode checkout</title></head>\n<body>\n" + body +
    "\n</body>\n</html>\n";
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

/** How a resource is named in "No such ..." messages. */
const NAMES: Record<string, string> = { payment_method: "PaymentMethod" };

/** Starts a stand-in on an ephemeral port. */
export function startStripeStandIn(
  opts: { apiKey?: string; port?: number } = {},
): Promise<StripeStandIn> {
  const apiKey = opts.apiKey ?? newId("sk_test_standin_");
  const requests: SeenStripeRequest[] = [];
  const events: StripeEvent[] = [];
  const store = new Map<string, Obj>();
  /** Created PaymentMethod id → the test PaymentMethod whose behaviour it has. */
  const behaviour = new Map<string, string>();
  /** PaymentMethods used without a customer: never usable again. */
  const spent = new Set<string>();
  const saved = new Map<string, Obj & { status: number; body: unknown }>();
  const failures: number[] = [];
  let current: { id: string | null; idempotency_key: string | null } = {
    id: null,
    idempotency_key: null,
  };

  const emit = (type: string, object: Obj): StripeEvent => {
    const event: StripeEvent = {
      id: newId("evt_"),
      object: "event",
      type,
      created: now(),
      livemode: false,
      api_version: STRIPE_API_VERSION,
      data: { object: structuredClone(object) },
      pending_webhooks: 1,
      request: { ...current },
    };
    events.push(event);
    return event;
  };

  const lookup = (kind: string, id: string | null, param: string): Obj => {
    const obj = id === null ? undefined : store.get(id);
    if (obj?.object === kind) return obj;
    throw invalid(`No such ${NAMES[kind] ?? kind}: '${id}'`, {
      code: "resource_missing",
      param,
    }, 404);
  };

  const testPaymentMethod = (testId: string, id = testId): Obj => ({
    id,
    object: "payment_method",
    billing_details: {
      address: {
        city: null,
        country: null,
        line1: null,
        line2: null,
        postal_code: null,
        state: null,
      },
      email: null,
      name: null,
      phone: null,
    },
    card: {
      brand: TEST_CARDS[testId].brand,
      country: "US",
      exp_month: 12,
      exp_year: new Date().getUTCFullYear() + 3,
      funding: "credit",
      last4: TEST_CARDS[testId].last4,
    },
    created: now(),
    customer: null,
    livemode: false,
    metadata: {},
    type: "card",
  });

  /** A test id makes a fresh PaymentMethod each time it is used, as Stripe's do. */
  const paymentMethod = (id: string, param: string): Obj => {
    if (!(id in TEST_CARDS)) return lookup("payment_method", id, param);
    const pm = testPaymentMethod(id, newId("pm_"));
    store.set(pm.id as string, pm);
    behaviour.set(pm.id as string, id);
    return pm;
  };

  const createCustomer = (p: Obj) => {
    allow(p, "email name description phone metadata expand");
    const customer = {
      id: newId("cus_"),
      object: "customer",
      created: now(),
      description: str(p, "description"),
      email: str(p, "email"),
      livemode: false,
      metadata: metadata(p),
      name: str(p, "name"),
      phone: str(p, "phone"),
    };
    store.set(customer.id, customer);
    emit("customer.created", customer);
    return customer;
  };

  const attach = (p: Obj, id: string) => {
    allow(p, "customer expand");
    const customer = str(p, "customer", true);
    if (!(id in TEST_CARDS)) lookup("payment_method", id, "payment_method");
    lookup("customer", customer, "customer");
    const pm = paymentMethod(id, "payment_method");
    if (pm.customer === customer) return pm;
    if (pm.customer) {
      throw invalid("The payment method you provided has already been attached to a customer.");
    }
    if (spent.has(pm.id as string)) {
      throw invalid(
        "This PaymentMethod was previously used without being attached to a Customer or was " +
          "detached from a Customer, and may not be used again.",
      );
    }
    pm.customer = customer;
    emit("payment_method.attached", pm);
    return pm;
  };

  /** Runs a charge for `pi` on `pm`; a decline answers 402 after recording the failure. */
  const confirm = (pi: Obj, pm: Obj): Obj => {
    if (!pi.customer) spent.add(pm.id as string);
    const decline = TEST_CARDS[behaviour.get(pm.id as string) ?? "pm_card_visa"].decline;
    const [code, declineCode, message] = decline ?? [];
    const { brand, last4, exp_month, exp_year, funding, country } = pm.card as Obj;
    const charge: Obj = {
      id: newId("ch_"),
      object: "charge",
      amount: pi.amount,
      amount_captured: decline ? 0 : pi.amount,
      amount_refunded: 0,
      captured: !decline,
      created: now(),
      currency: pi.currency,
      customer: pi.customer,
      description: pi.description,
      disputed: false,
      failure_code: code ?? null,
      failure_message: message ?? null,
      livemode: false,
      metadata: pi.metadata,
      outcome: decline
        ? { network_status: "declined_by_network", reason: declineCode, type: "issuer_declined" }
        : { network_status: "approved_by_network", reason: null, type: "authorized" },
      paid: !decline,
      payment_intent: pi.id,
      payment_method: pm.id,
      payment_method_details: {
        type: "card",
        card: { brand, last4, exp_month, exp_year, funding, country },
      },
      refunded: false,
      status: decline ? "failed" : "succeeded",
    };
    store.set(charge.id as string, charge);
    pi.latest_charge = charge.id;
    if (!decline) {
      Object.assign(pi, { status: "succeeded", amount_received: pi.amount });
      emit("charge.succeeded", charge);
      emit("payment_intent.succeeded", pi);
      return pi;
    }
    const error = {
      type: "card_error",
      code,
      decline_code: declineCode,
      doc_url: `${DOCS}/error-codes/${code.replaceAll("_", "-")}`,
      message,
      charge: charge.id,
    };
    Object.assign(pi, {
      status: "requires_payment_method",
      payment_method: null,
      last_payment_error: { ...error, payment_method: structuredClone(pm) },
    });
    emit("charge.failed", charge);
    emit("payment_intent.payment_failed", pi);
    throw new ApiError(402, {
      ...error,
      payment_intent: structuredClone(pi),
      payment_method: structuredClone(pm),
    });
  };

  /** The PaymentMethod a PaymentIntent may use, by Stripe's attachment rules. */
  const usable = (id: string, customer: string | null): Obj => {
    const existing = id in TEST_CARDS ? null : lookup("payment_method", id, "payment_method");
    const owner = existing?.customer ?? null;
    if (customer && owner !== customer) {
      throw invalid(
        `The customer does not have a payment method with the ID ${id}. The payment method ` +
          "must be attached to the customer.",
        { param: "payment_method" },
      );
    }
    if (!customer && owner) {
      throw invalid(
        `The \`payment_method\` parameter supplied ${id} belongs to the Customer ${owner}. ` +
          "Please include the Customer in the `customer` parameter on the PaymentIntent.",
        { param: "payment_method" },
      );
    }
    if (spent.has(id)) {
      throw invalid(
        "The provided PaymentMethod was previously used with a PaymentIntent without Customer " +
          "attachment, shared with a connected account without Customer attachment, or was " +
          "detached from a Customer. It may not be used again. To use a PaymentMethod multiple " +
          "times, you must attach it to a Customer first.",
        { param: "payment_method" },
      );
    }
    return existing ?? paymentMethod(id, "payment_method");
  };

  const createPaymentIntent = (p: Obj) => {
    allow(
      p,
      "amount currency customer payment_method confirm off_session metadata description " +
        "payment_method_types automatic_payment_methods return_url expand",
    );
    const amount = int(p, "amount", true)!;
    const currency = str(p, "currency", true)!.toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw badParam(`Invalid currency: ${currency}`, "currency");
    const [wantConfirm, offSession] = [bool(p, "confirm"), bool(p, "off_session")];
    const pmId = str(p, "payment_method");
    const meta = metadata(p);
    if (offSession && !wantConfirm) {
      throw badParam("off_session can only be used when confirm=true.", "off_session");
    }
    const min = MINIMUM[currency] ?? 50;
    if (amount < min) {
      throw invalid(`Amount must be at least ${money(min, currency)}`, {
        code: "amount_too_small",
        param: "amount",
      });
    }
    const customer = str(p, "customer");
    if (customer !== null) lookup("customer", customer, "customer");
    if (wantConfirm && pmId === null) {
      throw invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method.",
        { code: "payment_intent_unexpected_state" },
      );
    }
    const pm = pmId === null ? null : usable(pmId, customer);
    const id = newId("pi_");
    const pi: Obj = {
      id,
      object: "payment_intent",
      amount,
      amount_received: 0,
      capture_method: "automatic",
      client_secret: newId(`${id}_secret_`, 25),
      confirmation_method: "automatic",
      created: now(),
      currency,
      customer,
      description: str(p, "description"),
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: meta,
      payment_method: pm?.id ?? null,
      payment_method_types: ["card"],
      status: pm ? "requires_confirmation" : "requires_payment_method",
    };
    store.set(id, pi);
    emit("payment_intent.created", pi);
    return wantConfirm && pm ? confirm(pi, pm) : pi;
  };

  /** Refunds `amount` (default: what is left) of a succeeded charge; `charge.refunded`. */
  const refund = (charge: Obj, amount: number | null, extra: Obj = {}) => {
    const left = (charge.amount as number) - (charge.amount_refunded as number);
    if (left === 0) {
      throw invalid(`Charge ${charge.id} has already been refunded.`, {
        code: "charge_already_refunded",
      });
    }
    if (amount !== null && amount > left) {
      throw invalid(
        `Refund amount (${money(amount, charge.currency)}) is greater than unrefunded amount ` +
          `on charge (${money(left, charge.currency)})`,
        { code: "amount_too_large", param: "amount" },
      );
    }
    const re = {
      id: newId("re_"),
      object: "refund",
      amount: amount ?? left,
      balance_transaction: null,
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      metadata: {},
      payment_intent: charge.payment_intent,
      reason: null,
      status: "succeeded",
      ...extra,
    };
    store.set(re.id, re);
    charge.amount_refunded = (charge.amount_refunded as number) + re.amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return { refund: re, event: emit("charge.refunded", charge) };
  };

  /** The succeeded charge of a payment intent (for refunds and disputes). */
  const succeededCharge = (pi: Obj): Obj => {
    if (pi.status !== "succeeded") {
      throw invalid(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`);
    }
    return store.get(pi.latest_charge as string)!;
  };

  const createRefund = (p: Obj) => {
    allow(p, "payment_intent charge amount reason metadata expand");
    const [piId, chargeId] = [str(p, "payment_intent"), str(p, "charge")];
    if (piId === null && chargeId === null) {
      throw badParam(
        "One of the following params should be provided for this request: payment_intent or " +
          "charge.",
        "payment_intent",
        "parameter_missing",
      );
    }
    const amount = int(p, "amount");
    const reason = str(p, "reason");
    if (reason && !["duplicate", "fraudulent", "requested_by_customer"].includes(reason)) {
      throw badParam(
        "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer",
        "reason",
      );
    }
    const meta = metadata(p);
    const charge = piId !== null
      ? succeededCharge(lookup("payment_intent", piId, "payment_intent"))
      : lookup("charge", chargeId, "charge");
    if (chargeId !== null && charge.id !== chargeId) {
      throw invalid(`Charge ${chargeId} does not belong to PaymentIntent ${piId}.`);
    }
    if (charge.status !== "succeeded") throw invalid("Cannot refund a failed payment.");
    return refund(charge, amount, { reason, metadata: meta }).refund;
  };

  /** Creates a Checkout Session; only `mode=setup` (saving a card for a customer) is served. */
  const createCheckout = (p: Obj) => {
    allow(
      p,
      "mode customer success_url cancel_url payment_method_types currency metadata expand",
    );
    const mode = str(p, "mode", true)!;
    if (!["payment", "setup", "subscription"].includes(mode)) {
      throw badParam("Invalid mode: must be one of payment, setup, or subscription", "mode");
    }
    if (mode !== "setup") throw badParam("The Stripe stand-in serves only mode=setup.", "mode");
    const customer = str(p, "customer", true);
    const [successUrl, cancelUrl] = [str(p, "success_url", true)!, str(p, "cancel_url")];
    for (const [param, v] of [["success_url", successUrl], ["cancel_url", cancelUrl]] as const) {
      if (v !== null && !/^https?:\/\/[^/?#\s]+\S*$/.test(v)) {
        throw badParam("Not a valid URL", param, "url_invalid");
      }
    }
    const types = p.payment_method_types ?? ["card"];
    if (!Array.isArray(types) || types.some((t) => t !== "card")) {
      throw badParam(
        "The Stripe stand-in's Checkout takes only payment_method_types[0]=card.",
        "payment_method_types",
      );
    }
    // Setup mode with the payment methods left to Stripe (as API versions since 2023 send it)
    // needs the currency of the payments the saved card is for.
    const currency = str(p, "currency", p.payment_method_types === undefined)?.toLowerCase() ??
      null;
    if (currency !== null && !/^[a-z]{3}$/.test(currency)) {
      throw badParam(`Invalid currency: ${currency}`, "currency");
    }
    const meta = metadata(p);
    lookup("customer", customer, "customer");
    const [id, created] = [newId("cs_test_", 58), now()];
    const session = {
      id,
      object: "checkout.session",
      cancel_url: cancelUrl,
      created,
      currency,
      customer,
      expires_at: created + 86_400,
      livemode: false,
      metadata: meta,
      mode,
      payment_method_types: ["card"],
      payment_status: "no_payment_required",
      setup_intent: null,
      status: "open",
      success_url: successUrl,
      url: `http://127.0.0.1:${server.addr.port}/c/pay/${id}`,
    };
    store.set(id, session);
    return session;
  };

  /** An open Checkout Session, or why not: 404 (unknown) or 410 (complete or expired). */
  const openSession = (id: string): Obj | 404 | 410 => {
    const cs = store.get(id);
    if (cs?.object !== "checkout.session") return 404;
    return cs.status === "open" ? cs : 410;
  };

  /** The open session `id` for the test helpers, or an Error saying why not. */
  const openOrThrow = (id: string): Obj => {
    const cs = openSession(id);
    if (typeof cs === "number") {
      throw new Error(`Checkout Session ${id} is ${cs === 404 ? "unknown" : "not open"}`);
    }
    return cs;
  };

  /** Saves a fresh PaymentMethod from `card` for the customer; answers the success URL. */
  const completeSession = (cs: Obj, card: string): string => {
    const pm = paymentMethod(card, "payment_method");
    pm.customer = cs.customer;
    emit("payment_method.attached", pm);
    const seti = {
      id: newId("seti_"),
      object: "setup_intent",
      cancellation_reason: null,
      created: now(),
      customer: cs.customer,
      last_setup_error: null,
      livemode: false,
      metadata: {},
      payment_method: pm.id,
      payment_method_types: ["card"],
      status: "succeeded",
      usage: "off_session",
    };
    store.set(seti.id, seti);
    emit("setup_intent.succeeded", seti);
    Object.assign(cs, { status: "complete", setup_intent: seti.id, url: null });
    emit("checkout.session.completed", cs);
    return (cs.success_url as string).replaceAll("{CHECKOUT_SESSION_ID}", cs.id as string);
  };

  const expireSession = (cs: Obj): StripeEvent => {
    Object.assign(cs, { status: "expired", url: null });
    return emit("checkout.session.expired", cs);
  };

  /** `POST /v1/checkout/sessions/:id/expire`. */
  const expireOpen = (p: Obj, id: string) => {
    allow(p, "expand");
    const cs = lookup("checkout.session", id, "session");
    if (cs.status !== "open") {
      throw invalid('Only Checkout Sessions with a status in ["open"] can be expired.');
    }
    expireSession(cs);
    return cs;
  };

  /** The hosted Checkout page, as the customer's browser sees it (no API key). */
  const hosted = (method: string, id: string, form: Record<string, string>): Response => {
    const cs = openSession(id);
    if (cs === 404) return page(404, "<h1>No such checkout session</h1>");
    if (cs === 410) return page(410, "<h1>This checkout session is no longer open</h1>");
    if (method === "POST") {
      const card = form.card ?? "";
      if (!Object.hasOwn(TEST_CARDS, card)) {
        return page(400, `<h1>Unknown test card: ${esc(card)}</h1>`);
      }
      return new Response(null, { status: 303, headers: { location: completeSession(cs, card) } });
    }
    if (method !== "GET") return page(405, "<h1>Method not allowed</h1>");
    const radios = CHECKOUT_CARDS.map((c, i) =>
      `<p><label><input type="radio" name="card" value="${c}"${i ? "" : " checked"}> ` +
      `${esc(cardLabel(c))}</label></p>`
    );
    const back = cs.cancel_url ? `\n<p><a href="${esc(cs.cancel_url)}">Back</a></p>` : "";
    return page(
      200,
      `<h1>Test mode checkout</h1>\n<form method="post" action="/c/pay/${esc(id)}">\n` +
        `${radios.join("\n")}\n<button type="submit">Save card</button>\n</form>${back}`,
    );
  };

  const read = (kind: string, param = "id") => (p: Obj, id: string) => {
    allow(p, "expand");
    if (kind === "payment_method" && id in TEST_CARDS) return testPaymentMethod(id);
    return lookup(kind, id, param);
  };

  const routes: Array<[string, RegExp, (p: Obj, id: string) => Obj]> = [
    ["POST", /^\/v1\/customers$/, createCustomer],
    ["GET", /^\/v1\/customers\/([^/]+)$/, read("customer")],
    ["GET", /^\/v1\/payment_methods\/([^/]+)$/, read("payment_method")],
    ["POST", /^\/v1\/payment_methods\/([^/]+)\/attach$/, attach],
    ["POST", /^\/v1\/payment_intents$/, createPaymentIntent],
    ["GET", /^\/v1\/payment_intents\/([^/]+)$/, read("payment_intent")],
    ["GET", /^\/v1\/charges\/([^/]+)$/, read("charge")],
    ["POST", /^\/v1\/refunds$/, createRefund],
    ["GET", /^\/v1\/refunds\/([^/]+)$/, read("refund")],
    ["GET", /^\/v1\/disputes\/([^/]+)$/, read("dispute")],
    ["POST", /^\/v1\/checkout\/sessions$/, createCheckout],
    ["GET", /^\/v1\/checkout\/sessions\/([^/]+)$/, read("checkout.session", "session")],
    ["POST", /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/, expireOpen],
    ["GET", /^\/v1\/setup_intents\/([^/]+)$/, read("setup_intent", "intent")],
  ];

  /** Answers one API call: 200 with the object (top-level `expand` applied) or an ApiError. */
  const route = (method: string, path: string, p: Obj): Obj => {
    for (const [m, re, run] of routes) {
      const match = method === m ? path.match(re) : null;
      if (!match) continue;
      const out = structuredClone(run(p, decodeURIComponent(match[1] ?? "")));
      for (const field of Array.isArray(p.expand) ? p.expand : []) {
        const target = typeof out[field] === "string" ? store.get(out[field] as string) : null;
        if (target) out[field] = structuredClone(target);
      }
      return out;
    }
    throw invalid(
      `Unrecognized request URL (${method}: ${path}). Please see ${DOCS} or we can help at ` +
        "https://support.stripe.com/.",
      {},
      404,
    );
  };

  /** The error for a missing or wrong key, or null when the key is the accepted one. */
  const authError = (header: string | null): Obj | null => {
    const [scheme, value = ""] = (header ?? "").trim().split(/\s+/, 2);
    let key = /^bearer$/i.test(scheme) ? value : "";
    if (/^basic$/i.test(scheme)) {
      try {
        key = atob(value).split(":")[0]; // curl -u sk_test_...:
      } catch { /* not base64: no key */ }
    }
    if (key === apiKey) return null;
    if (!key) return { error: { type: "invalid_request_error", message: NO_KEY } };
    const prefix = key.match(/^[a-z]{2}_(test|live)_/)?.[0] ?? "";
    const rest = key.slice(prefix.length);
    const masked = prefix + "*".repeat(Math.max(rest.length - 4, 0)) + rest.slice(-4);
    return {
      error: { type: "invalid_request_error", message: `Invalid API Key provided: ${masked}` },
    };
  };

  const injected = (status: number): Obj =>
    status === 429
      ? {
        error: {
          type: "invalid_request_error",
          code: "rate_limit",
          message: `Request rate limit exceeded. Learn more about rate limits here ` +
            `${DOCS}/rate-limits.`,
        },
      }
      : { error: { type: "api_error", message: "An unknown error occurred" } };

  const handler = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const { method } = req;
    const path = url.pathname;
    const flat = [...new URLSearchParams(method === "GET" ? url.search : await req.text())];
    const key = method === "POST" ? req.headers.get("idempotency-key") : null;
    const seen: SeenStripeRequest = {
      method,
      path,
      params: Object.fromEntries(flat),
      idempotencyKey: key,
      replayed: false,
    };
    requests.push(seen);
    const pay = path.match(/^\/c\/pay\/([^/]+)$/);
    if (pay) return hosted(method, decodeURIComponent(pay[1]), seen.params);
    const requestId = newId("req_", 14);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "request-id": requestId,
      "stripe-version": req.headers.get("stripe-version") ?? STRIPE_API_VERSION,
      ...key && { "idempotency-key": key },
    };
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) =>
      new Response(JSON.stringify(body, null, 2), { status, headers: { ...headers, ...extra } });

    const refused = authError(req.headers.get("authorization"));
    if (refused) return reply(401, refused, { "www-authenticate": 'Basic realm="Stripe"' });
    const failing = failures.shift();
    if (failing !== undefined) {
      return reply(failing, injected(failing), { "stripe-should-retry": "true" });
    }
    const fingerprint = JSON.stringify(flat.toSorted(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
    const before = key === null ? undefined : saved.get(key);
    if (before) {
      const endpoint = `${method} ${path}`;
      const idemError = (message: string) =>
        reply(400, { error: { type: "idempotency_error", message } });
      if (before.endpoint !== endpoint) {
        return idemError(
          "Keys for idempotent requests can only be used for the same endpoint they were first " +
            `used for ('${before.endpoint}' vs '${endpoint}'). Try using a key other than ` +
            `'${key}' if you meant to execute a different request.`,
        );
      }
      if (before.fingerprint !== fingerprint) {
        return idemError(
          "Keys for idempotent requests can only be used with the same parameters they were " +
            `first used with. Try using a key other than '${key}' if you meant to execute a ` +
            "different request.",
        );
      }
      seen.replayed = true;
      return reply(before.status, before.body, {
        "idempotent-replayed": "true",
        "original-request": before.requestId as string,
      });
    }
    current = { id: requestId, idempotency_key: key };
    let [status, body, keep]: [number, unknown, boolean] = [200, null, true];
    try {
      body = route(method, path, nest(flat));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      [status, body, keep] = [e.status, { error: e.error }, !e.validation];
    } finally {
      current = { id: null, idempotency_key: null };
    }
    if (key !== null && keep) {
      saved.set(key, { endpoint: `${method} ${path}`, fingerprint, status, body, requestId });
    }
    return reply(status, body);
  };

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: opts.port ?? 0, onListen() {} },
    handler,
  );

  /** Runs `fn` as Stripe itself (a dashboard user), throwing an API error as an Error. */
  const outside = <T>(fn: () => T): T => {
    current = { id: newId("req_", 14), idempotency_key: null };
    try {
      return fn();
    } catch (e) {
      throw e instanceof ApiError ? new Error(e.message) : e;
    } finally {
      current = { id: null, idempotency_key: null };
    }
  };

  return Promise.resolve({
    url: `http://127.0.0.1:${server.addr.port}`,
    apiKey,
    requests,
    events,
    failNext(n, status = 500) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    get: (id) => store.has(id) ? structuredClone(store.get(id)) : undefined,
    refundFromDashboard: (piId) =>
      outside(() => {
        const charge = succeededCharge(lookup("payment_intent", piId, "payment_intent"));
        return refund(charge, null, { reason: "requested_by_customer" }).event;
      }),
    openDispute: (piId) =>
      outside(() => {
        const charge = succeededCharge(lookup("payment_intent", piId, "payment_intent"));
        charge.disputed = true;
        const dispute = {
          id: newId("dp_"),
          object: "dispute",
          amount: charge.amount,
          charge: charge.id,
          created: now(),
          currency: charge.currency,
          evidence_details: { due_by: now() + 7 * 86_400, has_evidence: false, past_due: false },
          is_charge_refundable: false,
          livemode: false,
          metadata: {},
          payment_intent: charge.payment_intent,
          reason: "fraudulent",
          status: "needs_response",
        };
        store.set(dispute.id, dispute);
        return emit("charge.dispute.created", dispute);
      }),
    completeCheckout(sessionId, card = "pm_card_visa") {
      const cs = openOrThrow(sessionId);
      if (!Object.hasOwn(TEST_CARDS, card)) throw new Error(`Not a test card: ${card}`);
      return completeSession(cs, card);
    },
    expireCheckout: (sessionId) => expireSession(openOrThrow(sessionId)),
    async deliver(url, event, secret, opts = {}) {
      const t = opts.at ?? now();
      const body = JSON.stringify(event, null, 2);
      const v0 = await hmacHex(V0_SECRET, `${t}.${body}`);
      const signature = `${await stripeSignature(body, secret, t)},v0=${v0}`;
      const flipped = event.id.slice(0, -1) + (event.id.endsWith("a") ? "b" : "a");
      return await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": signature,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body: opts.tamper ? body.replace(event.id, flipped) : body,
      });
    },
    stop: () => server.shutdown(),
  });
}
