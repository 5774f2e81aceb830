/**
 * The scenario file schema (docs/cockpit.md §9.1): the reference's whole schema plus one extension,
 * `expect_error` on an action step. Every object is strict: an unknown key anywhere is an
 * error carrying the path of the offending key.
 *
 * @module
 */
import { z } from "zod";

/** The comparison operators an `expect` value may use (all must hold). */
export const OPERATORS = [
  "eq",
  "ne",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "not_in",
  "starts_with",
  "contains",
  "not_null",
  "any_match",
] as const;

/** A plain object (an operator dict where an expectation is expected), not a list or null. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Checks the operators of an expectation, recursing into `any_match`. */
function checkOperators(value: unknown, ctx: z.RefinementCtx, path: PropertyKey[] = []): void {
  if (!isRecord(value)) return;
  for (const [key, operand] of Object.entries(value)) {
    if (!(OPERATORS as readonly string[]).includes(key)) {
      ctx.addIssue({ code: "custom", path: [...path, key], message: `unknown operator: ${key}` });
    } else if (key === "any_match") {
      if (!isRecord(operand)) {
        ctx.addIssue({ code: "custom", path: [...path, key], message: "any_match takes a map" });
      } else {
        for (const [sub, inner] of Object.entries(operand)) {
          checkOperators(inner, ctx, [...path, key, sub]);
        }
      }
    } else if (key === "not_null" && typeof operand !== "boolean") {
      ctx.addIssue({ code: "custom", path: [...path, key], message: "not_null takes a boolean" });
    }
  }
}

/**
 * `path → expectation`: a scalar or list compared by equality, or an operator dict. The key
 * `any_match` on its own takes a map of expectations that some element of a list result must
 * meet in full.
 */
const expectations = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  for (const [path, expected] of Object.entries(value)) {
    // A top-level `any_match` is the operator applied to the whole (list) result.
    if (path === "any_match") checkOperators({ any_match: expected }, ctx);
    else checkOperators(expected, ctx, [path]);
  }
});

const name = z.string().min(1);
const args = z.record(z.string(), z.unknown()).default({});
const capture = z.record(z.string(), z.string().startsWith("$"));
const poll = z.strictObject({
  interval_ms: z.number().int().positive().default(200),
  timeout_seconds: z.number().positive().default(5),
});
const captureRegex = z.record(
  z.string(),
  z.strictObject({
    /** Dot path of the text matched; default `body_text` (http) or `text` (file). */
    source: z.string().min(1).optional(),
    pattern: z.string().min(1).refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, "not a valid regular expression"),
    group: z.number().int().nonnegative().default(1),
  }),
);

const actionStep = z.strictObject({
  name,
  action: z.string().min(1),
  args,
  capture: capture.optional(),
  /** Extension: the step passes only when the call fails this way. */
  expect_error: z.strictObject({
    rule: z.string().optional(),
    status: z.number().int().optional(),
  }).optional(),
});

const assertStep = z.strictObject({
  name,
  assert: z.strictObject({
    tool: z.string().min(1),
    args,
    expect: expectations,
    poll: poll.optional(),
  }),
});

const askStep = z.strictObject({
  name,
  ask: z.string().min(1),
  capture: capture.optional(),
  timeout_seconds: z.number().positive().default(60),
  expect_tools_called_include: z.array(z.string()).default([]),
  expect_tools_not_called: z.array(z.string()).default([]),
  /** Probes run after the turn: `label → {tool, args, expect}`. */
  expect_final_state: z.record(
    z.string(),
    z.strictObject({ tool: z.string().min(1), args, expect: expectations }),
  ).default({}),
  /** Event types that must appear, in this order, among the events the turn caused. */
  expect_event_sequence: z.array(z.string()).default([]),
  /** When false, a turn that ends by asking the user a question fails. */
  allow_clarification: z.boolean().default(false),
});

