/**
 * `actors list <kind>`: the actors of a kind with their mailbox depth and oldest message age.
 *
 * @module
 */
import { listActors } from "../../../actors/runtime/inspect.ts";
import { type Command, integer, stringOption } from "../command.ts";
import { actorTable } from "../render.ts";

/** The `list` command. */
export const list: Command = {
  name: "list",
  args: ["kind"],
  summary: "Actors of a kind with their mailbox depth and oldest message age.",
  details: `Longest-waiting mail first. OLDEST is the age of the oldest message that is not a
future timer; IN FLIGHT means a drain holds the actor right now. Other columns: see
\`deno task actors kinds --help\`.`,
  options: {
    limit: { type: "string", value: "N", description: "at most N actors (default 50)" },
    "with-mail": { type: "boolean", description: "only actors with messages in their mailbox" },
  },
  examples: [
    "deno task actors list order",
    "deno task actors list order --with-mail --limit 10",
    "deno task actors list subscription --json",
  ],
  prepare(input) {
    const [kind] = input.args;
    const limit = integer("--limit", stringOption(input, "limit")) ?? 50;
    const withMail = input.values["with-mail"] === true;
    return async ({ sql, out }) => {
      const rows = await listActors(sql, kind, { limit, withMail });
      if (out.json) out.data(rows);
      else out.line(rows.length ? actorTable(out, rows) : `no ${kind} actors`);
    };
  },
};
