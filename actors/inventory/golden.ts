/**
 * Golden numbers: MSISDNs whose last four digits are easy to remember, so an operator can
 * hold them back or sell them apart. A number is golden when its last four digits are
 *
 * - `repeated`: one digit four times (`90007777`, `90000000`);
 * - `ascending`: four consecutive rising digits (`90001234`, `90006789`);
 * - `descending`: four consecutive falling digits (`90009876`, `90003210`).
 *
 * `golden` matches any of the three. The patterns are PostgreSQL regular expressions, applied in
 * SQL (`msisdn ~ pattern`) so filtering and paging happen in one query.
 *
 * @module
 */

const RISING = ["0123", "1234", "2345", "3456", "4567", "5678", "6789"];
const FALLING = RISING.map((run) => [...run].reverse().join(""));

const REPEATED = "([0-9])\\1{3}$";
const ASCENDING = `(${RISING.join("|")})$`;
const DESCENDING = `(${FALLING.join("|")})$`;

/** Every golden pattern by name, as an end-anchored PostgreSQL regular expression. */
export const GOLDEN_PATTERNS = {
  golden: `${REPEATED}|${ASCENDING}|${DESCENDING}`,
  repeated: REPEATED,
  ascending: ASCENDING,
  descending: DESCENDING,
} as const;

/** The name of a golden pattern. */
export type GoldenPattern = keyof typeof GOLDEN_PATTERNS;

/** The pattern names, for query validation. */
export const GOLDEN_PATTERN_NAMES = Object.keys(GOLDEN_PATTERNS) as [
  GoldenPattern,
  ...GoldenPattern[],
];
