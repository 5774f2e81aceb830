/**
 * Email, behind an adapter (spec: providers fail fast, never fall back). The local default,
 * `logging`, appends each message as one JSON line to the dev mailbox file under the data
 * dir, where the README's walkthrough and the browser tests read codes from.
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

/** The `logging` provider: one JSON line per message appended to `path`. */
export function loggingMailer(path: string, brand: string): Mailer {
  const append = async (record: Omit<MailRecord, "ts">) => {
    await Deno.mkdir(dirname(path), { recursive: true });
    const line = JSON.stringify({ ts: new Date().toISOString(), ...record }) + "\n";
    await Deno.writeTextFile(path, line, { append: true, mode: 0o600 });
  };
  return {
    sendLogin: (to, otp, link, minutes) =>
      append({
        to,
        kind: "login",
        subject: `Your ${brand} portal login code`,
        otp,
        link,
        expiresInMinutes: minutes,
      }),
    sendStepUp: (to, otp, label, minutes) =>
      append({
        to,
        kind: "step_up",
        subject: `Confirm action: ${label}`,
        otp,
        label,
        expiresInMinutes: minutes,
      }),
    sendEmailChange: (to, otp, minutes) =>
      append({
        to,
        kind: "email_change",
        subject: `Confirm your new email address for ${brand}`,
        otp,
        expiresInMinutes: minutes,
      }),
  };
}

/** The messages in a dev mailbox file, oldest first (none when it does not exist). */
export async function readMailbox(path: string): Promise<MailRecord[]> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
