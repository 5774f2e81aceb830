/**
 * `actors tail`: prints each handled message as it commits, until Ctrl-C (or `--for`,
 * `--count`).
 *
 * @module
 */
import { takeOverSignals } from "../../../kernel/signals.ts";
import { type HistoryEntry, HistoryTail } from "../../../actors/runtime/inspect.ts";
import { type Command, integer, stringOption } from "../command.ts";
import { historyLine } from "../render.ts";

const POLL_MS = 250;

/** The `tail` command. */
export const tail: Command = {
  name: "tail",
  args: [],
  summary: "Live tail of handled messages (one line each) until Ctrl-C.",
  details: `Line: handled time (UTC), outcome, kind/key, #message id and type, wait since enqueue,
detail. With --json: one JSON object per line.`,
  options: {
    kind: { type: "string", value: "K", description: "only messages of kind K" },
    lines: {
      type: "string",
      short: "n",
      value: "N",
      description: "first print the N most recent (default 0)",
    },
    for: { type: "string", value: "SECONDS", description: "stop after SECONDS" },
    count: { type: "string", value: "N", description: "stop after N lines" },
  },
  examples: [
    "deno task actors tail",
    "deno task actors tail --kind order -n 20",
    "deno task actors tail --json --for 10 --count 100",
  ],
  prepare(input) {
    const kind = stringOption(input, "kind");
    const backlog = integer("--lines", stringOption(input, "lines"), 0) ?? 0;
    const seconds = integer("--for", stringOption(input, "for"));
    const limit = integer("--count", stringOption(input, "count")) ?? Infinity;
    return async ({ sql, out }) => {
      const stop = new AbortController();
      const halt = () => stop.abort();
      const restore = takeOverSignals(halt);
      const timer = seconds === undefined ? undefined : setTimeout(halt, seconds * 1000);
      let printed = 0;
      const print = (rows: HistoryEntry[]) => {
        for (const r of rows.slice(0, limit - printed)) {
          if (out.json) out.data(r, true);
          else out.line(historyLine(out, r));
        }
        printed = Math.min(limit, printed + rows.length);
      };
      try {
        const start = await HistoryTail.start(sql, { kind, backlog });
        console.error(`tailing actor.history${kind ? ` of ${kind}` : ""} (Ctrl-C to stop)`);
        print(start.backlog);
        while (printed < limit && !stop.signal.aborted) {
          await sleep(POLL_MS, stop.signal);
          if (!stop.signal.aborted) print(await start.tail.next());
        }
      } finally {
        clearTimeout(timer);
        restore();
      }
    };
  },
};

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
