/**
 * The self-serve portal's scenario verbs (docs/cockpit.md §9.3), for scenarios that skip the
 * emailed-code round trip or drive the portal's chat:
 *
 * - `portal.link_identity_to_customer {email, customer_id}` — a verified portal identity for
 *   `email`, linked to the customer (the link signup or a first sign-in makes);
 * - `portal.mint_test_session {email, customer_id}` — the same, plus a live session: returns
 *   `{session_id, identity_id, csrf, …}` and keeps the session cookie in the run's jar, so the
 *   `http` steps after it are signed in;
 * - `portal.run_chat_turn {message, session_cookie?, portal_base?, timeout_s?}` — one chat turn
 *   through the portal's own pages (the chat page, its form, the turn's SSE stream drained to
 *   the end): `{ok, turn_id, stream_status, tool_calls, reply, case_id, proposal,
 *   cap_tripped}`. A portal with no model configured skips the step and the rest;
 * - `portal.write_demo_contact {customer_id, medium_type?, value?}` — one contact medium added
 *   with the portal's own named token (`portal_self_serve`) acting as the customer, so the audit
 *   log attributes it to the portal rather than the operator.
 *
 * The first two write the portal's tables directly (the portal, a public site, has no admin
 * routes): on the run's database, which is the sandbox's or, with `--live`, the system's.
 *
 * @module
 */
import { z } from "zod";
import type { Config } from "../../kernel/config.ts";
import { openDatabase } from "../../kernel/db/connect.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { findOrCreateIdentity, linkIdentity, markSignedIn } from "../../portal/auth/identities.ts";
import { newToken } from "../../portal/auth/secrets.ts";
import { openSession } from "../../portal/auth/sessions.ts";
import { portalBss } from "../../portal/bss.ts";
import { SESSION_COOKIE } from "../../portal/cookies.ts";
import type { CookieJar } from "./cookie_jar.ts";
import { atRunPorts } from "./ports.ts";
import { type ScenarioVerb, StepFailed, StepSkipped } from "./env.ts";

const Email = z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+$/, "an email address");
const CustomerId = z.string().trim().regex(/^CUST-/, "a CUST-… id");
const Link = z.strictObject({ email: Email, customer_id: CustomerId });
const ChatTurn = z.strictObject({
  message: z.string().trim().min(1).max(2000),
  session_cookie: z.string().min(1).optional(),
  portal_base: z.url().optional(),
  timeout_s: z.number().positive().max(600).default(60),
});
const DemoContact = z.strictObject({
  customer_id: CustomerId,
  medium_type: z.enum(["email", "mobile", "address"]).default("email"),
  value: z.string().trim().min(1).max(200).default("portal-demo@bss.local"),
});

/** `args` as `schema` says, or the step fails naming what is wrong. */
function parse<S extends z.ZodType>(verb: string, schema: S, args: unknown): z.output<S> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new StepFailed(`${verb}: ${issue.path.join(".") || "args"}: ${issue.message}`);
}

/** Runs `work` on the run's database, connected for this call only. */
async function onDatabase<T>(config: Config, work: (sql: Sql) => Promise<T>): Promise<T> {
  const db = await openDatabase({ ...config, BSS_DB_POOL_SIZE: 2 });
  try {
    return await work(db.sql);
  } finally {
    await db.close();
  }
}

/** A verified identity for `email` linked to `customerId` (never relinked to another). */
async function linkedIdentity(sql: Sql, email: string, customerId: string): Promise<string> {
  const identity = await findOrCreateIdentity(sql, email);
  if (!await linkIdentity(sql, identity.id, customerId)) {
    throw new StepFailed(`${email} is already linked to ${identity.customer_id}`);
  }
  await markSignedIn(sql, identity.id);
  return identity.id;
}

/** What a drained chat stream said. */
interface Drained {
  status: "done" | "stream_closed";
  tools: string[];
  done?: {
    reply: string;
    proposal: string | null;
    caseId: string | null;
    capped: boolean;
    retryAt: string | null;
  };
}

/** Reads a turn's SSE body: the tools it ran, in order, and its `done` frame. */
function drain(body: string): Drained {
  const drained: Drained = { status: "stream_closed", tools: [] };
  for (const frame of body.split("\n\n")) {
    const event = /^event: (.*)$/m.exec(frame)?.[1];
    const data = /^data: (.*)$/m.exec(frame)?.[1] ?? "";
    if (event === "tool" && !drained.tools.includes(data)) drained.tools.push(data);
    if (event === "done") drained.done = JSON.parse(data);
    if (event === "status" && data === "done") drained.status = "done";
  }
  return drained;
}

