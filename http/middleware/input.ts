/**
 * Input hardening at the edge (README "Input limits"), before any route sees a request:
 * a body over the size limit → 413 `PAYLOAD_TOO_LARGE`; a body that is not declared
 * `application/json` (UTF-8) → 415 `UNSUPPORTED_MEDIA_TYPE`; a NUL in the path or a query
 * value → 400 `INVALID_TEXT` naming where. The body itself is checked as it is read
 * ({@link readJsonBody}): invalid UTF-8, nesting past {@link MAX_DEPTH}, NUL and lone
 * surrogates are refused, never replaced, and card numbers in free text are masked.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { maskFreeText } from "../../kernel/pan.ts";
import type { AppEnv } from "../env.ts";
import { errorJson, HttpError } from "../errors.ts";

/** How deep arrays and objects may nest in a request body. */
export const MAX_DEPTH = 32;

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

const refuse = (status: 400 | 413 | 415, code: string, message: string, extra = {}) =>
  new HttpError(status, { code, message, ...extra });

/** What is wrong with a string, if anything. */
function badText(s: string): string | undefined {
  if (s.includes("\u0000")) return "holds a NUL character";
  if (LONE_SURROGATE.test(s)) return "holds a lone UTF-16 surrogate";
  return undefined;
}

/** The first bad string (key or value) in a parsed body, with its path. */
function findBadText(
  value: unknown,
  path: (string | number)[],
): { path: (string | number)[]; problem: string } | undefined {
  if (typeof value === "string") {
    const problem = badText(value);
    return problem ? { path, problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findBadText(v, [...path, i]);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const problem = badText(k);
      if (problem) return { path: [...path, k], problem: `key ${problem}` };
      const found = findBadText(v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Whether the JSON text nests deeper than `max` (strings skipped), without parsing it. */
function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) {
      if (++depth > max) return true;
    } else if (ch === 125 || ch === 93) depth--;
  }
  return false;
}

/**
 * The request's JSON body, undefined when empty; refuses invalid UTF-8, nesting past
 * {@link MAX_DEPTH}, malformed JSON, NUL and lone surrogates (400, with the field's path),
 * and returns it with card numbers masked in free-text fields (`kernel/pan.ts`).
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  let text: string;
  try {
    text = utf8.decode(await c.req.arrayBuffer());
  } catch {
    throw refuse(400, "INVALID_UTF8", "the body is not valid UTF-8");
  }
  if (text.trim() === "") return undefined;
  if (nestsDeeper(text, MAX_DEPTH)) {
    throw refuse(400, "TOO_DEEP", `the body nests deeper than ${MAX_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw refuse(400, "MALFORMED_JSON", (e as Error).message);
  }
  const bad = findBadText(value, ["body"]);
  if (bad) {
    throw refuse(400, "INVALID_TEXT", `${bad.path.join(".")} ${bad.problem}`, { path: bad.path });
  }
  return maskFreeText(value);
}

/** Whether a request carries a body: a positive length, or one sent in chunks. */
function hasBody(c: Context): boolean {
  return Number(c.req.header("content-length") ?? 0) > 0 ||
    c.req.header("transfer-encoding") !== undefined;
}

/** The edge checks of every request; `maxBytes` is the body size limit. */
export function inputGuard(maxBytes: number): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      errorJson(c, 413, {
        code: "PAYLOAD_TOO_LARGE",
        message: `the body exceeds ${maxBytes} bytes`,
      }),
  });
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (decodeURIComponentSafe(url.pathname).includes("\u0000")) {
      throw refuse(400, "INVALID_TEXT", "the path holds a NUL character", { path: ["path"] });
    }
    for (const [key, value] of url.searchParams) {
      const problem = badText(key) ?? badText(value);
      if (problem) {
        throw refuse(400, "INVALID_TEXT", `query.${key} ${problem}`, { path: ["query", key] });
      }
    }
    if (!hasBody(c)) return await next();
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type.trim())) {
      throw refuse(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json (UTF-8)");
    }
    return await limit(c, next);
  };
}

/** `decodeURIComponent`, or the text as it is when it is not valid percent-encoding. */
function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
