/** Cell measuring, fitting and the box/bar primitives the cards are built from. */
import assert from "node:assert/strict";
import { box, progressBar, rule, sheet, stateDot } from "../cockpit/render/box.ts";
import { formatIccid, formatMsisdn } from "../cockpit/render/format.ts";
import { paint } from "../cockpit/render/options.ts";
import { cells, fit, fitRight, stripAnsi, wrapText } from "../cockpit/render/text.ts";

Deno.test("cells counts wide characters twice, combining marks and ANSI not at all", () => {
  assert.equal(cells("abc"), 3);
  assert.equal(cells("陈美"), 4);
  assert.equal(cells("e\u0301"), 1);
  assert.equal(cells("🚀"), 2);
  assert.equal(cells(paint("ok", "green", true)), 2);
  assert.equal(cells("┌─●█▀▄━┃…"), 9);
});

Deno.test("fit pads short text and cuts long text with an ellipsis to exactly the width", () => {
  assert.equal(fit("ab", 4), "ab  ");
  assert.equal(fit("abcdef", 4), "abc…");
  assert.equal(fit("abcd", 4), "abcd");
  // A wide character that would straddle the edge is dropped and the gap padded.
  assert.equal(fit("a陈美x", 4), "a陈…");
  assert.equal(cells(fit("陈美陈美", 4)), 4);
  assert.equal(fit("x", 0), "");
  assert.equal(fitRight("42", 5), "   42");
  // Colour survives when the text fits, and is dropped (never half-cut) when it does not.
  assert.equal(fit(paint("ok", "red", true), 3), "\x1b[31mok\x1b[0m ");
  assert.equal(fit(paint("too long", "red", true), 4), "too…");
});

Deno.test("wrapText breaks at spaces within the width and keeps the text's own lines", () => {
  assert.deepEqual(wrapText("one two three four", 9), ["one two", "three", "four"]);
  assert.deepEqual(wrapText("user:\nhi  there\n\nbot:", 20), ["user:", "hi there", "", "bot:"]);
  // Wide characters count two cells; a word longer than the line gets a line of its own.
  assert.deepEqual(wrapText("陈美 陈美 x", 5), ["陈美", "陈美", "x"]);
  assert.deepEqual(wrapText("abcdefghij k", 4), ["abcdefghij", "k"]);
});

Deno.test("box: every line exactly the width, title cut to keep a rule cell", () => {
  for (const width of [80, 120] as const) {
    const text = box(["short", "x".repeat(200), "陈".repeat(70)], "T".repeat(300), {
      width,
      color: false,
    });
    const lines = text.split("\n");
    assert.equal(lines.length, 5);
    for (const line of lines) assert.equal(cells(line), width, line);
    assert.match(lines[0], /^┌─ T+… ─┐$/);
    assert.equal(lines[1], `│ short${" ".repeat(width - 9)} │`);
    assert.equal(lines[4], `└${"─".repeat(width - 2)}┘`);
    const double = box([], "Blocked", { width, color: false, double: true }).split("\n");
    assert.equal(double[0], `╔═ Blocked ${"═".repeat(width - 12)}╗`);
    assert.equal(double[1], `╚${"═".repeat(width - 2)}╝`);
  }
});

Deno.test("box colours only the title, and only when asked", () => {
  const plain = box(["a"], "Title", { width: 80, color: false });
  const colored = box(["a"], "Title", { width: 80, color: true });
  assert.equal(plain, stripAnsi(colored));
  assert.notEqual(plain, colored);
  assert.ok(!plain.includes("\x1b"));
});

Deno.test("progress bar: eighth-block partials, full, empty and unlimited", () => {
  assert.equal(progressBar(1, 4), `[██████▌${"░".repeat(19)}]`);
  assert.equal(progressBar(0, 10), `[${"░".repeat(26)}]`);
  assert.equal(progressBar(20, 10), `[${"█".repeat(26)}]`);
  assert.equal(progressBar(5, null), `[${"─".repeat(26)}]`);
  assert.equal(progressBar(5, 0), `[${"─".repeat(26)}]`);
  for (let used = 0; used <= 100; used += 7) assert.equal(cells(progressBar(used, 100)), 28);
});

Deno.test("rule, sheet, state dot and number formats", () => {
  assert.equal(rule("Bundle", 20), "── Bundle ──────────");
  assert.equal(cells(rule("x".repeat(50), 20)), 20);
  assert.deepEqual(sheet(["a", "b".repeat(30)], 10).split("\n"), ["a         ", "bbbbbbbbb…"]);
  assert.equal(stateDot("active", false), "● ACTIVE");
  assert.equal(stripAnsi(stateDot("blocked", true)), "● BLOCKED");
  assert.equal(formatMsisdn("91234567"), "9123 4567");
  assert.equal(formatMsisdn("6591234567"), "6591234567");
  assert.equal(formatIccid("8965012345678900777"), "8965 0123 4567 8900 777");
});
