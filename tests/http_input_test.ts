/**
 * Input hardening at the edge: body size limit (413, configurable), JSON content type (415),
 * invalid UTF-8, nesting depth, NUL and lone surrogates (400 with the field's path), NUL in
 * the query — all in the standard error body, before any handler runs — and card numbers
 * masked in free-text fields, identifiers untouched.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { MAX_DEPTH } from "../http/middleware/input.ts";
import { defineRoute, endpoint } from "../http/route.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest, TOKEN } from "./support/http.ts";

const db = await freshDatabase("http_input");

// Test-only: echoes what the handler received, and counts the calls.
const echoRoute = defineRoute({
  method: "POST",
  path: "/test/echo",
  query: z.object({ q: z.string().optional() }),
  body: z.unknown(),
  response: z.unknown(),
  summary: "test: echo the body",
});
let handled = 0;
const endpoints = [endpoint(echoRoute, ({ body }) => {
  handled++;
  return body ?? null;
})];
const server = serveTest({ sql: db.sql, endpoints });
const small = serveTest({ sql: db.sql, endpoints, env: { BSS_HTTP_BODY_LIMIT_BYTES: "100" } });

/** Posts raw bytes with `type` (none when null); returns status and body. */
async function send(body: BodyInit, type: string | null = "application/json", path = "/test/echo") {
  const headers: Record<string, string> = { "x-bss-api-token": TOKEN };
  if (type) headers["content-type"] = type;
  return await reply(await fetch(`${server.url}${path}`, { method: "POST", headers, body }));
}

/** Asserts a refusal before the handler, with the standard error body. */
async function refused(
  r: Promise<{ status: number; body: Record<string, unknown> }>,
  status: number,
  code: string,
) {
  const before = handled;
  const { status: got, body } = await r;
  assert.deepEqual([got, body.code], [status, code], JSON.stringify(body));
  assert.equal(typeof body.message, "string");
  assert.equal(handled, before, "the handler must not run");
  return body;
}

Deno.test("a 10 MB body is 413, with or without a content length", async () => {
  const big = JSON.stringify({ name: "x".repeat(10 * 1024 * 1024) });
  await refused(send(big), 413, "PAYLOAD_TOO_LARGE");
  const chunks = new Blob([big]).stream();
  await refused(send(chunks), 413, "PAYLOAD_TOO_LARGE");
});

Deno.test("the body limit is configurable", async () => {
  const body = JSON.stringify({ name: "x".repeat(200) });
  const r = await reply(
    await fetch(`${small.url}/test/echo`, {
      method: "POST",
      headers: { "x-bss-api-token": TOKEN, "content-type": "application/json" },
      body,
    }),
  );
  assert.deepEqual([r.status, r.body.code], [413, "PAYLOAD_TOO_LARGE"]);
  const ok = await send(body);
  assert.equal(ok.status, 200);
});

Deno.test("a body must be declared application/json (UTF-8)", async () => {
  await refused(send('{"a":1}', "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
  await refused(send('{"a":1}', null), 415, "UNSUPPORTED_MEDIA_TYPE");
  await refused(send('{"a":1}', "application/json; charset=latin1"), 415, "UNSUPPORTED_MEDIA_TYPE");
  assert.deepEqual(await send('{"a":1}', "application/json; charset=utf-8"), {
    status: 200,
    body: { a: 1 },
  });
});

Deno.test("invalid UTF-8 is refused, not replaced", async () => {
  const bytes = new Uint8Array([...new TextEncoder().encode('{"name":"a'), 0xff, 0xfe, 0x22, 0x7d]);
  await refused(send(bytes), 400, "INVALID_UTF8");
});

Deno.test("nesting past the limit is 400 TOO_DEEP; at the limit it passes", async () => {
  await refused(send("[".repeat(20_000) + "]".repeat(20_000)), 400, "TOO_DEEP");
  await refused(send('{"a":'.repeat(20_000) + "1" + "}".repeat(20_000)), 400, "TOO_DEEP");
  const deepest = "[".repeat(MAX_DEPTH) + "]".repeat(MAX_DEPTH);
  assert.equal((await send(deepest)).status, 200);
  // Brackets inside strings do not count.
  assert.equal((await send(JSON.stringify({ s: "[".repeat(100) }))).status, 200);
});

Deno.test("NUL and lone surrogates are 400 INVALID_TEXT with the field's path", async () => {
  const nul = await refused(send('{"a":[{"b":"x\\u0000y"}]}'), 400, "INVALID_TEXT");
  assert.deepEqual(nul.path, ["body", "a", 0, "b"]);
  const lone = await refused(send('{"name":"\\ud800"}'), 400, "INVALID_TEXT");
  assert.deepEqual(lone.path, ["body", "name"]);
  const low = await refused(send('{"n":"a\\udc00b"}'), 400, "INVALID_TEXT");
  assert.deepEqual(low.path, ["body", "n"]);
  const key = await refused(send('{"k\\u0000":1}'), 400, "INVALID_TEXT");
  assert.deepEqual(key.path, ["body", "k\u0000"]);
  // A proper pair (an emoji) is text.
  assert.deepEqual(await send('{"n":"\\ud83d\\ude00"}'), { status: 200, body: { n: "😀" } });
  const query = await refused(send("{}", undefined, "/test/echo?q=a%00b"), 400, "INVALID_TEXT");
  assert.deepEqual(query.path, ["query", "q"]);
});

Deno.test("card numbers in free-text fields are masked; identifiers are not", async () => {
  const r = await send(JSON.stringify({
    name: "Ann 4242 4242 4242 4242",
    note: { text: "card 5555-5555-5555-4444 and 4000000000000002" },
    subject: "not a card: 4242 4242 4242 4241",
    iccid: "8910101000000000005",
    msisdn: "6591234567",
  }));
  assert.deepEqual(r, {
    status: 200,
    body: {
      name: "Ann •••• 4242",
      note: { text: "card •••• 4444 and •••• 0002" },
      subject: "not a card: 4242 4242 4242 4241",
      iccid: "8910101000000000005",
      msisdn: "6591234567",
    },
  });
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await small.stop();
    await db.drop();
  },
});
