/**
 * Random request bodies for robustness tests: arbitrary JSON, bodies shaped like a route's
 * schema with wrong or extreme values, and text that is not JSON at all. Seeded, so a failure
 * can be replayed with the seed the test prints.
 *
 * @module
 */
import { z } from "zod";

/** A small seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  "",
  " ",
  "x".repeat(5000),
  "PLAN_S",
  "CUST-00000000",
  "4242424242424242",
  "2026-13-45T99:99:99Z",
  "-1",
  "1e309",
  "NaN",
  "'; drop table x; --",
  "\u0000",
  "🙂",
  "../../etc/passwd",
  "null",
];
const NUMBERS = [0, -1, 1, 1.5, 1e21, -1e21, Number.MAX_SAFE_INTEGER, 0.001];

/** One random JSON value, nested up to `depth`. */
export function randomValue(rand: () => number, depth = 2): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  switch (Math.floor(rand() * (depth > 0 ? 7 : 5))) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return pick(NUMBERS);
    case 3:
    case 4:
      return pick(STRINGS);
    case 5:
      return Array.from({ length: Math.floor(rand() * 3) }, () => randomValue(rand, depth - 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(rand() * 3) }, (_, i) => [
          pick(["id", "type", "value", `k${i}`]),
          randomValue(rand, depth - 1),
        ]),
      );
  }
}

/** The top-level property names a body schema declares (empty when not an object). */
export function bodyKeys(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  try {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
      properties?: Record<string, unknown>;
    };
    return Object.keys(json.properties ?? {});
  } catch {
    return [];
  }
}

/** A raw request body: schema-shaped with random values, arbitrary JSON, or not JSON. */
export function randomBody(rand: () => number, keys: string[]): string {
  const r = rand();
  if (r < 0.15) return ["{", "not json", "[1,", '{"a":}', ""][Math.floor(rand() * 5)];
  if (r < 0.35) return JSON.stringify(randomValue(rand, 3));
  const body = Object.fromEntries(
    keys.filter(() => rand() < 0.8).map((k) => [k, randomValue(rand, 2)]),
  );
  return JSON.stringify(body);
}
