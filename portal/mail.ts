/**
 * Email, behind an adapter (spec: providers fail fast, never fall back). The local default,
 * `logging`, appends each message as one JSON line to the dev mailbox file under the data
 * dir, where the README's walkthrough and the browser tests read codes from; `resend` sends
 * it through Resend's API (`mail_resend.ts`).
 *
 * @module
 */
import { dirname } from "node:path";

/** One message as the dev mailbox stores it. */
export interface MailRecord {
  ts: string;
  to: string;
  kind: "login" | "step_up" | "email_change";
  subject: string;
  otp: string;
  link?: string;
  label?: string;
  expiresInMinutes: number;
}

/** What the portal sends. */
export interface Mailer {
  sendLogin(to: string, otp: string, link: string, minutes: number): Promise<void>;
  sendStepUp(to: string, otp: string, label: string, minutes: number): Promise<void>;
  /** The code confirming a new email address, sent to that address. */
  sendEmailChange(to: string, otp: string, minutes: number): Promise<void>;
}

/** A message as the portal composes it, before a provider sends it. */
export type Composed = Omit<MailRecord, "ts">;

/** The portal's messages, worded once for every provider. */
export function composer(brand: string) {
  return {
    login: (to: string, otp: string, link: string, minutes: number): Composed => ({
      to,
      kind: "login",
      subject: `Your ${brand} portal login code`,
      otp,
      link,
      expiresInMinutes: minutes,
    }),
    stepUp: (to: string, otp: string, label: string, minutes: number): Composed => ({
      to,
      kind: "step_up",
      subject: `Confirm action: ${label}`,
      otp,
      label,
      expiresInMinutes: minutes,
    }),
    emailChange: (to: string, otp: string, minutes: number): Composed => ({
      to,
      kind: "email_change",
      subject: `Confirm your new email address for ${brand}`,
      otp,
      expiresInMinutes: minutes,
    }),
  };
}

/** A {@link Mailer} that hands every composed message to `send`. */
export function mailerOf(brand: string, send: (message: Composed) => Promise<void>): Mailer {
  const compose = composer(brand);
  return {
    sendLogin: (...a) => send(compose.login(...a)),
    sendStepUp: (...a) => send(compose.stepUp(...a)),
    sendEmailChange: (...a) => send(compose.emailChange(...a)),
  };
}

/** The `logging` provider: one JSON line per message appended to `path`. */
export function loggingMailer(path: string, brand: string): Mailer {
  return mailerOf(brand, async (record) => {
    await Deno.mkdir(dirname(path), { recursive: true });
    const line = JSON.stringify({ ts: new Date().toISOString(), ...record }) + "\n";
    await Deno.writeTextFile(path, line, { append: true, mode: 0o600 });
  });
}

/** The messages in a dev mailbox file, oldest first (none when it does not exist). */
export async function readMailbox(path: string): Promise<MailRecord[]> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
