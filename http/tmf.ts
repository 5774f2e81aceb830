/**
 * The one place TMF resources are serialised (docs/http.md §1). A route declaring `tmf` (the
 * resource it returns) has its reply written here: absent optionals (`null`) are omitted, Money
 * (`{unit, value}`) carries `value` as a JSON number, relative `href`s become absolute, and
 * every resource declares its extension fields through `@schemaLocation`, the JSON Schema of
 * the route's response that the same service serves at {@link schemaPath}. Inside the code
 * money stays an exact decimal string and absent stays `null`: the typed client reads the wire
 * back into that form ({@link fromTmfWire}).
 *
 * @module
 */
import { z } from "zod";

/** Where a service serves the JSON Schema of TMF resource `name` (its extensions included). */
export function schemaPath(name: string): string {
  return `/tmf-api/schema/${name}.schema.json`;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function isMoney(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length === 2 && typeof o.unit === "string" && typeof o.value === "string" &&
    DECIMAL.test(o.value);
}

function wire(value: unknown, origin: string): unknown {
  if (Array.isArray(value)) return value.map((v) => wire(v, origin));
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (isMoney(o)) return { unit: o.unit, value: Number(o.value) };
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(o)) {
    if (v === null || v === undefined) continue;
    out[key] = key === "href" && typeof v === "string" && v.startsWith("/")
      ? `${origin}${v}`
      : wire(v, origin);
  }
  return out;
}

/**
 * The wire form of a TMF reply (one resource or a list of them) served from `origin`: see the
 * module. `resource` names the schema each top-level resource declares in `@schemaLocation`.
 */
export function toTmfWire(reply: unknown, origin: string, resource: string): unknown {
  const located = (r: unknown) =>
    r !== null && typeof r === "object" && !Array.isArray(r)
      ? { ...r, "@schemaLocation": `${origin}${schemaPath(resource)}` }
      : r;
  return wire(Array.isArray(reply) ? reply.map(located) : located(reply), origin);
}

/** Unwraps the modifiers that do not change a value's shape. */
function core(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodNullable || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

/**
 * The TMF wire value read against `schema` the way the code expects it: every field the wire
 * omitted that the schema allows to be null is null again (nested objects and lists too).
 */
export function fromTmfWire(schema: z.ZodType, value: unknown): unknown {
  const s = core(schema);
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    return value.map((v) => fromTmfWire(s.element as z.ZodType, v));
  }
  if (s instanceof z.ZodObject && value !== null && typeof value === "object") {
    const out: Record<string, unknown> = { ...value as Record<string, unknown> };
    for (const [key, field] of Object.entries(s.shape as Record<string, z.ZodType>)) {
      if (out[key] === undefined) {
        if (field.safeParse(null).success && !field.safeParse(undefined).success) out[key] = null;
      } else out[key] = fromTmfWire(field, out[key]);
    }
    return out;
  }
  return value;
}

/** A TMF Money value: a JSON number on the wire, the exact decimal string (`"25.00"`) in code. */
export const MoneyValue = z.union([z.number(), z.string().regex(/^-?\d+\.\d{2}$/)]).transform(
  (v) => typeof v === "number" ? v.toFixed(2) : v,
);

/** The JSON Schema served for a TMF resource: its wire form, extensions included. */
export function resourceJsonSchema(schema: z.ZodType): unknown {
  const s = core(schema);
  const one = s instanceof z.ZodArray ? s.element as z.ZodType : schema;
  return z.toJSONSchema(one, { io: "input", unrepresentable: "any" });
}

/**
 * A TMF list query as the route's schema reads it: `fields` is TMF's projection, not a filter
 * (dropped here, applied by {@link project}); an enum filter matches whatever its case
 * (`state=Completed`), as TMF's values are compared.
 */
export function tmfQuery(schema: z.ZodObject, raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "fields") continue;
    const field = schema.shape[key] as z.ZodType | undefined;
    const s = field && core(field);
    const option = s instanceof z.ZodEnum
      ? (s.options as string[]).find((o) => o.toLowerCase() === value.toLowerCase())
      : undefined;
    out[key] = option ?? value;
  }
  return out;
}

/** TMF's attributes every projection keeps. */
const ALWAYS = ["id", "href", "@type", "@schemaLocation"];

/** The resource(s) cut down to the `fields` asked for (comma separated), as TMF's `fields=`. */
export function project(reply: unknown, fields: string | undefined): unknown {
  if (!fields) return reply;
  const keep = new Set([...ALWAYS, ...fields.split(",").map((f) => f.trim()).filter(Boolean)]);
  const cut = (r: unknown) =>
    r !== null && typeof r === "object" && !Array.isArray(r)
      ? Object.fromEntries(Object.entries(r).filter(([k]) => keep.has(k)))
      : r;
  return Array.isArray(reply) ? reply.map(cut) : cut(reply);
}

/**
 * A vocabulary of ours written in TMF's words on the wire (`in_progress` → `inProgress`):
 * `toTmf` for the serialiser, and `schema` reading either word back as ours (so a filter in
 * either vocabulary works too).
 */
export function tmfVocabulary<const T extends string, const W extends string>(
  ours: readonly T[],
  renamed: Readonly<Partial<Record<T, W>>>,
) {
  const toTmf = (s: T): T | W => renamed[s] ?? s;
  const back = new Map<string, T>(ours.map((o) => [toTmf(o), o]));
  const words = [...new Set<string>([...ours.map(toTmf), ...ours])] as [T | W, ...(T | W)[]];
  const schema = z.enum(words).transform((v) => back.get(v) ?? (v as T));
  return { toTmf, schema };
}
