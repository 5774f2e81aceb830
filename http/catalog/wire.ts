/**
 * Input building blocks of the catalog routes: decimals, instants, paging, and request
 * bodies that accept the snake_case spelling of their camelCase keys (docs/http.md §1).
 *
 * @module
 */
import { z } from "zod";
import { canonicalAmount, isDecimal } from "../../actors/catalog/money.ts";
import { parseInstant } from "../instant.ts";

/**
 * A decimal with at most two places and ten integer digits (SQL `numeric(12,2)`), as a string
 * or a JSON number; parsed to `"25.00"`.
 */
export const Decimal = z.union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine(isDecimal, "must be a decimal with at most 2 decimal places")
  .transform(canonicalAmount)
  .refine((v) => /^-?\d{1,10}\./.test(v), "must have at most 10 integer digits");

/** A non-negative {@link Decimal}: a price. */
export const Amount = Decimal.refine((v) => !v.startsWith("-"), "must not be negative");

/** An ISO-8601 instant (a naive one is UTC), parsed to a Date. */
export const Instant = z.string().transform((text, ctx) => {
  const at = parseInstant(text);
  if (at) return at;
  ctx.addIssue({ code: "custom", message: "must be an ISO-8601 instant" });
  return z.NEVER;
});

/** An ISO-3 currency code. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, "must be a 3-letter currency code");

/** A non-empty identifier. */
export const Id = z.string().trim().min(1);

/** A window's bounds must be in order when both are set. */
export function orderedWindow(w: { validFrom?: Date | null; validTo?: Date | null }): boolean {
  return !w.validFrom || !w.validTo || w.validTo > w.validFrom;
}

/** The issue of a window whose end is not after its start. */
export const WINDOW_ORDER = { message: "validTo must be after validFrom", path: ["validTo"] };

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * `schema`, also accepting each key's snake_case spelling (`offering_id` for `offeringId`);
 * the camelCase key wins when both are sent.
 */
export function camelOrSnake<S extends z.ZodObject>(schema: S) {
  const keys = Object.keys(schema.shape);
  return z.preprocess((body: z.input<S>) => {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
    const out: Record<string, unknown> = { ...body };
    for (const key of keys) {
      const alias = snake(key);
      if (!(key in out) && alias in out) out[key] = out[alias];
    }
    return out;
  }, schema);
}
