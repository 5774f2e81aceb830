/**
 * AMQP topic matching, as RabbitMQ does it: dot-separated words, `*` matches exactly one
 * word, `#` zero or more. The brokerless path routes with it; the broker routes by itself.
 *
 * @module
 */

/** Whether routing key `key` matches topic pattern `pattern`. */
export function topicMatches(pattern: string, key: string): boolean {
  const p = pattern.split(".");
  const k = key.split(".");
  // (i, j) pairs known not to match: without the memo, patterns with several `#` go exponential.
  const failed = new Set<number>();
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    const id = i * (k.length + 1) + j;
    if (failed.has(id)) return false;
    const ok = p[i] === "#"
      ? match(i + 1, j) || (j < k.length && match(i, j + 1))
      : j < k.length && (p[i] === "*" || p[i] === k[j]) && match(i + 1, j + 1);
    if (!ok) failed.add(id);
    return ok;
  };
  return match(0, 0);
}
