/**
 * The app factory: one Hono app per service, with the same pipeline everywhere —
 * request id → token perimeter → caller context → server span → scope → input limits → route
 * (zod-validated, then the owner check of a bound self-serve call) → error mapping
 * (`http/errors.ts`). Serves `/health`, `/health/ready`, `/openapi.json`, the shared route
 * groups its service mounts, and the endpoints it is given.
 *
 * @module
 */
import { Hono } from "hono";
import type { Config } from "../kernel/config.ts";
import type { Pool } from "../kernel/db/types.ts";
import { maskUrlPans } from "../kernel/pan.ts";
import { clockEndpoints } from "./admin/clock.ts";
import { resetEndpoints } from "./admin/reset.ts";
import { RESET_PLANS } from "./admin/reset_plans.ts";
import { auditEndpoints } from "./audit/events.ts";
import { traceEndpoints } from "./audit/traces.ts";
import type { AppEnv } from "./env.ts";
import { notFound, onError } from "./errors.ts";
import { brokerCheck, type Check, healthEndpoints, postgresCheck } from "./health.ts";
import { caller } from "./middleware/caller.ts";
import { inputGuard } from "./middleware/input.ts";
import { perimeter } from "./middleware/perimeter.ts";
import { clockSync } from "./middleware/clock_sync.ts";
import { requestId } from "./middleware/request_id.ts";
import { scopeGuard } from "./middleware/scope.ts";
import { serverSpan } from "./middleware/span.ts";
import { openApiDocument } from "./openapi.ts";
import { type Endpoint, mount } from "./route.ts";
import type { ServiceSpec } from "./services.ts";

/** What a service app is built from. */
export interface AppOptions {
  service: ServiceSpec;
  config: Config;
  sql: Pool;
  /** The service's own endpoints (see `http/roles.ts`). */
  endpoints?: readonly Endpoint[];
}

/** The readiness checks of a process with `config`: Postgres, plus the broker when set. */
function readinessChecks(config: Config, sql: Pool): Record<string, Check> {
  const broker = config.BSS_RABBITMQ_URL;
  return {
    postgres: postgresCheck(sql),
    ...broker && { broker: brokerCheck(broker) },
  };
}

/** The Hono app of one service. Serve it with `app.fetch` (see `http/serve.ts`). */
export function createApp({ service, config, sql, endpoints = [] }: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    requestId,
    perimeter(config.tokens),
    caller,
    serverSpan(service.name),
    scopeGuard(sql),
    inputGuard(config.BSS_HTTP_BODY_LIMIT_BYTES),
    clockSync(sql),
  );
  app.onError(onError);
  app.notFound(notFound(app));

  const groups = {
    clock: clockEndpoints,
    audit: (
      deps: { config: Config; sql: Pool },
    ) => [...auditEndpoints(deps), ...traceEndpoints(deps)],
  };
  const all = [
    ...healthEndpoints(service.name, config.BSS_VERSION, readinessChecks(config, sql)),
    ...service.shared.flatMap((g) => groups[g]({ config, sql })),
    ...(RESET_PLANS[service.name]
      ? resetEndpoints({ config, sql }, service.name, RESET_PLANS[service.name])
      : []),
    ...endpoints,
  ];
  mount(app, all);

  // Built on first request: start-up stays fast, the routes are fixed by then.
  let document: Record<string, unknown> | undefined;
  app.get("/openapi.json", (c) => {
    document ??= openApiDocument(service, config.BSS_VERSION, all.map((e) => e.route));
    return c.json(document);
  });
  // A card number typed into a path or query is masked before anything reads the request,
  // so no handler, error, log, span or audit row downstream ever holds it (README "PAN guard").
  const dispatch = app.fetch;
  app.fetch = (request, ...rest) => {
    const url = maskUrlPans(request.url);
    return dispatch(url === request.url ? request : new Request(url, request), ...rest);
  };
  return app;
}
