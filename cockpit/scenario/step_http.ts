/**
 * `http` steps (docs/cockpit.md §9.1, §9.3): one request, `"METHOD <url>"` against `base_url` (or the
 * run's default), with headers, cookies and a form or JSON body. The result is
 * `{status, headers (lower-case), cookies, body (parsed when JSON), body_text}`; `expect`
 * checks it, `capture` takes JSONPaths from it and `capture_regex` matches its text fields.
 * Cookies set by earlier steps of the run are sent like a browser would (`cookie_jar.ts`).
 *
 * @module
 */
import { captureJsonPaths, captureRegexes } from "./capture.ts";
import { CookieJar } from "./cookie_jar.ts";
import { type StepDone, StepFailed } from "./env.ts";
import { resolvePath } from "./expect.ts";
import { poll } from "./poll.ts";
import type { Step } from "./schema.ts";
import { interpolate } from "./template.ts";

type HttpStep = Extract<Step, { http: string }>;

/** What an http step's checks and captures read. */
export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  body: unknown;
  body_text: string;
}

const textOf = (v: unknown) => typeof v === "string" ? v : JSON.stringify(v);
const stringMap = (m: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, textOf(v)]));

/** Sends the request of `step` (already interpolated). */
async function send(
  step: HttpStep,
  baseUrl: string,
  jar: CookieJar,
  relocate: (url: URL) => URL,
): Promise<HttpResult> {
  const at = step.http.indexOf(" ");
  const [method, target] = [step.http.slice(0, at), step.http.slice(at + 1).trim()];
  const url = relocate(new URL(target, step.base_url ?? baseUrl));
  const headers = new Headers(stringMap(step.headers));
  const cookie = jar.header(url, stringMap(step.cookies));
  if (cookie) headers.set("cookie", cookie);
  let body: BodyInit | undefined;
  if (step.form) body = new URLSearchParams(stringMap(step.form));
  else if (step.json !== undefined) {
    body = JSON.stringify(step.json);
    headers.set("content-type", "application/json");
  }
  const response = await fetch(url, {
    method,
    headers,
    body,
    redirect: step.follow_redirects ? "follow" : "manual",
    signal: AbortSignal.timeout(step.timeout_seconds * 1000),
  });
  const type = response.headers.get("content-type") ?? "";
  // An event stream never ends by itself: it is read only when the step asks to drain it.
  const streaming = type.startsWith("text/event-stream") && !step.drain_stream;
  const bodyText = streaming ? (await response.body?.cancel(), "") : await response.text();
  let parsed: unknown = bodyText;
  if (type.includes("json")) {
    try {
      parsed = JSON.parse(bodyText);
    } catch { /* not JSON after all: the text stands */ }
  }
  jar.store(url, response.headers.getSetCookie());
  const responseCookies = Object.fromEntries(
    response.headers.getSetCookie().map((c) => {
      const [pair] = c.split(";");
      const at = pair.indexOf("=");
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    }),
  );
  return {
    status: response.status,
    headers: Object.fromEntries([...response.headers].map(([k, v]) => [k.toLowerCase(), v])),
    cookies: responseCookies,
    body: parsed,
    body_text: bodyText,
  };
}

/** The failures of `expect` against `result`. */
function check(expect: HttpStep["expect"], result: HttpResult): string[] {
  const failures: string[] = [];
  if (expect.status !== undefined) {
    const allowed = Array.isArray(expect.status) ? expect.status : [expect.status];
    if (!allowed.includes(result.status)) {
      failures.push(`status ${result.status}, expected ${allowed.join(" or ")}`);
    }
  }
  for (const s of expect.body_contains) {
    if (!result.body_text.includes(s)) failures.push(`body does not contain ${JSON.stringify(s)}`);
  }
  for (const s of expect.body_not_contains) {
    if (result.body_text.includes(s)) failures.push(`body contains ${JSON.stringify(s)}`);
  }
  for (const [name, pattern] of Object.entries(expect.headers_match)) {
    const value = result.headers[name.toLowerCase()];
    if (value === undefined || !new RegExp(pattern).test(value)) {
      failures.push(`header ${name}: ${JSON.stringify(value)} does not match /${pattern}/`);
    }
  }
  for (const [path, expected] of Object.entries(expect.body_json_equals)) {
    const actual = resolvePath(result.body, path);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      failures.push(`body.${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
    }
  }
  return failures;
}

/**
 * Runs an http step against `baseUrl` unless it names its own, with the run's cookies; the URL
 * goes through `relocate` (the run's port layout) before it is sent.
 */
export async function runHttp(
  raw: HttpStep,
  vars: Record<string, unknown>,
  baseUrl: string,
  jar = new CookieJar(),
  relocate: (url: URL) => URL = (url) => url,
): Promise<StepDone> {
  const step = {
    ...raw,
    ...interpolate({
      http: raw.http,
      base_url: raw.base_url,
      headers: raw.headers,
      cookies: raw.cookies,
      form: raw.form,
      json: raw.json,
      expect: raw.expect,
    }, vars) as Partial<HttpStep>,
  } as HttpStep;
  const { value, failures } = await poll(step.poll, async () => {
    try {
      const result = await send(step, baseUrl, jar, relocate);
      return { value: result, failures: check(step.expect, result) };
    } catch (e) {
      return { value: undefined, failures: [`${step.http}: ${(e as Error).message}`] };
    }
  });
  if (failures.length) throw new StepFailed(failures.join("; "));
  const notes = [
    ...captureJsonPaths(value, step.capture, vars),
    ...captureRegexes(value, step.capture_regex, vars, { defaultSource: "body_text", last: false }),
  ];
  return { status: "PASS", detail: notes.join(" ") || `${value!.status}` };
}
