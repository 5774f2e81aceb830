/**
 * A local stand-in for Resend's email API (`POST /emails`, `GET /emails/{id}`), so the `resend`
 * provider is tested over HTTP with no live service. It speaks Resend's documented wire format:
 * JSON bodies, the API key as a bearer token (no key → 401 `missing_api_key`, another key →
 * 403 `invalid_api_key`), errors as `{statusCode, name, message}`, validation (422
 * `validation_error`: `from`, `to`, `subject` and a body are required, `from` an address or
 * `Name <address>`), and `Idempotency-Key`: the same key with the same body answers the first
 * email again and sends nothing; with another body, 409 `invalid_idempotent_request`.
 *
 * @module
 */

/** One email the stand-in accepted. */
export interface SentEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  idempotencyKey: string | null;
}

/** A running stand-in. */
export interface ResendStandIn {
  url: string;
  apiKey: string;
  /** The emails accepted (replays not counted), oldest first. */
  emails: SentEmail[];
  /** How many requests reached it, replays and refusals included. */
  requests: number;
  /** The next `n` requests answer `status` (default 500) and send nothing. */
  failNext(n: number, status?: number): void;
  stop(): Promise<void>;
}

const ADDRESS = /^(?:[^<>@]+ <)?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>?$/;

/** Starts a stand-in on an ephemeral port. */
export function startResendStandIn(
  apiKey = `re_standin_${crypto.randomUUID().slice(0, 8)}`,
  port = 0,
) {
  const emails: SentEmail[] = [];
  const byKey = new Map<string, { body: string; id: string }>();
  const failures: number[] = [];
  let requests = 0;
  const answer = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
  const error = (statusCode: number, name: string, message: string) =>
    answer(statusCode, { statusCode, name, message });

  const handle = async (request: Request): Promise<Response> => {
    requests++;
    const auth = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!auth) return error(401, "missing_api_key", "Missing API key in the authorization header");
    if (auth !== apiKey) return error(403, "invalid_api_key", "API key is invalid");
    const failing = failures.shift();
    if (failing !== undefined) return error(failing, "application_error", "Something went wrong");
    const path = new URL(request.url).pathname;
    const one = /^\/emails\/([\w-]+)$/.exec(path);
    if (request.method === "GET" && one) {
      const email = emails.find((e) => e.id === one[1]);
      if (!email) return error(404, "not_found", "Email not found");
      return answer(200, { object: "email", ...email, last_event: "delivered" });
    }
    if (request.method !== "POST" || path !== "/emails") {
      return error(404, "not_found", "The requested endpoint does not exist");
    }
    const raw = await request.text();
    const key = request.headers.get("idempotency-key");
    const before = key === null ? undefined : byKey.get(key);
    if (before) {
      if (before.body !== raw) {
        return error(
          409,
          "invalid_idempotent_request",
          "Same idempotency key used with a different request payload",
        );
      }
      return answer(200, { id: before.id });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      return error(422, "validation_error", "Invalid JSON body");
    }
    const to = typeof body.to === "string" ? [body.to] : body.to;
    if (typeof body.from !== "string" || !ADDRESS.test(body.from)) {
      return error(422, "validation_error", "Invalid `from` field.");
    }
    if (!Array.isArray(to) || to.length === 0 || to.length > 50) {
      return error(422, "validation_error", "Invalid `to` field.");
    }
    if (typeof body.subject !== "string" || !body.subject) {
      return error(422, "validation_error", "Missing `subject` field.");
    }
    if (typeof body.text !== "string" && typeof body.html !== "string") {
      return error(422, "validation_error", "Missing `html` or `text` field.");
    }
    const id = crypto.randomUUID();
    emails.push({
      id,
      from: body.from,
      to: to as string[],
      subject: body.subject,
      text: body.text as string | undefined,
      html: body.html as string | undefined,
      idempotencyKey: key,
    });
    if (key !== null) byKey.set(key, { body: raw, id });
    return answer(200, { id });
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, handle);
  const standIn: ResendStandIn = {
    url: `http://127.0.0.1:${server.addr.port}`,
    apiKey,
    emails,
    get requests() {
      return requests;
    },
    failNext(n, status = 500) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    stop: () => server.shutdown(),
  };
  return standIn;
}
