/**
 * The cockpit's slash commands (docs/handbook/cockpit.md). Each works without a model.
 *
 * @module
 */
import { isFailure } from "../agent/ledger.ts";
import { runTraceCommand } from "../trace/command.ts";
import type { Cockpit, Outcome } from "./cockpit.ts";
import { banner, SLASH_HELP } from "./banner.ts";
import { styled } from "./io.ts";

/** `YYYY-MM-DD HH:MM` (UTC). */
const minute = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");

/** Opens `path` in `$EDITOR` (default vi) on the terminal. */
async function edit(path: string): Promise<string> {
  const editor = Deno.env.get("EDITOR") || "vi";
  const child = new Deno.Command(editor, { args: [path], stdin: "inherit", stdout: "inherit" });
  const { success } = await child.output();
  return success ? `${path} saved: the next line picks it up.` : `${editor} exited with an error.`;
}

/** Runs one slash command line. */
export async function runSlash(cockpit: Cockpit, line: string): Promise<Outcome> {
  const { io, store } = cockpit;
  const [command, ...words] = line.split(/\s+/);
  const arg = words.join(" ");
  const sessionId = () => cockpit.session.id;
  switch (command) {
    case "/exit":
    case "/quit":
      return "exit";
    case "/help":
      io.print(SLASH_HELP.map(([c, what]) => `  ${c.padEnd(52)} ${what}`).join("\n"));
      return;
    case "/sessions": {
      const rows = await store.list(cockpit.session.actor);
      io.print([
        `${"Session".padEnd(22)} ${"Label".padEnd(16)} ${"Focus".padEnd(16)} ${
          "Last active".padEnd(16)
        } Msgs`,
        ...rows.map((s) =>
          `${s.id.padEnd(22)} ${(s.label ?? "—").slice(0, 16).padEnd(16)} ${
            (s.customerFocus ?? "—").padEnd(16)
          } ${minute(s.lastActiveAt)} ${String(s.messages).padStart(4)}`
        ),
      ].join("\n"));
      return;
    }
    case "/new":
      await store.close(sessionId());
      cockpit.session = await store.open(cockpit.session.actor, arg || undefined);
      io.print(banner(cockpit));
      return;
    case "/switch": {
      const found = arg ? await store.resume(arg) : null;
      if (!found) {
        io.print(arg ? `No session ${arg}.` : "Usage: /switch SES-…");
        return;
      }
      cockpit.session = found;
      io.print(banner(cockpit));
      const recent = (await store.messages(found.id)).filter((m) => m.role !== "tool").slice(-5);
      for (const m of recent) io.print(`${m.role}: ${m.content}`);
      return;
    }
    case "/reset":
      await store.reset(sessionId());
      io.print("Session reset: messages and the pending action are gone.");
      return;
    case "/focus": {
      const focus = !arg || arg === "clear" ? null : arg.toUpperCase();
      // Pin only a customer that exists: every later "their …" would otherwise fail.
      const found = focus && await cockpit.callAsOperator("customer.get", { customer_id: focus });
      if (isFailure(found)) {
        io.print(`No customer ${focus}: the focus is unchanged.`);
        return;
      }
      await store.setFocus(sessionId(), focus);
      cockpit.session = { ...cockpit.session, customerFocus: focus };
      io.print(focus ? `Focus: ${focus}` : "Focus cleared.");
      return;
    }
    case "/360": {
      const customer = arg || cockpit.session.customerFocus;
      if (!customer) io.print("Usage: /360 CUST-… (or pin one with /focus)");
      else await cockpit.showTool("customer.get", { customer_id: customer }, "customer.360");
      return;
    }
    case "/ports":
      await ports(cockpit, words);
      return;
    case "/confirm":
      await cockpit.confirm();
      return;
    case "/autonomy":
      if (arg === "granular" || arg === "batched") cockpit.autonomyOverride = arg;
      else if (arg) {
        io.print("Usage: /autonomy granular|batched");
        return;
      }
      io.print(`Autonomy: ${cockpit.autonomy()}`);
      return;
    case "/trace": {
      if (!cockpit.lastTraceId) {
        io.print("No agent turn yet in this run.");
        return;
      }
      // Spans are written in batches: write this process's before reading the trace back.
      await cockpit.deps.flushSpans?.();
      await runTraceCommand(["get", cockpit.lastTraceId, "--width", String(io.width)], {
        config: cockpit.deps.config,
        out: io.print,
        err: io.print,
        color: io.color,
      });
      return;
    }
    case "/config":
    case "/operator": {
      const files = cockpit.deps.files;
      const path = command === "/config" ? files.settingsPath : files.operatorPath;
      if (arg === "edit") io.print(await edit(path));
      else io.print(`${path}:\n${await Deno.readTextFile(path)}`);
      return;
    }
    default:
      io.print(styled(io, `Unknown command ${command}: /help lists them.`, "yellow"));
  }
}

/** `/ports [list] | approve PORT-… | reject PORT-… REASON`. */
async function ports(cockpit: Cockpit, words: string[]): Promise<void> {
  const [verb = "list", id, ...reason] = words;
  if (verb === "list") await cockpit.showTool("port_request.list", {}, "port_request.list");
  else if (verb === "approve" && id) {
    await cockpit.showTool("port_request.approve", { port_request_id: id }, "port_request.approve");
  } else if (verb === "reject" && id && reason.length) {
    await cockpit.showTool(
      "port_request.reject",
      { port_request_id: id, reason: reason.join(" ") },
      "port_request.reject",
    );
  } else cockpit.io.print("Usage: /ports [list] | approve PORT-… | reject PORT-… REASON");
}