/** The names of the portal's scenario verbs, known to validation before any run. */
export const PORTAL_VERB_NAMES = [
  "portal.link_identity_to_customer",
  "portal.mint_test_session",
  "portal.run_chat_turn",
  "portal.write_demo_contact",
] as const;

/** The portal's scenario verbs for a run against `config`'s system, its portal at `portalBase`. */
export function portalVerbs(
  config: Config,
  portalBase: string,
): Record<typeof PORTAL_VERB_NAMES[number], ScenarioVerb> {
  /** One request to the portal with the run's cookies, keeping what it sets. */
  const request = async (jar: CookieJar, base: string, path: string, init: RequestInit = {}) => {
    const url = new URL(path, base);
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    jar.store(url, response.headers.getSetCookie());
    return response;
  };

  return {
    "portal.link_identity_to_customer": async (args) => {
      const { email, customer_id } = parse("portal.link_identity_to_customer", Link, args);
      const identityId = await onDatabase(config, (sql) => linkedIdentity(sql, email, customer_id));
      return { identity_id: identityId, email, customer_id };
    },

    "portal.mint_test_session": async (args, jar) => {
      const { email, customer_id } = parse("portal.mint_test_session", Link, args);
      const csrf = newToken();
      const minted = await onDatabase(config, async (sql) => {
        const identityId = await linkedIdentity(sql, email, customer_id);
        const ttl = config.BSS_PORTAL_SESSION_TTL_S;
        return { identityId, sessionId: await openSession(sql, identityId, ttl, {}, csrf) };
      });
      jar.set(new URL(portalBase), SESSION_COOKIE, minted.sessionId);
      return {
        session_id: minted.sessionId,
        identity_id: minted.identityId,
        csrf,
        email,
        customer_id,
      };
    },

    "portal.run_chat_turn": async (args, jar) => {
      const input = parse("portal.run_chat_turn", ChatTurn, args);
      const base = input.portal_base
        ? atRunPorts(new URL(input.portal_base), config).href
        : portalBase;
      if (input.session_cookie) jar.set(new URL(base), SESSION_COOKIE, input.session_cookie);
      const failed = (stream_status: string, error: string) => ({
        ok: false,
        turn_id: null,
        stream_status,
        tool_calls: [],
        error,
      });
      // The chat page carries the session's form secret, as a browser would post it.
      const page = await request(jar, base, "/chat");
      const html = await page.text();
      if (html.includes('data-chat="unavailable"')) {
        throw new StepSkipped("no LLM configured in the portal");
      }
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
      if (page.status !== 200 || !csrf) {
        return failed("post_failed", `GET /chat answered ${page.status} without a chat form`);
      }
      const posted = await request(jar, base, "/chat/message", {
        method: "POST",
        body: new URLSearchParams({ message: input.message, csrf }),
      });
      await posted.body?.cancel();
      const location = posted.headers.get("location") ?? "";
      const turnId = /[?&]turn=([0-9a-f]+)/.exec(location)?.[1];
      if (posted.status !== 303 || !turnId) {
        return failed("post_failed", `POST /chat/message answered ${posted.status} ${location}`);
      }
      const stream = await request(jar, base, `/chat/events/${turnId}`, {
        signal: AbortSignal.timeout(input.timeout_s * 1000),
      });
      if (stream.status !== 200) {
        await stream.body?.cancel();
        return failed("stream_failed", `GET /chat/events answered ${stream.status}`);
      }
      const { status, tools, done } = drain(await stream.text());
      return {
        ok: status === "done" && !done?.capped,
        turn_id: turnId,
        stream_status: done?.capped ? "cap_tripped" : status,
        tool_calls: tools,
        reply: done?.reply ?? null,
        case_id: done?.caseId ?? null,
        proposal: done?.proposal ?? null,
        cap_tripped: done?.capped ? { retry_at: done.retryAt } : null,
      };
    },

    "portal.write_demo_contact": async (args) => {
      const { customer_id, medium_type, value } = parse(
        "portal.write_demo_contact",
        DemoContact,
        args,
      );
      if (!config.outboundTokens.portal_self_serve) {
        throw new StepFailed("portal.write_demo_contact: set BSS_PORTAL_SELF_SERVE_API_TOKEN");
      }
      try {
        const result = await portalBss(config).run(
          "customer.add_contact_medium",
          { customer_id, medium_type, value },
          customer_id,
        );
        return { identity: "portal_self_serve", customer_id, result };
      } catch (e) {
        throw new StepFailed(`the portal token's contact medium add failed: ${String(e)}`);
      }
    },
  };
}
