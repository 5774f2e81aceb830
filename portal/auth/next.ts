/**
 * Where to go after signing in or stepping up: only a path on this site. Anything that could
 * leave it (`//host`, `/\host`, a scheme, CR/LF, backslashes) becomes `/`.
 *
 * @module
 */

/** `next` if it is a same-site path, else `/`. */
export function safeNext(next: string | undefined | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (next.includes("://") || /[\r\n\\]/.test(next)) return "/";
  return next;
}

/** The path and query of a same-host `referer`, or undefined. */
export function sameHostReferer(
  referer: string | undefined,
  requestUrl: string,
): string | undefined {
  if (!referer) return undefined;
  try {
    const from = new URL(referer);
    const here = new URL(requestUrl);
    return from.host === here.host ? safeNext(from.pathname + from.search) : undefined;
  } catch {
    return undefined;
  }
}
