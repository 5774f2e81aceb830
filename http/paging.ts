/**
 * List paging of every service: `limit` and `offset` query parameters, read as whole numbers with
 * a message a caller can act on ("must be a whole number", not "expected number, received NaN").
 *
 * @module
 */
import { z } from "zod";

/** A whole number from a query string. */
export function wholeNumber() {
  return z.coerce.number<number>({ error: "must be a whole number" })
    .int("must be a whole number");
}

/** `limit` (1..`max`, default `dflt`) and `offset` (≥ 0, default 0) query parameters. */
export function paging(dflt: number, max = 1000) {
  return {
    limit: wholeNumber().min(1).max(max).default(dflt),
    offset: wholeNumber().min(0).default(0),
  };
}
