/**
 * The operator CRM's pages: its layout (the portal's stylesheet, its own header with the
 * search box and the sections), flash and error lines read from the address, and forms that
 * carry the CRM's CSRF secret (the portal's {@link Form}).
 *
 * @module
 */
import type { Context } from "hono";
import type { ComponentChildren, JSX } from "preact";
import { renderToString } from "preact-render-to-string";
import { Form, RequestInfo, STYLESHEET } from "../render.tsx";
import type { CsrEnv } from "./env.ts";

function Layout(
  { title, brand, q, children }: {
    title: string;
    brand: string;
    q: string;
    children: ComponentChildren;
  },
) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${brand} CRM`}</title>
        <link rel="stylesheet" href={`/static/${STYLESHEET.name}`} />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <a class="brand" href="/">{brand} CRM</a>
          <nav aria-label="Main">
            <a href="/">Customers</a>
            <a href="/cases">Cases</a>
            <a href="/ask">Ask the agent</a>
            <form method="get" action="/" class="inline crm-search" role="search">
              <input
                name="q"
                value={q}
                aria-label="Find a customer"
                placeholder="Name, email, number or CUST-…"
              />
              <button type="submit" class="secondary">Find</button>
            </form>
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}

/** The outcome lines of a redirect after a write: `?flash=` (done) and `?err=` (refused). */
function Outcome({ flash, err }: { flash?: string; err?: string }) {
  return (
    <>
      {flash && <p class="form-flash" role="status">{flash}</p>}
      {err && <p class="form-flash error" role="alert">{err.slice(0, 300)}</p>}
    </>
  );
}

/** Renders `body` in the layout, with the outcome of the last write, as the response. */
export function page(
  c: Context<CsrEnv>,
  title: string,
  body: JSX.Element,
  status = 200,
): Response {
  const { config } = c.get("crm");
  const facts = { brand: config.BSS_OPERATOR_NAME, csrf: c.get("csrf"), signedIn: true };
  const html = renderToString(
    <RequestInfo.Provider value={facts}>
      <Layout title={title} brand={facts.brand} q={c.req.query("q") ?? ""}>
        <Outcome flash={c.req.query("flash")} err={c.req.query("err")} />
        {body}
      </Layout>
    </RequestInfo.Provider>,
  );
  c.header("cache-control", "no-store");
  return c.html(`<!doctype html>${html}`, status as 200);
}

/**
 * The consequence of a destructive write said before it runs: a collapsed `<details>` whose
 * form carries `confirm=yes` and a danger button. The route refuses the write without it.
 */
export function DangerConfirm(
  { action, label, consequence, children }: {
    action: string;
    label: string;
    consequence: string;
    children?: JSX.Element;
  },
) {
  return (
    <details class="danger">
      <summary>{label}…</summary>
      <p>{consequence}</p>
      <Form action={action}>
        {children}
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="danger">{label}</button>
      </Form>
    </details>
  );
}

/** A form whose write is done once however often it is sent (its one-time token). */
export function OnceForm(props: JSX.HTMLAttributes<HTMLFormElement> & { action: string }) {
  const { children, ...rest } = props;
  return (
    <Form {...rest}>
      <input type="hidden" name="attempt" value={crypto.randomUUID()} />
      {children}
    </Form>
  );
}
