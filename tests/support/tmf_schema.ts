/**
 * Validation of response bodies against the official TMF v4 definitions (Swagger 2.0 files,
 * their `definitions` read as JSON Schema draft-04): `type`, `properties`, `required`, `items`,
 * `enum`, `minItems`, `format: date-time`, and `$ref` resolved within the whole document.
 * Draft-04 semantics: a property absent is fine, present it must match (so `null` fails a
 * `string`); unknown properties are allowed (TMF's extension model).
 *
 * @module
 */

/** The TMF API files, kept in `tests/tmf/` as the official v4 Swagger documents. */
export const TMF_FILES = {
  TMF620: "TMF620-product-catalog.swagger.json",
  TMF622: "TMF622-product-ordering.swagger.json",
  TMF629: "TMF629-customer.swagger.json",
  TMF635: "TMF635-usage.swagger.json",
  TMF638: "TMF638-service-inventory.swagger.json",
  TMF639: "TMF639-resource-inventory.swagger.json",
  TMF641: "TMF641-service-ordering.swagger.json",
} as const;

/** One TMF API. */
export type TmfApi = keyof typeof TMF_FILES;

// deno-lint-ignore no-explicit-any
type Schema = Record<string, any>;

/** A loaded Swagger document: its definitions by name. */
export interface TmfDocument {
  api: TmfApi;
  definitions: Record<string, Schema>;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Loads the API's document from `dir`. */
export async function loadTmf(dir: string, api: TmfApi): Promise<TmfDocument> {
  const doc = JSON.parse(await Deno.readTextFile(`${dir}/${TMF_FILES[api]}`));
  return { api, definitions: doc.definitions };
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === "number" && actual === "integer");
}

/** The violations of `value` against `schema`, each `path: problem`. */
function check(doc: TmfDocument, schema: Schema, value: unknown, path: string, out: string[]) {
  if (schema.$ref) {
    const name = String(schema.$ref).replace(/^#\/definitions\//, "");
    const target = doc.definitions[name];
    if (!target) out.push(`${path}: unresolved $ref ${schema.$ref}`);
    else check(doc, target, value, path, out);
    return;
  }
  const actual = typeOf(value);
  if (schema.type && !typeMatches(schema.type, actual)) {
    out.push(`${path}: ${actual} where ${schema.type} is expected`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    out.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join("|")}`);
  }
  if (schema.format === "date-time" && typeof value === "string" && !DATE_TIME.test(value)) {
    out.push(`${path}: ${JSON.stringify(value)} is not a date-time`);
  }
  if (actual === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in obj)) out.push(`${path}: required ${key} is missing`);
    }
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (key in obj) check(doc, sub as Schema, obj[key], `${path}.${key}`, out);
    }
  }
  if (actual === "array") {
    const list = value as unknown[];
    if (schema.minItems !== undefined && list.length < schema.minItems) {
      out.push(`${path}: fewer than ${schema.minItems} items`);
    }
    if (schema.items) list.forEach((v, i) => check(doc, schema.items, v, `${path}[${i}]`, out));
  }
}

/** The violations of `value` against definition `name` of `doc`; empty when it conforms. */
export function violations(doc: TmfDocument, name: string, value: unknown): string[] {
  if (!doc.definitions[name]) return [`${doc.api} has no definition ${name}`];
  const out: string[] = [];
  check(doc, { $ref: `#/definitions/${name}` }, value, name, out);
  return out;
}
