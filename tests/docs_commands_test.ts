/**
 * Every `bss …` command the README and `docs/` show names a command the CLI has, with options
 * it takes and no stray argument: a doc that outlives a rename fails here, not in an operator's
 * terminal. Notation (`reindex|search`, `[--force]`, `<group>`) is left out; placeholders such
 * as `<TOKEN>` are one argument.
 */
import assert from "node:assert/strict";
import { groups, resolve } from "../cockpit/bss/commands.ts";
import { split, toolArgs } from "../cockpit/bss/parse.ts";

// Commands the CLI answers itself, not from the registry.
const LOCAL = new Set(["trace", "scenario", "ask", "tools", "help", "--help"]);

function markdownFiles(dir: string): string[] {
  return [...Deno.readDirSync(dir)].flatMap((e) => {
    const path = `${dir}/${e.name}`;
    return e.isDirectory ? markdownFiles(path) : path.endsWith(".md") ? [path] : [];
  });
}

/** A shell line's words, quotes removed. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The `bss` command lines of a markdown text: code blocks' lines and inline code spans. */
function commandLines(text: string): string[] {
  const blocks = [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n"));
  const spans = [...text.replace(/```[\s\S]*?```/g, "").matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...blocks, ...spans].flatMap((snippet) => {
    // `bss` as a command word, not `deno install --name bss …`.
    const m = /(?:^|\s)(?<!--name\s)bss\s+(.*)$/.exec(snippet);
    // The command up to a comment, a pipe or the next command.
    const command = m?.[1].split(/\s+#\s|\s\|\s|\s&&\s|;\s/)[0].trim();
    return command && !/[[\]]|\w\|\w|<group>/.test(command) ? [command] : [];
  });
}

Deno.test("every bss command in the README and docs/ parses as the CLI reads it", () => {
  const known = new Set(groups());
  const problems: string[] = [];
  let checked = 0;
  for (const file of ["README.md", ...markdownFiles("docs")]) {
    for (const command of commandLines(Deno.readTextFileSync(file))) {
      const argv = shellWords(command);
      if (LOCAL.has(argv[0]) || (argv[0] === "admin" && argv[1] === "tokens")) continue;
      try {
        if (!known.has(argv[0])) throw new Error(`no group ${argv[0]}`);
        const { words, named } = split(argv);
        const found = resolve(words);
        if (!found) throw new Error("no such command");
        toolArgs(found.command.tool, named, words.slice(found.used));
        checked++;
      } catch (e) {
        problems.push(`${file}: bss ${command} — ${(e as Error).message}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked > 50, `${checked} commands checked`);
});
