/**
 * Typed routes: one definition (method, path, zod schemas, success status) shared by the
 * server, which validates and hands typed values to the handler, by the typed client, which
 * builds the request and parses the reply, and by the OpenAPI document. A route cannot say one
 * thing to its server and another to its callers.
 *
 * ```ts
 * const getCustomer = defineRoute({
 *   method: "GET",
 *   path: "/tmf-api/customerManagement/v4/customer/:id",
 *   params: z.object({ id: z.string() }),
 *   response: Customer,
 *   summary: "One customer",
 * });
 * const endpoints = [endpoint(getCustomer, ({ params }) => customers.get(sql, params.id))];
 * ```
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./env.ts";
import { type Issue, issuesOf, ValidationError } from "./errors.ts";
import { readJsonBody } from "./middleware/input.ts";
import { project, resourceJsonSchema, schemaPath, tmfQuery, toTmfWire } from "./tmf.ts";

/**
 * Messages of a request's issues where zod's default speaks of types: a field left out is
 * "required" (not "expected string, received undefined"). A schema's own message wins.
 */
const requestError: z.core.$ZodErrorMap = (issue) =>
  issue.code === "invalid_type" && issue.input === undefined ? "required" : undefined;

/** HTTP methods a route may use. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A route definition. */
export interface RouteSpec {
  method: Method;
  /** A Hono path pattern; `:name` segments are path parameters, declared in `params`. */
  path: string;
  /** One line for the OpenAPI document. */
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success body; `z.void()` with status 204. */
  response: z.ZodType;
  /** The success status: 200 by default, 201 for creates, 204 for deletes. */
  status?: 200 | 201 | 202 | 204;
  /**
   * The TMF resource the reply carries (one, or a list): the reply is serialised by
   * `http/tmf.ts` and the resource's JSON Schema is served beside it.
   */
  tmf?: string;
}

/** The server-side value of an optional schema: its parsed output, or undefined. */
type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

/** What a handler receives: validated path parameters, query and body. */
export interface Input<S extends RouteSpec> {
  params: Parsed<S["params"]>;
  query: Parsed<S["query"]>;
  body: Parsed<S["body"]>;
}

/** What a handler returns: the wire form of the response (the client parses it back). */
export type Reply<S extends RouteSpec> = z.input<S["response"]>;

/** Serves one route. `c` is there for headers (`Location` on creates); it holds no logic. */
export type Handler<S extends RouteSpec> = (
  input: Input<S>,
  c: Context<AppEnv>,
) => Reply<S> | Promise<Reply<S>>;

/** A route with its handler, ready to mount on a service app. */
export interface Endpoint {
  route: RouteSpec;
  // deno-lint-ignore no-explicit-any
  handler: Handler<any>;
  /** A TMF list's `X-Total-Count`: how many items its filters match, pages aside. */
  // deno-lint-ignore no-explicit-any
  count?: Count<any>;
}

/** Counts what a list route's filters match (its `limit` and `offset` left out). */
export type Count<S extends RouteSpec> = (input: Input<S>) => Promise<number>;

// `:name`, optionally with a Hono regex constraint (`:id{[0-9]+}`).
const PARAM = /:(\w+)(?:\{[^}]*\})?/g;

/** The path parameter names of a Hono path pattern. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(PARAM)].map((m) => m[1]);
}

/** The pattern with each path parameter replaced by `fill(name)`. */
export function fillPath(path: string, fill: (name: string) => string): string {
  return path.replace(PARAM, (_, name: string) => fill(name));
}

/**
 * Declares a route. Throws at definition time when the path parameters and the `params`
 * schema disagree, so a mismatch fails at import, not on the first request.
 */
export function defineRoute<const S extends RouteSpec>(spec: S): S {
  const inPath = pathParams(spec.path).sort().join(",");
  const declared = Object.keys(spec.params?.shape ?? {}).sort().join(",");
  if (inPath !== declared) {
    throw new Error(`${spec.method} ${spec.path}: path params [${inPath}] ≠ schema [${declared}]`);
  }
  return Object.freeze(spec);
}

