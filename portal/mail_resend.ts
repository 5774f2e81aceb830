/**
 * The `resend` email provider (docs/providers.md §3.2): each message is one `POST /emails` to
 * Resend's API, JSON, the API key as a bearer token, under an `Idempotency-Key` made from the
 * message (its kind and a hash of recipient and code), so a retry never sends a code twice. A
 * network error, a 429 or a 5xx is tried again under the same key, three tries in all; anything
 * else throws, and the page asking for the email says it could not be sent.
 *
 * @module
 */
import { setTimeout as delay } from "node:timers/promises";
import { createHash } from "node:crypto";
import { log } from "../kernel/log.ts";
import { type Composed, type Mailer, mailerOf } from "./mail.ts";

/** Where and as whom Resend sends. */
export interface ResendOptions {
  apiKey: string;
  /** The sender, e.g. `BSS Mobile <no-reply@mail.example>` (a domain verified at Resend). */
  from: string;
  /** `https://api.resend.com`, or a stand-in speaking the same wire format. */
  baseUrl: string;
  brand: string;
  /** Tries in all for a send that failed on the network, a 429 or a 5xx. Default 3. */
  tries?: number;
}

/** The words of a message, as its plain-text body. */
export function textOf(m: Composed): string {
  const valid = `It is valid for ${m.expiresInMinutes} minutes.`;
  const ignore = "If you did not ask for it, you can ignore this email.";
  switch (m.kind) {
    case "login":
      return `Your sign-in code is ${m.otp}. ${valid}\n\nOr open this link to sign in:\n` +
        `${m.link}\n\n${ignore}\n`;
    case "step_up":
      return `Your code to confirm "${m.label}" is ${m.otp}. ${valid}\n\n${ignore}\n`;
    case "email_change":
      return `Your code to confirm this email address is ${m.otp}. ${valid}\n\n${ignore}\n`;
  }
}

/** The `resend` provider. */
export function resendMailer(options: ResendOptions): Mailer {
  const tries = options.tries ?? 3;
  return mailerOf(options.brand, async (m) => {
    const key = `${m.kind}/${createHash("sha256").update(`${m.to}:${m.otp}`).digest("hex")}`;
    const body = JSON.stringify({
      from: options.from,
      to: [m.to],
      subject: m.subject,
      text: textOf(m),
    });
    for (let attempt = 1;; attempt++) {
      const sent = await post(options, key, body);
      if ("id" in sent) {
        log.info("portal.email.sent", { provider: "resend", kind: m.kind, id: sent.id });
        return;
      }
      if (attempt >= tries) throw new Error(`Resend could not take the email: ${sent.retry}`);
      log.warn("portal.email.retry", {
        provider: "resend",
        kind: m.kind,
        attempt,
        why: sent.retry,
      });
      await delay(200 * 2 ** (attempt - 1));
    }
  });
}

/** One try: Resend's id, what to try again after, or a throw for a refusal. */
async function post(
  options: ResendOptions,
  key: string,
  body: string,
): Promise<{ id: string } | { retry: string }> {
  let r: Response;
  try {
    r = await fetch(`${options.baseUrl}/emails`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        "content-type": "application/json",
        "idempotency-key": key,
      },
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    return { retry: String(e) };
  }
  const answer = await r.json().catch(() => ({}));
  if (r.ok) return { id: String(answer.id) };
  if (r.status === 429 || r.status >= 500) return { retry: `status ${r.status}` };
  throw new Error(`Resend refused the email: ${r.status} ${answer.name} ${answer.message}`);
}
