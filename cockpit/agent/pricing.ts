/**
 * What a chat turn costs, for the customer chat's monthly cost cap: USD per million input
 * and output tokens by model, rounded up to whole cents per turn. An unknown model is priced
 * at the (high) fallback rate, so the cap errs on the side of stopping.
 *
 * @module
 */
import type { Usage } from "./turn.ts";

/** USD per million tokens: [input, output]. */
const RATES: Record<string, readonly [number, number]> = {
  "google/gemma-4-26b-a4b-it": [0.15, 0.50],
  "deepseek/deepseek-v4-pro": [1.00, 4.00],
};
const FALLBACK: readonly [number, number] = [2.00, 8.00];

/** The cost of `usage` on `model`, in cents, rounded up. */
export function costCents(model: string, usage: Usage): number {
  const [input, output] = RATES[model] ?? FALLBACK;
  const usd = (usage.input * input + usage.output * output) / 1_000_000;
  // The epsilon keeps float noise (100.0000001) from adding a cent; max(0) keeps -0 out.
  return Math.max(0, Math.ceil(usd * 100 - 1e-9));
}
