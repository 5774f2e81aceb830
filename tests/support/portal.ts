/**
 * A scripted portal visitor for HTTP tests: a cookie jar, GETs and form POSTs that carry
 * the page's CSRF secret, redirects not followed (their targets are asserted), and codes
 * read from the dev mailbox as the README's walkthrough does.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Client } from "../../http/client.ts";
import { getSubscription } from "../../http/subscription/routes.ts";
import { type MailRecord, readMailbox } from "../../portal/mail.ts";
import { order, signupCustomer } from "./signup.ts";
import { until } from "./system.ts";

/** One browser-like visitor. */
export class Visitor {
  readonly cookies = new Map<string, string>();
  /** The CSRF secret of the last page that had a form. */
  csrf = "";

  constructor(readonly base: string, readonly mailbox: string) {}

  #keep(r: Response) {
    for (const line of r.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  #headers(extra: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return { ...(cookie && { cookie }), ...extra };
  }

  /** GETs `path`; returns the response and its text (CSRF secret noted). */
  async get(path: string, headers: Record<string, string> = {}) {
    const r = await fetch(this.base + path, {
      redirect: "manual",
      headers: this.#headers(headers),
    });
    this.#keep(r);
    const text = await r.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(text)?.[1];
    if (csrf) this.csrf = csrf;
    return { status: r.status, location: r.headers.get("location"), text, response: r };
  }

  /** POSTs a form to `path` (with the CSRF secret unless `csrf: null`). */
  async post(
    path: string,
    fields: Record<string, string> = {},
    { csrf = this.csrf as string | null, headers = {} as Record<string, string> } = {},
  ) {
    const body = new URLSearchParams({ ...fields, ...(csrf !== null && { csrf }) });
    const r = await fetch(this.base + path, {
      method: "POST",
      redirect: "manual",
      body,
      headers: this.#headers({ "content-type": "application/x-www-form-urlencoded", ...headers }),
    });
    this.#keep(r);
    const text = await r.text();
    const found = /name="csrf" value="([^"]+)"/.exec(text)?.[1];
    if (found) this.csrf = found;
    return { status: r.status, location: r.headers.get("location"), text, response: r };
  }

  /** The latest message to `to` of `kind` (waits for it to arrive). */
  async mail(to: string, kind: MailRecord["kind"], after = 0) {
    const all = await until(
      () => readMailbox(this.mailbox),
      (m) => m.filter((x) => x.to === to && x.kind === kind).length > after,
      `a ${kind} email to ${to}`,
    );
    return all.filter((x) => x.to === to && x.kind === kind).at(-1)!;
  }

  /** How many `kind` messages `to` has had. */
  async mailCount(to: string, kind: MailRecord["kind"]) {
    return (await readMailbox(this.mailbox)).filter((x) => x.to === to && x.kind === kind).length;
  }

  /** Signs in as `email` with the emailed code; returns where it landed. */
  async signIn(email: string, next = "/") {
    await this.get(`/auth/login?next=${encodeURIComponent(next)}`);
    const before = await this.mailCount(email, "login");
    const started = await this.post("/auth/login", { email, next });
    assert.equal(started.status, 303, started.text);
    const { otp } = await this.mail(email, "login", before);
    const done = await this.post("/auth/check-email", { email, next, code: otp });
    assert.equal(done.status, 303, done.text);
    return done.location;
  }

  /** Passes the step-up of a bounced POST: emails the code and verifies it. */
  async stepUp(bounce: string, email: string) {
    const url = new URL(bounce, this.base);
    const action = url.searchParams.get("action")!;
    const next = url.searchParams.get("next") ?? "/";
    await this.get(url.pathname + url.search);
    const before = await this.mailCount(email, "step_up");
    await this.post("/auth/step-up/start", { action, next });
    const { otp } = await this.mail(email, "step_up", before);
    return await this.post("/auth/step-up", { action, next, code: otp });
  }

  /** Submits the auto-submitting replay form of a step-up success page. */
  async replay(page: string) {
    const form = /<form method="post" action="([^"]+)" id="step-up-replay">(.*?)<\/form>/s.exec(
      page,
    );
    assert.ok(form, "a replay form");
    const fields = Object.fromEntries(
      [...form[2].matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    return await this.post(form[1].replaceAll("&amp;", "&"), fields, { csrf: fields.csrf });
  }
}

/** A customer with `email` and one active line, made as the CLI would; the portal links on sign-in. */
export async function customerWithLine(client: Record<string, Client>, email: string) {
  const customerId = await signupCustomer(client, undefined, email);
  const placed = await order(client, customerId, "PLAN_S");
  assert.equal(placed.state, "completed");
  const subscriptionId = placed.productOrderItem[0].targetSubscriptionId!;
  const line = await client.subscription.call(getSubscription, { params: { id: subscriptionId } });
  return { customerId, subscriptionId, msisdn: line.msisdn };
}
