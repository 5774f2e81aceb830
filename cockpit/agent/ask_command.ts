/**
 * `bss ask "…" [--allow-destructive]`: one agent turn from the command line (ask.ts), its
 * tool calls printed as they happen (with their cards), then the answer under `bss ai`.
 * Exit codes: 0 answered, 1 no model configured, the system not running or the turn failed,
 * 2 bad command line. Without a model or a running system it says so before opening anything.
 *
 * @module
 */
import { boot } from "../../kernel/boot.ts";
import type { Config } from "../../kernel/config.ts";
import { toolContext } from "../../tools/context.ts";
import { renderToolResult, SHOWN_AS } from "../render/dispatch.ts";
import { EXIT } from "../exit.ts";
import { NOT_RUNNING } from "../running.ts";
import { askOnce } from "./ask.ts";
import { hasModel, NO_MODEL } from "./model.ts";
import { argsSummary } from "./prompts.ts";

/** Where the command writes, a line at a time. */
export interface AskIo {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = 'usage: bss ask "PROMPT" [--allow-destructive]';

/** Runs `bss ask …` (argv after `ask`); resolves to the exit code. */
export async function runAskCommand(
  argv: readonly string[],
  io: AskIo,
  options: { config: Config | (() => Config); notRunning?: boolean },
): Promise<number> {
  const allowDestructive = argv.includes("--allow-destructive");
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const unknown = argv.find((a) => a.startsWith("--") && a !== "--allow-destructive");
  const prompt = argv.filter((a) => !a.startsWith("--")).join(" ").trim();
  if (unknown || !prompt) {
    io.err(unknown ? `bss ask: unknown option ${unknown}` : "bss ask: a prompt is needed");
    io.err(USAGE);
    return EXIT.usage;
  }
  const config = typeof options.config === "function" ? options.config() : options.config;
  const unready = !hasModel(config) ? NO_MODEL : options.notRunning ? NOT_RUNNING : undefined;
  if (unready) {
    io.err(unready);
    return EXIT.failure;
  }
  // Booted for the span store: the turn's bss.ask trace is what `bss trace for-ask` draws.
  const booted = await boot({ config, serviceName: "cli" });
  try {
    const asked = await askOnce(config, toolContext(config, "cli"), prompt, {
      allowDestructive,
      onEvent(event) {
        if (event.type === "tool_started") {
          io.out(`· ${event.name}(${argsSummary(event.args)})`);
        } else if (event.type === "tool_completed" && !event.call.failed) {
          const { name, result } = event.call;
          const card = renderToolResult(SHOWN_AS[name] ?? name, JSON.stringify(result), {
            width: 80,
            color: false,
          });
          if (card) io.out(card);
        }
      },
    });
    if (asked.proposal) {
      io.out(
        `· ${asked.proposal.tool} is destructive and was not run: ` +
          "repeat with --allow-destructive to let it run.",
      );
    }
    io.out(`── bss ai ──\n${asked.answer}`);
    return asked.error ? EXIT.failure : EXIT.ok;
  } finally {
    await booted.shutdown();
  }
}
