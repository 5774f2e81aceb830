/**
 * camelCase request bodies that also accept the snake_case spelling of each key (docs/http.md
 * §1), nested objects included (`card_summary.exp_month`). The camelCase key wins when both
 * are sent. The OpenAPI document and the typed client still see the camelCase schema.
 *
 * @module
 */
import { z } from "zod";

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `value` with snake_case keys renamed to camelCase at every depth. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = camel(key);
    if (name === key || !(name in value)) out[name] = camelKeys(v);
  }
  return out;
}

/** `schema`, also accepting snake_case keys; typed and documented as `schema`. */
export function camelOrSnake<S extends z.ZodType>(schema: S): z.ZodType<z.output<S>, z.input<S>> {
  const { $schema: _, ...documented } = z.toJSONSchema(schema, { io: "input" });
  return z.preprocess(camelKeys, schema).meta(documented) as unknown as z.ZodType<
    z.output<S>,
    z.input<S>
  >;
}
