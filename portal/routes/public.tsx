/**
 * Public pages: health, welcome, plans, terms, privacy, and the static files (stylesheet,
 * island bundles; content-hashed, cached for good).
 *
 * @module
 */
import type { Hono } from "hono";
import { plansOnSale } from "../catalog.ts";
import { PlanCard } from "../components/plan_card.tsx";
import type { PortalEnv } from "../env.ts";
import { islandBundles } from "../islands/build.ts";
import { FLASH } from "../messages.ts";
import { page, STYLESHEET } from "../render.tsx";

const IMMUTABLE = "public, max-age=31536000, immutable";

/** Mounts the public routes. */
export function publicRoutes(app: Hono<PortalEnv>): void {
  app.get("/health", (c) =>
    c.json({
      status: "ok",
      service: "portal-self-serve",
      version: c.get("portal").config.BSS_VERSION,
    }));
  app.get("/health/live", (c) => c.json({ status: "ok" }));
  app.get("/health/ready", async (c) => {
    try {
      await c.get("portal").sql`select 1`;
      return c.json({ status: "ok" });
    } catch {
      return c.json({ status: "unavailable" }, 503);
    }
  });

  app.get(
    `/static/${STYLESHEET.name}`,
    (c) => c.body(STYLESHEET.body, 200, { "content-type": "text/css", "cache-control": IMMUTABLE }),
  );
  app.get("/static/islands/:file", async (c) => {
    const body = (await islandBundles()).files.get(c.req.param("file"));
    if (!body) return c.notFound();
    return c.body(body, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": IMMUTABLE,
    });
  });

  app.get("/favicon.ico", (c) => c.body(null, 204));

  app.get("/welcome", (c) => {
    const brand = c.get("portal").config.BSS_OPERATOR_NAME;
    const flash = FLASH[c.req.query("flash") ?? ""];
    return page(
      c,
      "Welcome",
      <section>
        {flash && <p class="form-flash" role="status">{flash}</p>}
        <h1>{brand}: prepaid eSIM plans</h1>
        <p>Pick a plan, get your eSIM in minutes, top up any time. No contract.</p>
        <div class="actions">
          <a class="button" href="/plans">Browse plans</a>
          <a class="button secondary auth-action" href="/auth/login">Sign in</a>
        </div>
      </section>,
    );
  });

  app.get("/plans", async (c) => {
    const plans = await plansOnSale(c.get("portal").bss, "portal-anon");
    const signedIn = c.get("session") !== undefined;
    return page(
      c,
      "Plans",
      <section>
        <h1>Plans</h1>
        <div class="grid">
          {plans.map((p) => {
            const start = `/signup/${p.id}/msisdn`;
            const href = signedIn ? start : `/auth/login?next=${encodeURIComponent(start)}`;
            return (
              <PlanCard plan={p}>
                <a class="button" href={href} aria-label={`Choose ${p.name}`}>Choose</a>
              </PlanCard>
            );
          })}
        </div>
      </section>,
    );
  });

  for (
    const [path, title, text] of [
      ["/terms", "Terms", "Plans renew every 30 days from the card on file until you cancel."],
      ["/privacy", "Privacy", "We keep what we need to run your lines and nothing more."],
    ]
  ) {
    app.get(path, (c) =>
      page(
        c,
        title,
        <section>
          <h1>{title}</h1>
          <p>{text}</p>
        </section>,
      ));
  }
}
