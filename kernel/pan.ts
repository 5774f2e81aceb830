/**
 * The PAN guard (README "PAN guard"): card numbers typed into free text — a name, a case
 * subject, a note, a chat — are masked to `•••• 4242` before the text is stored, logged,
 * traced or published. A card number is a run of 13–19 digits, optionally grouped by single
 * spaces or dashes, that passes the Luhn check; a longer run is masked whole when any 13–19
 * digit stretch of it passes.
 *
 * Only free-text fields are masked (by key, {@link FREE_TEXT_KEYS}): identifiers such as
 * ICCIDs are Luhn-checked digit runs too and must stay intact.
 *
 * @module
 */

// A digit, then digits each optionally preceded by one space or dash.
const RUN = /\d(?:[ -]?\d)*/g;

/** Whether a digit string passes the Luhn check. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The card number inside a run's digits, or undefined. */
function panIn(digits: string): string | undefined {
  if (digits.length < 13) return undefined;
  if (digits.length <= 19) return luhn(digits) ? digits : undefined;
  for (let len = 19; len >= 13; len--) {
    for (let start = 0; start + len <= digits.length; start++) {
      const window = digits.slice(start, start + len);
      if (luhn(window)) return window;
    }
  }
  return undefined;
}

/** `text` with every card number replaced by `•••• <last four>`. */
export function maskPans(text: string): string {
  if (!/\d/.test(text)) return text;
  return text.replace(RUN, (run) => {
    const pan = panIn(run.replace(/[ -]/g, ""));
    return pan ? `•••• ${pan.slice(-4)}` : run;
  });
}

/** An ICCID (the SIM's number: telecom prefix 89, 19–20 digits, Luhn like a card). */
const ICCID = /^89\d{17,18}$/;

// A digit run standing on its own: not glued to letters or digits (a hex hash, a trace id).
const LONE_RUN = /(?<![A-Za-z0-9])\d(?:[ -]?\d)*(?![A-Za-z0-9])/g;

// More unbroken digits than any card has: an id (a trace id that happens to be all digits).
const ID_RUN = /^\d{20,}$/;

/**
 * `text` with card numbers masked where they stand alone, ICCIDs (the eSIM routes' ids),
 * digits inside hex ids (chat transcript hashes, trace ids) and unbroken runs longer than a
 * card number kept.
 */
function maskLonePans(text: string): string {
  if (!/\d/.test(text)) return text;
  return text.replace(LONE_RUN, (run) => ICCID.test(run) || ID_RUN.test(run) ? run : maskPans(run));
}

/**
 * `url` with card numbers in its path segments and query values masked (percent-decoded
 * first, so `4242%204242…` is caught), or `url` itself when it holds none. ICCIDs and digit
 * runs inside hex ids are kept.
 */
export function maskUrlPans(url: string): string {
  if (!/\d{4}/.test(url)) return url;
  const u = new URL(url);
  let changed = false;
  const mask = (raw: string, decode: (s: string) => string) => {
    let text: string;
    try {
      text = decode(raw);
    } catch {
      return raw;
    }
    const masked = maskLonePans(text);
    if (masked === text) return raw;
    changed = true;
    return masked;
  };
  const path = u.pathname.split("/")
    .map((segment) => {
      const masked = mask(segment, decodeURIComponent);
      return masked === segment ? segment : encodeURIComponent(masked);
    })
    .join("/");
  const query = new URLSearchParams();
  for (const [key, value] of u.searchParams) query.append(key, mask(value, (v) => v));
  if (!changed) return url;
  u.pathname = path;
  u.search = query.toString();
  return u.toString();
}

/** Whether `text` holds a card number. */
export function containsPan(text: string): boolean {
  return maskPans(text) !== text;
}

/**
 * Keys (compared lower-case, without `_`) whose string values are free text a person typed:
 * names, subjects, descriptions, notes, summaries, reasons, chat.
 */
export const FREE_TEXT_KEYS: ReadonlySet<string> = new Set([
  "name",
  "givenname",
  "familyname",
  "middlename",
  "fullname",
  "preferredname",
  "title",
  "subject",
  "description",
  "body",
  "note",
  "notes",
  "content",
  "text",
  "summary",
  "message",
  "comment",
  "comments",
  "reason",
  "statereason",
  "statusreason",
  "rejectionreason",
  "resolution",
  "resolutioncode",
  "resolutionnotes",
  "transcript",
  "label",
  "details",
]);

const isFreeText = (key: string) => FREE_TEXT_KEYS.has(key.replaceAll("_", "").toLowerCase());

/** `value` with card numbers masked in every free-text field, at any depth. */
export function maskFreeText(value: unknown, key = ""): unknown {
  if (typeof value === "string") return isFreeText(key) ? maskPans(value) : value;
  if (Array.isArray(value)) return value.map((v) => maskFreeText(v, key));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, maskFreeText(v, k)]),
    );
  }
  return value;
}
