/**
 * The operator CRM (role `portal-csr`, port 9002): customers (search, 360), lines, cases, each
 * write through the tool registry as the operator, its refusal shown on the page it came from.
 * There is no sign-in: one operator on a trusted perimeter (the process binds `BSS_HOST`,
 * 127.0.0.1 by default), as the REPL on the same machine. Every POST still needs the page's
 * CSRF secret (a double-submit cookie) and a same-origin request, so another site open in the
 * operator's browser cannot drive it; destructive writes need `confirm=yes` from their danger
 * section.
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { Deps } from "../../http/env.ts";
import type { Fetcher } from "../../http/serve.ts";
import { NotFound, PolicyViolation } from "../../kernel/errors.ts";
import { log } from "../../kernel/log.ts";
import { csrfRefusal } from "../gates.ts";
import { pageHeaders, STYLESHEET } from "../render.tsx";
import { operatorBss } from "./bss.ts";
import type { CsrEnv } from "./env.ts";
import { page } from "./render.tsx";
import { askRoutes } from "./routes/ask.tsx";
import { caseRoutes } from "./routes/cases.tsx";
import { customerRoutes } from "./routes/customers.tsx";
import { lineRoutes } from "./routes/lines.tsx";
import { orderRoutes } from "./routes/orders.tsx";

const CSRF_COOKIE = "bss_csr_csrf";

/** The CSRF secret of this browser, set on first sight; POSTs must send it back. */
const csrf: MiddlewareHandler<CsrEnv> = async (c, next) => {
  let secret = getCookie(c, CSRF_COOKIE);
  if (!secret || !/^[0-9a-f]{32}$/.test(secret)) {
    secret = crypto.randomUUID().replaceAll("-", "");
    setCookie(c, CSRF_COOKIE, secret, { httpOnly: true, sameSite: "Strict", path: "/" });
  }
  c.set("csrf", secret);
  if (c.req.method !== "POST") return await next();
  return await csrfRefusal(c, secret) ?? await next();
};

/** The operator CRM of a process (a role's `app`). */
export function csrApp({ config }: Deps): Fetcher {
  const crm = { config, bss: operatorBss(config) };
  const app = new Hono<CsrEnv>();
  app.use(async (c, next) => {
    c.set("crm", crm);
    await next();
    pageHeaders(c);
  });
  app.get(
    `/static/${STYLESHEET.name}`,
    (c) => c.body(STYLESHEET.body, 200, { "content-type": "text/css" }),
  );
  app.get("/health", (c) => c.json({ status: "ok", service: "portal-csr" }));
  app.use(csrf);
  app.notFound((c) => notFoundPage(c));
  app.onError((e, c) => {
    if (e instanceof NotFound) return notFoundPage(c);
    log.error("portal_csr.error", { path: c.req.path, error: String(e) });
    return page(
      c,
      "Something went wrong",
      <section>
        <h1>Something went wrong</h1>
        <p>{e instanceof Error ? e.message.slice(0, 300) : "unexpected error"}</p>
      </section>,
      500,
    );
  });
  customerRoutes(app);
  lineRoutes(app);
  caseRoutes(app);
  orderRoutes(app);
  askRoutes(app);
  return { fetch: (r, info) => app.fetch(r, info) };
}

function notFoundPage(c: Context<CsrEnv>): Response {
  return page(
    c,
    "Not found",
    <section>
      <h1>Not found</h1>
      <p>
        Nothing here has that id. <a href="/">Find a customer</a>
      </p>
    </section>,
    404,
  );
}

/**
 * Runs a write and redirects to `back` with `?flash=` when done, or `?err=` naming the rule
 * when the BSS refused it (the page shows either). `confirm`: a destructive write, refused
 * unless its danger section sent `confirm=yes`. `next`: where to go when done, from the write's
 * result (a created record's page), instead of `back`.
 */
export async function written(
  c: Context<CsrEnv>,
  back: string | ((form: Record<string, string>) => string),
  flash: string,
  write: (form: Record<string, string>) => Promise<unknown>,
  { confirm = false, next }: { confirm?: boolean; next?: (result: unknown) => string } = {},
): Promise<Response> {
  const raw = await c.req.parseBody();
  const form = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v.trim() : ""]),
  );
  const home = typeof back === "string" ? back : back(form);
  const to = (key: string, text: string, where = home) =>
    c.redirect(`${where}${where.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(text)}`, 303);
  if (confirm && form.confirm !== "yes") {
    return to("err", "Not done: open its section and press the button there to confirm.");
  }
  try {
    const result = await write(form);
    return to("flash", flash, next?.(result));
  } catch (e) {
    if (e instanceof PolicyViolation) return to("err", `${e.rule}: ${e.message}`);
    if (e instanceof NotFound) return to("err", e.message);
    if (e instanceof Error && e.name === "ZodError") return to("err", `Not valid: ${zodText(e)}`);
    throw e;
  }
}

/**
 * Mounts `POST path` (with one `:id`): runs tool `tool` on `args(id, form)` through
 * {@link written}, back to the page of the entity (the path up to its id), or to `backTo`'s.
 */
export function writeRoute(
  app: Hono<CsrEnv>,
  path: string,
  flash: string,
  tool: string,
  args: (id: string, form: Record<string, string>) => Record<string, unknown>,
  options: { confirm?: boolean; backTo?: (id: string, form: Record<string, string>) => string } =
    {},
): void {
  const entity = path.slice(0, path.indexOf(":id") + 3);
  app.post(path, (c) => {
    const id = c.req.param("id")!;
    const back = options.backTo
      ? (form: Record<string, string>) => options.backTo!(id, form)
      : entity.replace(":id", id);
    return written(
      c,
      back,
      flash,
      (form) =>
        c.get("crm").bss.run(
          tool,
          args(id, form),
          /^[\w-]{8,64}$/.test(form.attempt) ? form.attempt : undefined,
        ),
      { confirm: options.confirm },
    );
  });
}

/** The first issue of a zod error, as `field: message`. */
function zodText(e: Error): string {
  const issue = (e as unknown as { issues?: { path: unknown[]; message: string }[] }).issues?.[0];
  return issue ? `${issue.path.join(".") || "input"}: ${issue.message}` : e.message;
}
