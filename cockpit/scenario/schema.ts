/**
 * The scenario file schema (spec 04 §9.1), for the subset the runner implements. Every object
 * is strict: an unknown key anywhere — including the reference fields not implemented here
 * (`setup.reset_sequences`, `setup.variables`, `http`/`file` steps, the `ask` expectations) —
 * is an error carrying the path of the offending key.
 *
 * @module
 */
import { z } from "zod";

/** The comparison operators an `expect` value may use (all must hold). */
export const OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "contains", "in", "exists", "len"];

/** An expectation: a scalar or list compared by equality, or an operator dict. */
const expectation = z.unknown().superRefine((value, ctx) => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (!OPERATORS.includes(key)) {
      ctx.addIssue({ code: "custom", path: [key], message: `unknown operator: ${key}` });
    }
  }
});

const args = z.record(z.string(), z.unknown()).default({});
const capture = z.record(z.string(), z.string().startsWith("$"));

const actionStep = z.strictObject({
  name: z.string().min(1),
  action: z.string().min(1),
  args,
  capture: capture.optional(),
  expect_error: z.strictObject({
    rule: z.string().optional(),
    status: z.number().int().optional(),
  }).optional(),
});

const assertStep = z.strictObject({
  name: z.string().min(1),
  assert: z.strictObject({
    tool: z.string().min(1),
    args,
    expect: z.record(z.string(), expectation),
    poll: z.strictObject({
      interval_ms: z.number().int().positive().default(200),
      timeout_ms: z.number().int().positive().default(5000),
    }).optional(),
  }),
});

const askStep = z.strictObject({ name: z.string().min(1), ask: z.string().min(1) });

/** One step; its kind is chosen by which of `action`, `assert`, `ask` it carries. */
const step = z.unknown().transform((value, ctx) => {
  const obj = value !== null && typeof value === "object" ? value as Record<string, unknown> : {};
  const kinds = ["action", "assert", "ask"].filter((k) => k in obj);
  if (kinds.length !== 1) {
    ctx.addIssue({ code: "custom", message: "a step needs exactly one of action, assert, ask" });
    return z.NEVER;
  }
  const schema = { action: actionStep, assert: assertStep, ask: askStep }[kinds[0]]!;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: undefined });
  return z.NEVER;
});

/** A scenario file, validated. */
export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(""),
  tags: z.array(z.string()).default([]),
  setup: z.strictObject({
    reset_operational_data: z.boolean().default(false),
    freeze_clock_at: z.string().optional(),
  }).default({ reset_operational_data: false }),
  variables: z.record(z.string(), z.unknown()).default({}),
  steps: z.array(step).min(1),
  teardown: z.strictObject({ unfreeze_clock: z.boolean().default(false) })
    .default({ unfreeze_clock: false }),
});

/** A validated scenario. */
export type Scenario = z.infer<typeof scenarioSchema>;

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
