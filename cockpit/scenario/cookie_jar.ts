/**
 * The cookies of one scenario run, as a browser keeps them: every `Set-Cookie` an `http` step
 * (or a portal verb) receives is kept per origin and sent on the next requests to that
 * origin, so a signed-in scenario stays signed in without capturing and passing the cookie
 * by hand. A cookie a step names itself wins; `Max-Age=0` or a past `Expires` removes one.
 *
 * @module
 */

/** One run's cookies, by origin then name. */
export class CookieJar {
  #byOrigin = new Map<string, Map<string, string>>();

  #of(url: URL): Map<string, string> {
    let jar = this.#byOrigin.get(url.origin);
    if (!jar) this.#byOrigin.set(url.origin, jar = new Map());
    return jar;
  }

  /** Keeps `name=value` for `url`'s origin. */
  set(url: URL, name: string, value: string): void {
    this.#of(url).set(name, value);
  }

  /** The cookie `name` kept for `url`'s origin. */
  get(url: URL, name: string): string | undefined {
    return this.#byOrigin.get(url.origin)?.get(name);
  }

  /** Applies a response's `Set-Cookie` headers. */
  store(url: URL, setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(";").map((p) => p.trim());
      const at = pair.indexOf("=");
      if (at <= 0) continue;
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      const gone = attributes.some((a) => {
        const [key, v = ""] = a.split("=");
        if (key.toLowerCase() === "max-age") return Number(v) <= 0;
        return key.toLowerCase() === "expires" && Date.parse(v) <= Date.now();
      });
      if (gone) this.#of(url).delete(name);
      else this.set(url, name, value);
    }
  }

  /** The `Cookie` header for `url`: the kept cookies, overridden by `named`. */
  header(url: URL, named: Readonly<Record<string, string>> = {}): string | undefined {
    const all = { ...Object.fromEntries(this.#byOrigin.get(url.origin) ?? []), ...named };
    const pairs = Object.entries(all).map(([k, v]) => `${k}=${v}`);
    return pairs.length ? pairs.join("; ") : undefined;
  }
}