const httpStep = z.strictObject({
  name,
  // The URL is checked once templated: `{{ crm_url }}/health` has spaces until then.
  http: z.string().regex(/^(GET|POST|PUT|PATCH|DELETE|HEAD) \S.*$/, 'expected "GET|POST <url>"'),
  base_url: z.string().optional(),
  headers: z.record(z.string(), z.unknown()).default({}),
  cookies: z.record(z.string(), z.unknown()).default({}),
  form: z.record(z.string(), z.unknown()).optional(),
  json: z.unknown().optional(),
  expect: z.strictObject({
    status: z.union([z.number().int(), z.array(z.number().int()).min(1)]).optional(),
    body_contains: z.array(z.string()).default([]),
    body_not_contains: z.array(z.string()).default([]),
    headers_match: z.record(z.string(), z.string()).default({}),
    body_json_equals: z.record(z.string(), z.unknown()).default({}),
  }).prefault({}),
  poll: poll.optional(),
  follow_redirects: z.boolean().default(false),
  drain_stream: z.boolean().default(false),
  timeout_seconds: z.number().positive().default(30),
  capture: capture.optional(),
  capture_regex: captureRegex.optional(),
}).refine((s) => s.form === undefined || s.json === undefined, {
  message: "form and json are exclusive",
  path: ["form"],
});

const fileStep = z.strictObject({
  name,
  file: z.string().min(1),
  encoding: z.string().default("utf-8").refine((e) => {
    try {
      new TextDecoder(e);
      return true;
    } catch {
      return false;
    }
  }, "unknown encoding"),
  poll: poll.optional(),
  capture: capture.optional(),
  capture_regex: captureRegex.optional(),
});

const STEP_KINDS = {
  action: actionStep,
  assert: assertStep,
  ask: askStep,
  http: httpStep,
  file: fileStep,
} as const;

/** What a step does, by the key that names its kind. */
export type StepKind = keyof typeof STEP_KINDS;

/** One step; its kind is chosen by which of `action`, `assert`, `ask`, `http`, `file` it has. */
const step = z.unknown().transform((value, ctx) => {
  const obj = isRecord(value) ? value : {};
  const kinds = (Object.keys(STEP_KINDS) as StepKind[]).filter((k) => k in obj);
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: "custom",
      message: `a step needs exactly one of ${Object.keys(STEP_KINDS).join(", ")}`,
    });
    return z.NEVER;
  }
  const parsed = STEP_KINDS[kinds[0]].safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: undefined });
  return z.NEVER;
});

/** A scenario file, validated. */
export const scenarioSchema = z.strictObject({
  name,
  description: z.string().default(""),
  tags: z.array(z.string()).default([]),
  setup: z.strictObject({
    reset_operational_data: z.boolean().default(false),
    reset_sequences: z.boolean().default(false),
    freeze_clock_at: z.string().optional(),
    variables: z.record(z.string(), z.unknown()).default({}),
  }).refine((s) => !s.reset_sequences || s.reset_operational_data, {
    message: "reset_sequences needs reset_operational_data (ids must not be reused)",
    path: ["reset_sequences"],
  }).prefault({}),
  variables: z.record(z.string(), z.unknown()).default({}),
  steps: z.array(step).min(1),
  teardown: z.strictObject({ unfreeze_clock: z.boolean().default(false) }).prefault({}),
});

/** A validated scenario. */
export type Scenario = z.infer<typeof scenarioSchema>;
/** A validated step. */
export type Step = Scenario["steps"][number];

/** The kind of a validated step. */
export function kindOf(step: Step): StepKind {
  return (Object.keys(STEP_KINDS) as StepKind[]).find((k) => k in step)!;
}

/** `doc` as a scenario, or the problems found, each as `path: message` (unknown keys named). */
export function validateScenario(
  doc: unknown,
): { ok: true; scenario: Scenario } | { ok: false; problems: string[] } {
  const parsed = scenarioSchema.safeParse(doc);
  if (parsed.success) return { ok: true, scenario: parsed.data };
  const problems = parsed.error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => `${[...at, k].join(".")}: unknown key`);
    }
    return [`${at.join(".") || "(root)"}: ${issue.message}`];
  });
  return { ok: false, problems };
}
