/**
 * A bench's command line: `--help` prints its usage; a bad option is refused with the usage and
 * status 2, before anything starts.
 */
import assert from "node:assert/strict";

const MAIN = new URL("../bench/main.ts", import.meta.url).pathname;

async function bench(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", MAIN, ...args] })
    .output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("--help prints a bench's usage", async () => {
  const { code, stdout } = await bench("pipeline", "--help");
  assert.equal(code, 0);
  assert.match(stdout, /^usage: deno task bench pipeline \[--orders 200\]/);
  const mailbox = await bench("mailbox", "--help");
  assert.equal(mailbox.code, 0);
  assert.match(mailbox.stdout, /^deno task bench mailbox \[options\]/);
});

Deno.test("an unknown option, a bad count or an unknown phase is refused with the usage", async () => {
  for (
    const [args, problem] of [
      [["api", "--bogus"], /Unknown option '--bogus'/],
      [
        ["pipeline", "--orders", "abc"],
        /--orders must be a whole number of at least 1 \(got "abc"\)/,
      ],
      [["pipeline", "--phases", "zero,fast"], /unknown phase fast/],
    ] as const
  ) {
    const { code, stderr } = await bench(...args);
    assert.equal(code, 2, args.join(" "));
    assert.match(stderr, problem);
    assert.match(stderr, /usage: deno task bench/);
    assert.doesNotMatch(stderr, /Uncaught|at .*\.ts:\d+/, "no stack trace");
  }
});
