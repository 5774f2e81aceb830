/**
 * `actors show <kind> <key>`: one actor's state, mailbox, in-flight status, recent history
 * and dead letters.
 *
 * @module
 */
import { type ActorDetail, type ActorState, showActor } from "../../../actors/runtime/inspect.ts";
import { type Command, integer, stringOption } from "../command.ts";
import { duration } from "../format.ts";
import type { Output } from "../output.ts";
import { deadLetterTable, historyTable, messageTable } from "../render.ts";

/** The `show` command. */
export const show: Command = {
  name: "show",
  args: ["kind", "key"],
  summary: "One actor: state, pending messages, in-flight, recent history, timers, dead letters.",
  details: `State comes from the kind's state() when the kind is hosted in this process.
Message STATUS: ready, backoff (retry delay), blocked (behind a message in backoff), timer.`,
  options: {
    limit: {
      type: "string",
      value: "N",
      description: "at most N rows per section (default 20)",
    },
  },
  examples: [
    "deno task actors show order ORD-0007",
    "deno task actors show counter c1 --limit 5 --json",
  ],
  prepare(input) {
    const [kind, key] = input.args;
    const limit = integer("--limit", stringOption(input, "limit")) ?? 20;
    return async ({ sql, out, kinds }) => {
      const detail = await showActor(sql, kind, key, { kinds, limit });
      if (out.json) out.data(detail);
      else out.line(render(out, detail));
    };
  },
};

function stateText(state: ActorState): string {
  switch (state.status) {
    case "unregistered":
      return "(kind not registered in this process)";
    case "unsupported":
      return "(kind has no state())";
    case "error":
      return `(state() failed: ${state.error})`;
    case "ok":
      return JSON.stringify(state.value, null, 2).replaceAll("\n", "\n  ");
  }
}

function render(out: Output, d: ActorDetail): string {
  const s = d.summary;
  const section = (title: string, shown: number, total: number, body: () => string) => {
    const of = total > shown ? ` (${shown} of ${total})` : ` (${total})`;
    return `\n${out.paint(title + of, "bold")}\n${total ? body() : out.paint("(none)", "dim")}`;
  };
  return [
    `${out.paint(`${d.kind}/${s.key}`, "bold")}  created ${s.createdAt.toISOString()}`,
    `in flight: ${s.inFlight ? out.paint("yes", "cyan") : "no"}`,
    `state: ${stateText(d.state)}`,
    `mailbox: ${s.depth} (ready ${s.ready}, backoff ${s.backoff}, blocked ${s.blocked}, ` +
    `timers ${s.timers}), oldest ${duration(s.oldestMs)}`,
    section("pending", d.pending.length, s.depth - s.timers, () => messageTable(out, d.pending)),
    section("timers", d.timers.length, s.timers, () => messageTable(out, d.timers)),
    section(
      "recent history",
      d.history.length,
      d.history.length,
      () => historyTable(out, d.history),
    ),
    section(
      "dead letters",
      d.deadLetters.length,
      s.deadLetters,
      () => deadLetterTable(out, d.deadLetters),
    ),
  ].join("\n");
}
