/**
 * Pages: the layout around a page body, rendered to a string with
 * `preact-render-to-string`, with the bundles of the islands the body used and the content-
 * hashed stylesheet. Components read the request's facts (brand, signed-in email, CSRF
 * secret) from {@link RequestInfo}.
 *
 * @module
 */
import { hasModel } from "../cockpit/agent/model.ts";
import { createContext, type JSX } from "preact";
import { useContext } from "preact/hooks";
import { renderToString } from "preact-render-to-string";
import type { Context } from "hono";
import { collectIslands, Island } from "./components/island.tsx";
import ChatWidget from "./islands/chat_widget.tsx";
import { islandBundles } from "./islands/build.ts";
import type { PortalEnv } from "./env.ts";

/** What every component may know about the request. */
export interface RequestFacts {
  brand: string;
  csrf: string;
  email?: string;
  signedIn: boolean;
  /** The floating chat: a signed-in customer, on any page but the chat's own. */
  chatWidget?: boolean;
}

/** The request's facts, provided around every page. */
export const RequestInfo = createContext<RequestFacts>({ brand: "", csrf: "", signedIn: false });

/** A POST form carrying the CSRF secret. */
export function Form(
  props: JSX.HTMLAttributes<HTMLFormElement> & { action: string },
): JSX.Element {
  const { csrf } = useContext(RequestInfo);
  const { children, ...rest } = props;
  return (
    <form method="post" {...rest}>
      <input type="hidden" name="csrf" value={csrf} />
      {children}
    </form>
  );
}

const CSS = await Deno.readFile(new URL("./static/portal.css", import.meta.url));
const CSS_HASH = Array.from(
  new Uint8Array(await crypto.subtle.digest("SHA-256", CSS)).slice(0, 6),
  (b) => b.toString(16).padStart(2, "0"),
).join("");

/** The headers every page leaves with: no sniffing, no framing, no referrer off-site. */
export function pageHeaders(c: Context): void {
  c.header("x-content-type-options", "nosniff");
  c.header("x-frame-options", "DENY");
  c.header("referrer-policy", "same-origin");
}

/** The stylesheet: its hashed name and body. */
export const STYLESHEET = { name: `portal-${CSS_HASH}.css`, body: CSS };

function Layout(
  { title, facts, children }: { title: string; facts: RequestFacts; children: JSX.Element },
) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${facts.brand}`}</title>
        <link rel="stylesheet" href={`/static/${STYLESHEET.name}`} />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <a class="brand" href={facts.signedIn ? "/" : "/welcome"}>{facts.brand}</a>
          <nav aria-label="Main">
            <a href="/plans">Plans</a>
            {facts.signedIn
              ? (
                <>
                  <a href="/">My account</a>
                  <span>{facts.email}</span>
                  <Form action="/auth/logout" class="inline">
                    <button type="submit" class="secondary">Sign out</button>
                  </Form>
                </>
              )
              : <a href="/auth/login">Sign in</a>}
          </nav>
        </header>
        <main id="main">{children}</main>
        {facts.chatWidget && (
          <Island name="ChatWidget" component={ChatWidget} props={{ csrf: facts.csrf }} />
        )}
        <footer>
          <a href="/terms">Terms</a> · <a href="/privacy">Privacy</a>
        </footer>
      </body>
    </html>
  );
}

/** Facts of the current request. */
export function factsOf(c: Context<PortalEnv>): RequestFacts {
  const session = c.get("session");
  return {
    brand: c.get("portal").config.BSS_OPERATOR_NAME,
    csrf: session?.csrf ?? c.get("anonCsrf"),
    email: session?.email,
    signedIn: session !== undefined,
    // No model, no assistant: a chat that can only say it is unavailable is not offered.
    chatWidget: Boolean(session?.customerId) && c.req.path !== "/chat" &&
      hasModel(c.get("portal").config),
  };
}

/** Renders `body` in the layout as the response (status 200 unless given). */
export async function page(
  c: Context<PortalEnv>,
  title: string,
  body: JSX.Element,
  status = 200,
): Promise<Response> {
  const facts = factsOf(c);
  const { value, islands } = collectIslands(() =>
    renderToString(
      <RequestInfo.Provider value={facts}>
        <Layout title={title} facts={facts}>{body}</Layout>
      </RequestInfo.Provider>,
    )
  );
  let scripts = "";
  if (islands.length) {
    const { entry } = await islandBundles();
    scripts = islands.map((n) =>
      `<script type="module" src="/static/islands/${entry[n]}"></script>`
    )
      .join("");
  }
  const html = `<!doctype html>${value.replace("</body>", `${scripts}</body>`)}`;
  return c.html(html, status as 200);
}

/** The page for an address that names nothing here (a mistyped link, a plan no longer sold). */
export function notFoundPage(c: Context<PortalEnv>): Promise<Response> {
  return page(
    c,
    "Not found",
    <section class="card">
      <h1>Not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <a href="/">Your account</a> · <a href="/plans">Our plans</a>
      </p>
    </section>,
    404,
  );
}
