/**
 * Checking an `assert` step's `expect` (docs/cockpit.md §9.3): dot paths into the tool result, then
 * equality for scalars and lists or an operator dict whose every operator must hold. A JSON
 * number equals a decimal string of the same value (money travels as strings, files write
 * numbers); `any_match` as a key of its own matches any element of a list result.
 *
 * @module
 */

/** Keys tried, in order, when a non-numeric path segment meets a list. */
const LIST_KEYS = ["allowanceType", "type", "id", "name", "channel"];

/** The value at dot `path` in `doc` (`$`: all of it); `undefined` when it does not resolve. */
export function resolvePath(doc: unknown, path: string): unknown {
  if (path === "$") return doc;
  let current = doc;
  for (const segment of path.split(".")) {
    if (Array.isArray(current)) {
      current = /^\d+$/.test(segment)
        ? current[Number(segment)]
        : current.find((item) =>
          item !== null && typeof item === "object" &&
          LIST_KEYS.some((k) => (item as Record<string, unknown>)[k] === segment)
        );
    } else if (current !== null && typeof current === "object" && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/** A number, or a string that is one (`"20.00"`); undefined otherwise. */
function numeric(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && !isNaN(n) ? n : undefined;
}

/** Equality; when either side is a JSON number, by numeric value (`20` equals `"20.00"`). */
function equal(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") {
    const [x, y] = [numeric(a), numeric(b)];
    if (x !== undefined && y !== undefined) return x === y;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Ordering of numbers, or of numeric strings (money is a decimal string). */
function order(actual: unknown, bound: unknown): number | undefined {
  const [a, b] = [numeric(actual), numeric(bound)];
  return a === undefined || b === undefined ? undefined : a - b;
}

function contains(actual: unknown, item: unknown): boolean {
  if (typeof actual === "string") return typeof item === "string" && actual.includes(item);
  if (Array.isArray(actual)) return actual.some((v) => equal(v, item));
  if (actual !== null && typeof actual === "object") {
    return typeof item === "string" && Object.hasOwn(actual, item);
  }
  return false;
}

/** Whether `operator` holds between `actual` and `operand`; null fails every ordering. */
function holds(operator: string, actual: unknown, operand: unknown): boolean {
  const cmp = order(actual, operand);
  switch (operator) {
    case "eq":
      return equal(actual, operand);
    case "ne":
      return !equal(actual, operand);
    case "gt":
      return cmp !== undefined && cmp > 0;
    case "gte":
      return cmp !== undefined && cmp >= 0;
    case "lt":
      return cmp !== undefined && cmp < 0;
    case "lte":
      return cmp !== undefined && cmp <= 0;
    case "in":
      return Array.isArray(operand) && operand.some((v) => equal(v, actual));
    case "not_in":
      return Array.isArray(operand) && !operand.some((v) => equal(v, actual));
    case "starts_with":
      return typeof actual === "string" && typeof operand === "string" &&
        actual.startsWith(operand);
    case "contains":
      return contains(actual, operand);
    case "not_null":
      return (actual !== null) === operand;
    case "any_match":
      return Array.isArray(actual) &&
        actual.some((item) =>
          checkExpectations(item, operand as Record<string, unknown>).length === 0
        );
    default:
      throw new Error(`unknown operator: ${operator}`);
  }
}

const ANY_MATCH = "any_match";

function hasKey(doc: unknown, key: string): boolean {
  return doc !== null && typeof doc === "object" && !Array.isArray(doc) && Object.hasOwn(doc, key);
}

/** The failures of `expect` against `result`, one line each; empty when all hold. */
export function checkExpectations(result: unknown, expect: Record<string, unknown>): string[] {
  const failures: string[] = [];
  for (const [path, expected] of Object.entries(expect)) {
    if (path === ANY_MATCH && !hasKey(result, ANY_MATCH)) {
      if (!holds(ANY_MATCH, result, expected)) {
        failures.push(`no element of ${brief(result)} matches ${brief(expected)}`);
      }
      continue;
    }
    const actual = resolvePath(result, path);
    if (actual === undefined) {
      failures.push(`${path}: does not resolve`);
      continue;
    }
    const ops = expected !== null && typeof expected === "object" && !Array.isArray(expected)
      ? Object.entries(expected)
      : [["eq", expected] as const];
    for (const [op, operand] of ops) {
      if (!holds(op, actual, operand)) {
        failures.push(`${path}: ${brief(actual)} fails ${op} ${brief(operand)}`);
      }
    }
  }
  return failures;
}

/** A value in a failure line, cut so a long list does not drown the report. */
function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
