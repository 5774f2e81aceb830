/**
 * Scenario templating (docs/cockpit.md §9.2): `{{ name }}` placeholders substituted recursively in
 * strings, list items and object values (never keys). A string that is exactly one
 * placeholder yields the variable's raw typed value; an undefined name is an error.
 *
 * @module
 */

/** The variables a scenario run has defined so far (`run_id`, captures, `variables`). */
export type Variables = Readonly<Record<string, unknown>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** Raised when a placeholder names no defined variable. */
export class UndefinedVariable extends Error {
  /** `name` is the placeholder that had no value. */
  constructor(readonly variable: string) {
    super(`undefined template variable: ${variable}`);
    this.name = "UndefinedVariable";
  }
}

function lookup(name: string, vars: Variables): unknown {
  if (!Object.hasOwn(vars, name)) throw new UndefinedVariable(name);
  return vars[name];
}

/** `value` with every placeholder substituted from `vars`. */
export function interpolate(value: unknown, vars: Variables): unknown {
  if (typeof value === "string") {
    const whole = WHOLE.exec(value);
    if (whole) return lookup(whole[1], vars);
    return value.replace(PLACEHOLDER, (_, name: string) => String(lookup(name, vars)));
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)]),
    );
  }
  return value;
}
