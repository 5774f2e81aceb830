/**
 * `deno task repl [--session SES-… | --new [--label TEXT] | --list] [--allow-destructive]`:
 * the terminal cockpit against the running services (`deno task start`), its conversations
 * in the same Postgres. Line editing and persistent history (`repl_history` in the cockpit
 * folder) come from node:readline; piped input runs line by line, as a script. EOF, Ctrl-C
 * or /exit leaves; the session stays open for next time.
 *
 * @module
 */
import { createInterface } from "node:readline";
import process from "node:process";
import { parseArgs } from "node:util";
import { boot } from "../../kernel/boot.ts";
import { processEnv } from "../../kernel/config.ts";
import { withInstance } from "../../kernel/instance.ts";
import { EXIT } from "../exit.ts";
import { NOT_RUNNING, notRunningHere } from "../running.ts";
import { banner } from "./banner.ts";
import { Cockpit } from "./cockpit.ts";
import { terminalIo } from "./io.ts";
import { cockpitDir, OperatorFiles } from "./operator_files.ts";

const HISTORY_LINES = 1000;

const USAGE =
  "usage: deno task repl [--session SES-… | --new [--label TEXT] | --list] [--allow-destructive]";

/** The command line, or the usage (exit 0 for --help, 2 for a bad option). */
function options() {
  try {
    const { values } = parseArgs({
      args: Deno.args,
      options: {
        session: { type: "string" },
        new: { type: "boolean", default: false },
        label: { type: "string" },
        list: { type: "boolean", default: false },
        "allow-destructive": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    });
    if (!values.help) return values;
    console.log(
      `${USAGE}\n\nThe operator cockpit against the running system (\`deno task start\`): plain\n` +
        "language with a model (BSS_LLM_BASE_URL), slash commands (/help) and list intents\n" +
        "without one. Resumes your latest session unless --session or --new; --list prints\n" +
        "your sessions; --allow-destructive lets destructive tools run without /confirm.",
    );
    Deno.exit(EXIT.ok);
  } catch (e) {
    console.error(`bss: ${(e as Error).message}\n${USAGE}`);
    Deno.exit(EXIT.usage);
  }
}

const values = options();
if (notRunningHere(processEnv())) {
  console.error(NOT_RUNNING);
  Deno.exit(EXIT.failure);
}
// The live instance of the data dir says where the services and the database are.
const booted = await boot({ serviceName: "cockpit", env: withInstance(processEnv()) });
const io = terminalIo();
let code = 0;
try {
  const files = new OperatorFiles(cockpitDir(booted.config));
  files.bootstrap();
  files.current();
  const cockpit = new Cockpit({
    config: booted.config,
    sql: booted.db.sql,
    io,
    files,
    allowDestructive: values["allow-destructive"],
    flushSpans: booted.flushSpans,
  });
  if (values.list) {
    await cockpit.store.list(Cockpit.ACTOR).then((rows) =>
      rows.forEach((s) =>
        io.print(`${s.id}  ${s.label ?? "—"}  ${s.customerFocus ?? "—"}  ${s.messages} msgs`)
      )
    );
  } else {
    await cockpit.start({ sessionId: values.session, fresh: values.new, label: values.label });
    io.print(banner(cockpit));
    await loop(cockpit, `${files.dir}/repl_history`);
  }
} catch (e) {
  io.print(`Cockpit unavailable: ${e instanceof Error ? e.message : e}`);
  code = 1;
} finally {
  await booted.shutdown();
}
Deno.exit(code);

/** Reads lines until EOF or /exit; each is handled before the next is read. */
async function loop(cockpit: Cockpit, historyPath: string): Promise<void> {
  const tty = Deno.stdin.isTerminal();
  let history: string[] = [];
  try {
    history = Deno.readTextFileSync(historyPath).split("\n").filter(Boolean)
      .slice(-HISTORY_LINES).reverse();
  } catch { /* no history yet */ }
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: tty,
    history,
    historySize: HISTORY_LINES,
  });
  const prompt = () => {
    const id = cockpit.session.id.slice(-8);
    const { io } = cockpit;
    rl.setPrompt(
      `${io.color ? "\x1b[1mbss\x1b[0m" : "bss"}:${io.color ? `\x1b[33m${id}\x1b[0m` : id}${
        io.color ? "\x1b[36m> \x1b[0m" : "> "
      }`,
    );
    if (tty) rl.prompt();
  };
  prompt();
  for await (const line of rl) {
    if (!tty) cockpit.io.print(`bss> ${line}`);
    try {
      if (line.trim()) Deno.writeTextFileSync(historyPath, `${line}\n`, { append: true });
    } catch { /* an unwritable history stays in memory (readline keeps this run's lines) */ }
    try {
      if (await cockpit.handle(line) === "exit") break;
    } catch (e) {
      cockpit.io.busy(null);
      cockpit.io.print(`Error: ${e instanceof Error ? e.message : e}`);
    }
    prompt();
  }
  rl.close();
}
