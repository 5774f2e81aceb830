/**
 * The dead-letter commands: `actors dead` lists them, `actors retry <id>` puts one back at
 * the head of its actor's mailbox, `actors discard <id>` deletes it.
 *
 * @module
 */
import {
  type DeadLetter,
  discardDeadLetter,
  listDeadLetters,
  retryDeadLetter,
} from "../../../actors/runtime/inspect.ts";
import type { Sql } from "../../../kernel/db/types.ts";
import { type Command, integer, stringOption } from "../command.ts";
import { deadLetterTable } from "../render.ts";

/** The `dead` command. */
export const dead: Command = {
  name: "dead",
  args: [],
  summary: "List dead letters, newest first.",
  options: {
    kind: { type: "string", value: "K", description: "only dead letters of kind K" },
    key: { type: "string", value: "KEY", description: "only those of actor KEY" },
    limit: { type: "string", value: "N", description: "at most N (default 100)" },
  },
  examples: [
    "deno task actors dead",
    "deno task actors dead --kind order --limit 10",
    "deno task actors dead --json | jq '.[].id'",
  ],
  prepare(input) {
    const kind = stringOption(input, "kind");
    const key = stringOption(input, "key");
    const limit = integer("--limit", stringOption(input, "limit")) ?? 100;
    return async ({ sql, out }) => {
      const rows = await listDeadLetters(sql, { kind, key, limit });
      if (out.json) out.data(rows);
      else out.line(rows.length ? deadLetterTable(out, rows) : "no dead letters");
    };
  },
};

/** A command acting on one dead letter by id. */
function verb(
  name: "retry" | "discard",
  summary: string,
  act: (sql: Sql, id: number) => Promise<DeadLetter>,
  done: string,
  destructive = false,
): Command {
  return {
    name,
    args: ["id"],
    summary,
    options: {},
    destructive,
    examples: [
      `deno task actors ${name} 42`,
      `deno task actors ${name} 42 --json${destructive ? " --allow-destructive" : ""}`,
    ],
    prepare(input) {
      const id = integer("<id>", input.args[0])!;
      return async ({ sql, out }) => {
        const d = await act(sql, id);
        if (out.json) out.data({ [done]: d });
        else out.line(`${done} dead letter ${d.id} (${d.kind}/${d.key} ${d.type})`);
      };
    },
  };
}

/** The `retry` command. */
export const retry: Command = verb(
  "retry",
  "Put a dead letter back at the head of its actor's mailbox (same id, attempts 0).",
  retryDeadLetter,
  "requeued",
);

/** The `discard` command. */
export const discard: Command = verb(
  "discard",
  "Delete a dead letter for good (recorded in the actor's history); destructive.",
  discardDeadLetter,
  "discarded",
  true,
);
