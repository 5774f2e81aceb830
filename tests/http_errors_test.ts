/**
 * The error model on the wire: validation 422 with located issues, malformed JSON 400,
 * unknown routes 404, wrong methods 405, kernel answers (PolicyViolation 422, NotFound 404),
 * explicit HttpErrors, and a JSON 500 for the unexpected. Never a 500 for bad input.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { NotFound, PolicyViolation } from "../kernel/errors.ts";
import { configureLog } from "../kernel/log.ts";
import { HttpError } from "../http/errors.ts";
import { defineRoute, endpoint } from "../http/route.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest } from "./support/http.ts";

const db = await freshDatabase("http_errors");

const create = defineRoute({
  method: "POST",
  path: "/test/widget/:id",
  params: z.object({ id: z.string().regex(/^W-\d+$/) }),
  query: z.object({ dryRun: z.enum(["true", "false"]).optional() }),
  body: z.object({ name: z.string().min(1), size: z.number().int().positive() }),
  response: z.object({ id: z.string(), name: z.string(), size: z.number() }),
  status: 201,
  summary: "test: create a widget",
});
const fail = defineRoute({
  method: "GET",
  path: "/test/fail/:how",
  params: z.object({ how: z.string() }),
  response: z.object({}),
  summary: "test: fail in a given way",
});
const remove = defineRoute({
  method: "DELETE",
  path: "/test/widget/:id",
  params: z.object({ id: z.string() }),
  response: z.void(),
  status: 204,
  summary: "test: delete a widget",
});

const server = serveTest({
  sql: db.sql,
  endpoints: [
    endpoint(create, ({ params, body }, c) => {
      c.header("Location", `/test/widget/${params.id}`);
      return { id: params.id, ...body };
    }),
    endpoint(fail, ({ params }) => {
      switch (params.how) {
        case "policy":
          throw new PolicyViolation("widget.create.too_big", "too big", { max: 3 });
        case "missing":
          throw new NotFound("Widget", "W-9");
        case "conflict":
          throw new HttpError(409, { code: "WIDGET_BUSY", message: "busy" });
        default:
          throw new Error("boom with a secret detail");
      }
    }),
    endpoint(remove, () => {}),
  ],
});

const post = (path: string, init: RequestInit & { json?: unknown }) =>
  server.request(path, { method: "POST", ...init });

Deno.test("a valid create answers 201 with Location", async () => {
  const r = await post("/test/widget/W-1", { json: { name: "a", size: 2 } });
  assert.equal(r.status, 201);
  assert.equal(r.headers.get("location"), "/test/widget/W-1");
  assert.deepEqual(await r.json(), { id: "W-1", name: "a", size: 2 });
});

Deno.test("a delete answers 204 with no body", async () => {
  const r = await server.request("/test/widget/W-1", { method: "DELETE" });
  assert.equal(r.status, 204);
  assert.equal(await r.text(), "");
});

Deno.test("schema errors are 422 VALIDATION_ERROR, every issue located", async () => {
  const r = await reply(
    await post("/test/widget/nope?dryRun=maybe", { json: { name: "", size: "2" } }),
  );
  assert.equal(r.status, 422);
  assert.equal(r.body.code, "VALIDATION_ERROR");
  assert.equal(typeof r.body.message, "string");
  const paths = r.body.issues.map((i: { path: string[] }) => i.path.join("."));
  assert.deepEqual(paths.sort(), ["body.name", "body.size", "params.id", "query.dryRun"]);
  for (const issue of r.body.issues) assert.equal(typeof issue.message, "string");
});

Deno.test("a missing body is a validation error, not a crash", async () => {
  const r = await reply(await post("/test/widget/W-1", {}));
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.issues, [{ path: ["body"], message: "required" }]);
});

Deno.test("a field left out is 'required'; a wrong type keeps zod's message", async () => {
  const r = await reply(await post("/test/widget/W-1", { json: { size: "2" } }));
  assert.deepEqual(r.body.issues, [
    { path: ["body", "name"], message: "required" },
    { path: ["body", "size"], message: "Invalid input: expected number, received string" },
  ]);
});

Deno.test("a body of the wrong JSON type is a validation error", async () => {
  for (const json of [[], "text", 42, null]) {
    const r = await reply(await post("/test/widget/W-1", { json }));
    assert.equal(r.status, 422, JSON.stringify(json));
  }
});

Deno.test("malformed JSON is 400 MALFORMED_JSON", async () => {
  const r = await reply(
    await post("/test/widget/W-1", {
      body: '{"name": "a",',
      headers: { "content-type": "application/json" },
    }),
  );
  assert.deepEqual([r.status, r.body.code], [400, "MALFORMED_JSON"]);
});

Deno.test("an unknown route is 404 JSON", async () => {
  const r = await reply(await server.request("/no/such/thing"));
  assert.equal(r.status, 404);
  assert.equal(r.body.code, "NOT_FOUND");
  assert.equal(typeof r.body.message, "string");
});

Deno.test("a known path with the wrong method is 405 with Allow", async () => {
  const r = await server.request("/test/widget/W-1", { method: "PUT" });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get("allow"), "POST, DELETE");
  assert.equal((await r.json()).code, "METHOD_NOT_ALLOWED");
});

Deno.test("a PolicyViolation is 422 {code, rule, message, context} with TMF's reason and status", async () => {
  const r = await reply(await server.request("/test/fail/policy"));
  assert.equal(r.status, 422);
  assert.deepEqual(r.body, {
    code: "POLICY_VIOLATION",
    rule: "widget.create.too_big",
    message: "too big",
    context: { max: 3 },
    reason: "widget.create.too_big",
    status: "422",
  });
});

Deno.test("a NotFound is 404 NOT_FOUND", async () => {
  const r = await reply(await server.request("/test/fail/missing"));
  assert.equal(r.status, 404);
  assert.equal(r.body.code, "NOT_FOUND");
  assert.equal(r.body.message, "Widget W-9 not found");
});

Deno.test("an HttpError keeps its status and body", async () => {
  const r = await reply(await server.request("/test/fail/conflict"));
  assert.deepEqual(r, {
    status: 409,
    body: { code: "WIDGET_BUSY", message: "busy", reason: "WIDGET_BUSY", status: "409" },
  });
});

Deno.test("anything else is 500 INTERNAL without internals, and logged", async () => {
  const lines: string[] = [];
  configureLog("info", (line) => lines.push(line));
  try {
    const r = await reply(await server.request("/test/fail/other"));
    assert.deepEqual(r, {
      status: 500,
      body: { code: "INTERNAL", message: "internal error", reason: "INTERNAL", status: "500" },
    });
  } finally {
    configureLog("info", (line) => console.error(line));
  }
  const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "http.unhandled");
  assert.match(logged.error, /boom with a secret detail/);
});

Deno.test("error replies carry the request id", async () => {
  const r = await server.request("/test/fail/policy", { headers: { "x-request-id": "rid-1" } });
  await r.body?.cancel();
  assert.equal(r.headers.get("x-request-id"), "rid-1");
});

Deno.test("a route whose path and params schema disagree fails at definition", () => {
  assert.throws(
    () =>
      defineRoute({
        method: "GET",
        path: "/x/:id/:other",
        params: z.object({ id: z.string() }),
        response: z.object({}),
        summary: "bad",
      }),
    /path params/,
  );
  assert.throws(
    () => defineRoute({ method: "GET", path: "/x/:id", response: z.object({}), summary: "bad" }),
    /path params/,
  );
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await db.drop();
  },
});
