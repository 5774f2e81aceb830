/**
 * `/openapi.json`: an OpenAPI 3.1 document per service, built from the routes it serves.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { defineRoute, endpoint } from "../http/route.ts";
import { freshDatabase } from "./support/db.ts";
import { serveTest } from "./support/http.ts";

const db = await freshDatabase("http_openapi");

const create = defineRoute({
  method: "POST",
  path: "/test/thing/:id",
  params: z.object({ id: z.string() }),
  query: z.object({ mode: z.enum(["a", "b"]), note: z.string().optional() }),
  body: z.object({ size: z.number().int() }),
  response: z.object({ id: z.string() }),
  status: 201,
  summary: "Create a thing",
});
const remove = defineRoute({
  method: "DELETE",
  path: "/test/thing/:id",
  params: z.object({ id: z.string() }),
  response: z.void(),
  status: 204,
  summary: "Delete a thing",
});

// deno-lint-ignore no-explicit-any
async function documentOf(service: "crm" | "catalog"): Promise<any> {
  const server = serveTest({
    sql: db.sql,
    service,
    endpoints: [endpoint(create, ({ params }) => params), endpoint(remove, () => {})],
  });
  try {
    const r = await server.request("/openapi.json");
    assert.equal(r.status, 200);
    return await r.json();
  } finally {
    await server.stop();
  }
}

Deno.test("the document lists every route of the service", async () => {
  const doc = await documentOf("crm");
  assert.equal(doc.openapi, "3.1.0");
  assert.equal(doc.info.title, "bss crm");
  assert.deepEqual(Object.keys(doc.paths).sort(), [
    "/admin-api/v1/clock/advance",
    "/admin-api/v1/clock/freeze",
    "/admin-api/v1/clock/now",
    "/admin-api/v1/clock/reset",
    "/admin-api/v1/clock/unfreeze",
    "/admin-api/v1/reset-operational-data",
    "/audit-api/v1/events",
    "/audit-api/v1/trace/for-order/{orderId}",
    "/audit-api/v1/trace/for-subscription/{subscriptionId}",
    "/audit-api/v1/trace/services",
    "/audit-api/v1/trace/{traceId}",
    "/health",
    "/health/ready",
    "/test/thing/{id}",
  ]);
  assert.deepEqual(Object.keys(doc.paths["/test/thing/{id}"]).sort(), ["delete", "post"]);
});

Deno.test("catalog's document has no audit and no reset route", async () => {
  const doc = await documentOf("catalog");
  assert.equal(doc.paths["/audit-api/v1/events"], undefined);
  assert.equal(doc.paths["/admin-api/v1/reset-operational-data"], undefined);
  assert.ok(doc.paths["/admin-api/v1/clock/now"]);
});

Deno.test("operations carry parameters, body, success status and errors", async () => {
  const post = (await documentOf("crm")).paths["/test/thing/{id}"].post;
  assert.equal(post.summary, "Create a thing");
  assert.deepEqual(
    post.parameters.map((
      p: { name: string; in: string; required: boolean },
    ) => [p.name, p.in, p.required]),
    [
      ["id", "path", true],
      ["mode", "query", true],
      ["note", "query", false],
    ],
  );
  assert.equal(post.requestBody.required, true);
  const body = post.requestBody.content["application/json"].schema;
  assert.deepEqual(body.properties.size, {
    type: "integer",
    minimum: -9007199254740991,
    maximum: 9007199254740991,
  });
  assert.deepEqual(post.responses["201"].content["application/json"].schema.required, ["id"]);
  assert.equal(
    post.responses.default.content["application/json"].schema.$ref,
    "#/components/schemas/Error",
  );
});

Deno.test("204 has no content; an optional body is not required", async () => {
  const doc = await documentOf("crm");
  assert.equal(doc.paths["/test/thing/{id}"].delete.responses["204"].content, undefined);
  assert.equal(doc.paths["/admin-api/v1/clock/freeze"].post.requestBody.required, false);
  assert.equal(doc.paths["/admin-api/v1/clock/advance"].post.requestBody.required, true);
});

Deno.test("the token is the global security scheme, as a header or a bearer; health is exempt", async () => {
  const doc = await documentOf("crm");
  assert.deepEqual(doc.components.securitySchemes.apiToken, {
    type: "apiKey",
    in: "header",
    name: "X-BSS-API-Token",
  });
  assert.equal(doc.components.securitySchemes.bearer.scheme, "bearer");
  assert.deepEqual(doc.security, [{ apiToken: [] }, { bearer: [] }]);
  assert.deepEqual(doc.paths["/health"].get.security, []);
  assert.deepEqual(doc.paths["/health/ready"].get.security, []);
  assert.equal(doc.paths["/audit-api/v1/events"].get.security, undefined);
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () => db.drop(),
});
