/**
 * The self-serve portal's app: server-rendered Preact pages with islands, behind the
 * session middleware and CSRF check, with each route's gate (see `gates.ts`). Errors never
 * become a bare 500 for the customer: they get a page saying what to do.
 *
 * @module
 */
import { Hono } from "hono";
import type { Deps } from "../http/env.ts";
import type { Config } from "../kernel/config.ts";
import type { Fetcher } from "../http/serve.ts";
import { HttpError } from "../http/errors.ts";
import { log } from "../kernel/log.ts";
import { portalBss } from "./bss.ts";
import type { PortalEnv } from "./env.ts";
import { csrfMiddleware, sessionMiddleware } from "./gates.ts";
import { notFoundPage, pageHeaders } from "./render.tsx";
import { liveFeed } from "./live.ts";
import { loggingMailer, type Mailer } from "./mail.ts";
import { resendMailer } from "./mail_resend.ts";
import { CustomerChat } from "../cockpit/agent/customer_chat.ts";
import { ChatTurns } from "./chat_turns.ts";
import { authRoutes } from "./routes/auth.tsx";
import { chatRoutes } from "./routes/chat.tsx";
import { contactRoutes } from "./routes/contact.tsx";
import { supportRoutes } from "./routes/support.tsx";
import { dashboardRoutes } from "./routes/dashboard.tsx";
import { lineActionRoutes } from "./routes/line_actions.tsx";
import { moneyRoutes } from "./routes/money.tsx";
import { publicRoutes } from "./routes/public.tsx";
import { signupRoutes } from "./routes/signup.tsx";
import { stepUpRoutes } from "./routes/step_up.tsx";
import { SignupStore } from "./signup_store.ts";
import { mailboxPath } from "./settings.ts";

/** The email provider `BSS_PORTAL_EMAIL_PROVIDER` chooses. */
function mailerFor(config: Config): Mailer {
  if (config.BSS_PORTAL_EMAIL_PROVIDER === "logging") {
    return loggingMailer(mailboxPath(config), config.BSS_OPERATOR_NAME);
  }
  return resendMailer({
    apiKey: config.BSS_PORTAL_RESEND_API_KEY!,
    from: config.BSS_PORTAL_EMAIL_FROM!,
    baseUrl: (config.BSS_PORTAL_RESEND_API_BASE ?? "https://api.resend.com").replace(/\/+$/, ""),
    brand: config.BSS_OPERATOR_NAME,
  });
}

/** The portal app of a process (a role's `app`). */
export function portalApp({ config, sql }: Deps): Fetcher & { stop(): void } {
  const portal = {
    config,
    sql,
    bss: portalBss(config),
    mailer: mailerFor(config),
    pepper: config.BSS_PORTAL_TOKEN_PEPPER!,
    live: liveFeed(sql, { brokerUrl: config.BSS_RABBITMQ_URL }),
  };
  const app = new Hono<PortalEnv>();
  app.use(async (c, next) => {
    c.set("portal", portal);
    await next();
    pageHeaders(c);
  });
  app.use(sessionMiddleware, csrfMiddleware);
  app.notFound(notFoundPage);
  app.onError((e, c) => {
    // A service the portal calls is down: nothing is wrong with the request, and waiting is
    // all the customer can do (503 with Retry-After, a warning rather than an error).
    const down = e instanceof HttpError && e.status === 503;
    if (down) {
      log.warn("portal.upstream_unavailable", { path: c.req.path, error: String(e) });
      c.header("retry-after", "5");
    } else log.error("portal.error", { path: c.req.path, error: String(e) });
    return c.html(
      "<!doctype html><html lang=en><title>Something went wrong</title><main>" +
        "<h1>Something went wrong</h1><p>Please try again in a moment.</p>" +
        '<p><a href="/">Back to your account</a></p></main></html>',
      down ? 503 : 500,
    );
  });
  const streams = new Set<() => void>();
  publicRoutes(app);
  authRoutes(app);
  stepUpRoutes(app);
  dashboardRoutes(app, streams);
  lineActionRoutes(app);
  moneyRoutes(app);
  contactRoutes(app);
  supportRoutes(app);
  chatRoutes(app, new ChatTurns(new CustomerChat({ config, sql })));
  signupRoutes(app, new SignupStore());
  return {
    fetch: (r, info) => app.fetch(r, info),
    stop() {
      for (const end of streams) end();
      portal.live.stop();
    },
  };
}