/**
 * The endpoints under `prefix` served again under `alias` (a path an API used before it took
 * its official one): same schemas and handlers, marked deprecated in the OpenAPI summary.
 */
export function aliasedEndpoints(
  endpoints: readonly Endpoint[],
  prefix: string,
  alias: string,
): Endpoint[] {
  return endpoints.filter((e) => e.route.path.startsWith(`${prefix}/`)).map((e) => ({
    ...e,
    route: defineRoute({
      ...e.route,
      path: alias + e.route.path.slice(prefix.length),
      summary: `${e.route.summary} (deprecated alias of ${prefix})`,
    }),
  }));
}

/**
 * Pairs a route with its handler (the pairing is where the handler gets its types) and, for a
 * TMF list, the count of what its filters match.
 */
export function endpoint<S extends RouteSpec>(
  route: S,
  handler: NoInfer<Handler<S>>,
  count?: NoInfer<Count<S>>,
): Endpoint {
  return { route, handler, count };
}

/**
 * Validates every part against its schema and returns the parsed input; throws one
 * ValidationError holding every issue, each path prefixed with where it was found.
 */
async function validate<S extends RouteSpec>(route: S, c: Context): Promise<Input<S>> {
  const parts: Array<[string, z.ZodType | undefined, () => unknown]> = [
    ["params", route.params, () => c.req.param()],
    [
      "query",
      route.query,
      () => route.tmf && route.query ? tmfQuery(route.query, c.req.query()) : c.req.query(),
    ],
    ["body", route.body, () => readJsonBody(c)],
  ];
  const input: Record<string, unknown> = {};
  const issues: Issue[] = [];
  for (const [where, schema, read] of parts) {
    if (!schema) continue;
    const result = schema.safeParse(await read(), { error: requestError });
    if (result.success) input[where] = result.data;
    else issues.push(...issuesOf(result.error).map((i) => ({ ...i, path: [where, ...i.path] })));
  }
  if (issues.length) throw new ValidationError(issues);
  return input as unknown as Input<S>;
}

/**
 * Mounts endpoints on an app: validate, run the handler, send its reply with the route's
 * status. Matching follows mount order, so list static paths (`/customer/by-email`) before
 * the parametrised ones they would also match (`/customer/:id`).
 */
export function mount(app: Hono<AppEnv>, endpoints: readonly Endpoint[]): void {
  // A bound self-serve call is checked against its owner between validation and handler
  // (`http/middleware/scope.ts`).
  const schemas = new Map<string, z.ZodType>();
  for (const { route, handler, count } of endpoints) {
    const status = route.status ?? 200;
    const tmf = route.tmf;
    if (tmf && route.method === "GET" && !schemas.has(tmf)) schemas.set(tmf, route.response);
    // Every TMF list sends X-Total-Count, so each must say how to count.
    if (tmf && route.response instanceof z.ZodArray && !count) {
      throw new Error(`${route.method} ${route.path}: a TMF list needs a count`);
    }
    app.on(route.method, route.path, async (c) => {
      const input = await validate(route, c);
      await c.get("ownerCheck")?.(input as unknown as Record<string, unknown>);
      const reply = await handler(input, c);
      if (status === 204) return c.body(null, 204);
      if (!tmf) return c.json(reply as object, status);
      if (Array.isArray(reply)) {
        c.header("X-Result-Count", String(reply.length));
        c.header("X-Total-Count", String(await count!(input)));
      }
      const body = project(toTmfWire(reply, new URL(c.req.url).origin, tmf), c.req.query("fields"));
      return c.json(body as object, status);
    });
  }
  for (const [name, schema] of schemas) {
    const document = resourceJsonSchema(schema);
    app.get(schemaPath(name), (c) => c.json(document as object));
  }
}
