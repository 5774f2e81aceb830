/**
 * The typed client against a real server: request building (params, query, body, headers
 * from the caller context), response parsing with the route's own schema, and the error
 * mapping (PolicyViolation, NotFound, HttpError for the rest, timeouts, unreachable hosts,
 * replies that break the schema), including how a server relays an upstream failure.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { currentCaller, withCaller } from "../kernel/context.ts";
import { NotFound, PolicyViolation } from "../kernel/errors.ts";
import { configureLog } from "../kernel/log.ts";
import { clockFreeze, clockNow } from "../http/admin/clock.ts";
import { createClient } from "../http/client.ts";
import { HttpError } from "../http/errors.ts";
import { defineRoute, endpoint } from "../http/route.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest, SERVICE_TOKEN, tenantToken, TOKEN } from "./support/http.ts";

const db = await freshDatabase("http_client");

const echo = defineRoute({
  method: "POST",
  path: "/test/echo/:id",
  params: z.object({ id: z.string() }),
  query: z.object({ n: z.coerce.number<number>().int().optional(), tag: z.string().optional() }),
  body: z.object({ at: z.iso.datetime(), items: z.array(z.string()) }),
  response: z.object({
    id: z.string(),
    n: z.number().nullable(),
    tag: z.string().nullable(),
    // The wire carries a string; callers get a Date.
    at: z.iso.datetime().transform((s) => new Date(s)),
    items: z.array(z.string()),
    caller: z.object({
      actor: z.string(),
      channel: z.string(),
      serviceIdentity: z.string(),
      requestId: z.string(),
    }),
  }),
  status: 201,
  summary: "test: echo the request",
});
const fail = defineRoute({
  method: "GET",
  path: "/test/fail/:how",
  params: z.object({ how: z.enum(["policy", "missing", "slow"]) }),
  response: z.object({ ok: z.boolean() }),
  summary: "test: fail in a given way",
});
const remove = defineRoute({
  method: "DELETE",
  path: "/test/thing/:id",
  params: z.object({ id: z.string() }),
  response: z.void(),
  status: 204,
  summary: "test: delete",
});
const relay = defineRoute({
  method: "POST",
  path: "/test/relay/:what",
  params: z.object({ what: z.enum(["freeze", "policy"]) }),
  response: z.object({}),
  summary: "test: call another service and let its error escape",
});

// The clock of `closed` refuses changes: 403 ADMIN_CLOCK_DISABLED.
const closed = serveTest({ sql: db.sql, service: "rating" });
const server = serveTest({
  sql: db.sql,
  endpoints: [
    endpoint(echo, ({ params, query, body }) => {
      const { actor, channel, serviceIdentity, requestId = "" } = currentCaller();
      return {
        id: params.id,
        n: query.n ?? null,
        tag: query.tag ?? null,
        ...body,
        caller: { actor, channel, serviceIdentity, requestId },
      };
    }),
    endpoint(fail, async ({ params }) => {
      if (params.how === "policy") {
        throw new PolicyViolation("thing.get.forbidden", "no", { id: "T-1" });
      }
      if (params.how === "missing") throw new NotFound("Thing", "T-404");
      await new Promise((r) => setTimeout(r, 300));
      return { ok: true };
    }),
    endpoint(remove, () => {}),
    endpoint(relay, async ({ params }) => {
      const upstream = createClient({ baseUrl: closed.url, token: TOKEN, service: "crm" });
      if (params.what === "freeze") await upstream.call(clockFreeze, { body: {} });
      else await server.client().call(fail, { params: { how: "policy" } });
      return {};
    }),
  ],
});
const client = server.client();

Deno.test("a call round-trips params, query, body and parses the reply", async () => {
  const r = await client.call(echo, {
    params: { id: "A/B 1" },
    query: { n: 7, tag: "x&y" },
    body: { at: "2030-01-01T00:00:00Z", items: ["a", "b"] },
  });
  assert.equal(r.id, "A/B 1");
  assert.equal(r.n, 7);
  assert.equal(r.tag, "x&y");
  assert.ok(r.at instanceof Date);
  assert.equal(r.at.toISOString(), "2030-01-01T00:00:00.000Z");
  assert.deepEqual(r.items, ["a", "b"]);
});

Deno.test("optional query parts may be left out", async () => {
  const r = await client.call(echo, {
    params: { id: "x" },
    body: { at: "2030-01-01T00:00:00Z", items: [] },
  });
  assert.deepEqual([r.n, r.tag], [null, null]);
});

Deno.test("actor, channel and request id travel from the caller context", async () => {
  const ctx = {
    actor: "cli-user",
    channel: "cli",
    serviceIdentity: "ignored-by-the-callee",
    tenant: "DEFAULT",
    requestId: "req-42",
  };
  const r = await withCaller(ctx, () =>
    server.client({ token: tenantToken("OTHER") }).call(echo, {
      params: { id: "x" },
      body: { at: "2030-01-01T00:00:00Z", items: [] },
    }));
  assert.deepEqual(r.caller, {
    actor: "cli-user",
    channel: "cli",
    // The callee derives the identity from the token.
    serviceIdentity: "tenant_other",
    requestId: "req-42",
  });
});

Deno.test("outside any context the client sends system/system and a fresh request id", async () => {
  // Sent as `service`, which may assert them (from `default` they would be recorded as `default`).
  const r = await server.client({ token: SERVICE_TOKEN }).call(echo, {
    params: { id: "x" },
    body: { at: "2030-01-01T00:00:00Z", items: [] },
  });
  assert.equal(r.caller.actor, "system");
  assert.equal(r.caller.channel, "system");
  assert.match(r.caller.requestId, /^[0-9a-f-]{36}$/);
});

Deno.test("routes without input need no argument; 204 resolves to undefined", async () => {
  const now = await client.call(clockNow);
  assert.equal(now.mode, "wall");
  assert.equal(await client.call(remove, { params: { id: "T-1" } }), undefined);
});

Deno.test("422 POLICY_VIOLATION throws PolicyViolation", async () => {
  const e = await client.call(fail, { params: { how: "policy" } }).catch((e) => e);
  assert.ok(e instanceof PolicyViolation);
  assert.deepEqual([e.rule, e.message, e.context], ["thing.get.forbidden", "no", { id: "T-1" }]);
});

Deno.test("404 throws NotFound", async () => {
  const e = await client.call(fail, { params: { how: "missing" } }).catch((e) => e);
  assert.ok(e instanceof NotFound);
  assert.equal(e.message, "Thing T-404 not found");
});

Deno.test("other errors throw HttpError with status and body", async () => {
  const e = await closed.client().call(clockFreeze, { body: {} }).catch((e) => e);
  assert.ok(e instanceof HttpError);
  assert.equal(e.status, 403);
  assert.equal(e.code, "ADMIN_CLOCK_DISABLED");
  assert.match(e.upstream!, /^POST http:\/\/127\.0\.0\.1:\d+\/admin-api\/v1\/clock\/freeze$/);
  const invalid = await server.client().call(echo, {
    params: { id: "x" },
    body: { at: "not a date", items: [] },
  }).catch((e) => e);
  assert.ok(invalid instanceof HttpError);
  assert.deepEqual([invalid.status, invalid.code], [422, "VALIDATION_ERROR"]);
  const bad = await server.client({ token: "y".repeat(40) }).call(clockNow).catch((e) => e);
  assert.deepEqual([bad.status, bad.code], [401, "AUTH_INVALID_TOKEN"]);
});

Deno.test("a slow reply times out as HttpError 504", async () => {
  const e = await server.client({ timeoutMs: 50 }).call(fail, { params: { how: "slow" } })
    .catch((e) => e);
  assert.ok(e instanceof HttpError);
  assert.deepEqual([e.status, e.code], [504, "UPSTREAM_TIMEOUT"]);
});

Deno.test("an unreachable service is HttpError 503", async () => {
  const gone = createClient({ baseUrl: "http://127.0.0.1:1", token: TOKEN, service: "test" });
  const e = await gone.call(clockNow).catch((e) => e);
  assert.ok(e instanceof HttpError);
  assert.deepEqual([e.status, e.code], [503, "UPSTREAM_UNAVAILABLE"]);
});

Deno.test("a reply that breaks the response schema is HttpError 502", async () => {
  // The same path as `fail`, but the caller expects another shape: drift, caught.
  const drifted = defineRoute({ ...fail, response: z.object({ ok: z.string() }) });
  const e = await client.call(drifted, { params: { how: "slow" } }).catch((e) => e);
  assert.ok(e instanceof HttpError);
  assert.deepEqual([e.status, e.code], [502, "UPSTREAM_BAD_REPLY"]);
  assert.deepEqual((e.body.issues as { path: string[] }[])[0].path, ["ok"]);
});

Deno.test("a server relays an upstream HttpError as 502, a PolicyViolation as itself", async () => {
  const lines: string[] = [];
  configureLog("info", (line) => lines.push(line));
  const upstream = await reply(await server.request("/test/relay/freeze", { method: "POST" }))
    .finally(() => configureLog("info", (line) => console.error(line)));
  assert.ok(lines.some((l) => JSON.parse(l).msg === "http.upstream_failed"));
  assert.equal(upstream.status, 502);
  assert.equal(upstream.body.code, "UPSTREAM_ERROR");
  assert.match(upstream.body.message, /403 ADMIN_CLOCK_DISABLED/);
  const policy = await reply(await server.request("/test/relay/policy", { method: "POST" }));
  assert.equal(policy.status, 422);
  assert.equal(policy.body.rule, "thing.get.forbidden");
});

Deno.test("missing required input does not type-check", () => {
  const typeOnly = () => {
    // @ts-expect-error params and body are required
    client.call(echo);
    // @ts-expect-error body is required
    client.call(echo, { params: { id: "x" } });
    // @ts-expect-error a route without params takes none
    client.call(clockNow, { params: { id: "x" } });
  };
  assert.equal(typeof typeOnly, "function");
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await closed.stop();
    await db.drop();
  },
});
