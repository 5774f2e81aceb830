/**
 * "Did you mean …": the known spellings nearest to a mistyped command or option.
 *
 * @module
 */

/** Edit distance (insert, delete, substitute) between two words. */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/** How far a typed word is from a known one: 1 when it starts or is part of it (`get`). */
function wordDistance(typed: string, known: string): number {
  if (typed === known) return 0;
  if (typed.length >= 3 && known.includes(typed)) return 1;
  return editDistance(typed, known);
}

/** The largest distance still worth suggesting for a word of this length. */
function tolerance(word: string): number {
  return word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
}

/** The known word nearest to `typed`, if one is near enough. */
export function nearestWord(typed: string, known: readonly string[]): string | undefined {
  const scored = known.map((k) => [k, wordDistance(typed, k)] as const)
    .filter(([k, d]) => d <= tolerance(k));
  return scored.sort((x, y) => x[1] - y[1])[0]?.[0];
}

/**
 * Whether every typed command word (three letters or more) starts a part of one of `words`, in
 * any order: `vas list` is in `catalog list-vas`, `offering list` in `catalog list-offerings`.
 */
function holdsEveryWord(typed: readonly string[], words: readonly string[]): boolean {
  const parts = words.flatMap((w) => w.split("-"));
  return typed.length > 1 &&
    typed.every((t) => t.length >= 3 && parts.some((p) => p.startsWith(t)));
}

/**
 * The known word sequences nearest to the start of `typed` (at most `max`), nearest first:
 * `catalog get` → `catalog get-offering`; `custmer show` → `customer show`; a command holding
 * the typed words in another order first of all (`vas list` → `catalog list-vas`).
 */
export function nearestCommands(
  typed: readonly string[],
  known: ReadonlyArray<readonly string[]>,
  max = 3,
): string[] {
  const scored: Array<[string, number]> = [];
  const command = typed.filter((t) => /^[a-z][a-z-]*$/.test(t)).slice(0, 2);
  for (const words of known) {
    if (holdsEveryWord(command, words)) {
      scored.push([words.join(" "), 0.5]);
      continue;
    }
    if (words.length > typed.length) continue;
    let total = 0;
    for (let i = 0; i < words.length && total <= 3; i++) {
      const d = wordDistance(typed[i], words[i]);
      total += d > tolerance(words[i]) ? 99 : d;
    }
    if (total > 0 && total <= 3) scored.push([words.join(" "), total]);
  }
  const best = scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  return [...new Set(best.map(([w]) => w))].slice(0, max);
}
