/**
 * ISO-8601 instants as the admin and audit routes accept them: a date, or a date-time with
 * or without a zone; a naive date-time is UTC (docs/http.md §10), never the server's local time.
 *
 * @module
 */

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The instant `text` names, or undefined when it is not ISO-8601. */
export function parseInstant(text: string): Date | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  let iso = m[0].replace(" ", "T");
  // With a time but no zone, JS would read local time.
  if (iso.includes("T") && !m[1]) iso += "Z";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
