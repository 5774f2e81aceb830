/**
 * `actors kinds`: mailbox depth and lag per actor kind.
 *
 * @module
 */
import { kindSummaries } from "../../../actors/runtime/inspect.ts";
import type { Command } from "../command.ts";
import { kindTable } from "../render.ts";

/** The `kinds` command. */
export const kinds: Command = {
  name: "kinds",
  args: [],
  summary: "Per-kind actor count, mailbox depth and lag.",
  details: `DEPTH    messages in the kind's mailboxes (READY + TIMERS + BACKOFF + BLOCKED)
READY    deliverable now
TIMERS   deliver_at still ahead on the BSS clock
BACKOFF  waiting out a retry delay after a failed attempt
BLOCKED  behind a message of the same actor that is in backoff (FIFO)
DEAD     dead letters
LAG      how long the longest-waiting ready message has been deliverable`,
  options: {},
  examples: ["deno task actors kinds", "deno task actors kinds --json | jq '.[].lagMs'"],
  prepare: () => async ({ sql, out }) => {
    const rows = await kindSummaries(sql);
    if (out.json) out.data(rows);
    else out.line(rows.length ? kindTable(out, rows) : "no actors yet");
  },
};
