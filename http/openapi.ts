/**
 * The OpenAPI 3.1 document of a service, built from the very route definitions it serves
 * (JSON Schema 2020-12 from zod, the wire/input side of every schema), each operation with
 * the scope it needs as `x-bss-scope`.
 *
 * @module
 */
import { z } from "zod";
import { EXEMPT } from "./middleware/perimeter.ts";
import { fillPath, type RouteSpec } from "./route.ts";
import { accessOf } from "./scopes.ts";
import type { ServiceSpec } from "./services.ts";

type Json = Record<string, unknown>;

/** JSON Schema of the wire form of `schema`, without the `$schema` header. */
function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
}

/** OpenAPI parameters from an object schema's properties. */
function parameters(where: "path" | "query", schema: z.ZodObject | undefined): Json[] {
  if (!schema) return [];
  const { properties = {}, required = [] } = jsonSchema(schema) as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || required.includes(name),
    schema: s,
  }));
}

const json = (schema: Json) => ({ content: { "application/json": { schema } } });

function operation(route: RouteSpec): Json {
  const status = route.status ?? 200;
  return {
    summary: route.summary,
    parameters: [...parameters("path", route.params), ...parameters("query", route.query)],
    ...route.body && {
      requestBody: {
        required: !route.body.safeParse(undefined).success,
        ...json(jsonSchema(route.body)),
      },
    },
    responses: {
      [status]: {
        description: "Success",
        ...status !== 204 && json(jsonSchema(route.response)),
      },
      default: { description: "Error", ...json({ $ref: "#/components/schemas/Error" }) },
    },
    ...EXEMPT.has(route.path)
      ? { security: [] }
      : { "x-bss-scope": accessOf(route.method, route.path).scope },
  };
}

/** The OpenAPI document of `service` serving `routes`. */
export function openApiDocument(
  service: ServiceSpec,
  version: string,
  routes: readonly RouteSpec[],
): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = fillPath(route.path, (name) => `{${name}}`);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: "3.1.0",
    info: { title: `bss ${service.name}`, version },
    paths,
    security: [{ apiToken: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        apiToken: { type: "apiKey", in: "header", name: "X-BSS-API-Token" },
        bearer: { type: "http", scheme: "bearer", description: "the same token" },
      },
      schemas: {
        Error: {
          type: "object",
          description: "Every error reply; POLICY_VIOLATION adds rule and context, " +
            "VALIDATION_ERROR adds issues [{path, message}].",
          properties: { code: { type: "string" }, message: { type: "string" } },
          required: ["code", "message"],
        },
      },
    },
  };
}
