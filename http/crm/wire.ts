/**
 * Wire conventions shared by the CRM routes (docs/http.md §1): camelCase bodies that also accept
 * snake_case keys, list paging, and ISO-8601 instants and dates.
 *
 * @module
 */
import { z } from "zod";
import { parseInstant } from "../instant.ts";

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * `schema`, also accepting the snake_case spelling of each camelCase key (the camelCase
 * spelling wins when both are sent). Clients and the OpenAPI document see the camelCase form.
 */
export function acceptSnakeCase<T extends z.ZodObject>(schema: T) {
  const keys = Object.keys(schema.shape).filter((k) => snake(k) !== k);
  return z.preprocess<unknown, T, z.input<T>>((value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const body = { ...value } as Record<string, unknown>;
    for (const key of keys) {
      if (body[key] === undefined && snake(key) in body) body[key] = body[snake(key)];
    }
    return body;
  }, schema);
}

/** A non-blank string, trimmed. */
export const Text = z.string().trim().min(1);

/** An ISO-8601 instant (a naive one is UTC), sent on as ISO-8601 UTC. */
export const Instant = z.string().transform((text, ctx) => {
  const at = parseInstant(text);
  if (at) return at.toISOString();
  ctx.addIssue({ code: "custom", message: "expected an ISO-8601 instant" });
  return z.NEVER;
});

/** An instant in a reply. */
export const Timestamp = z.iso.datetime({ offset: true });

/** An object whose keys are all optional, with at least one of them given (the error names them). */
export function someField<T extends z.ZodObject>(schema: T) {
  return schema.refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: `give at least one of ${Object.keys(schema.shape).join(", ")}`,
  });
}
