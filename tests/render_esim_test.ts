/**
 * The eSIM card's terminal QR scans: the text the card prints is read back into modules and
 * decoded with a real QR decoder (jsQR) to the LPA activation code.
 */
import assert from "node:assert/strict";
// Inline until the lead adds `jsqr` to the import map (deno.json is not ours).
import jsQRModule from "jsqr";
import { lpaOf, renderEsim } from "../cockpit/render/esim.ts";
import { cells } from "../cockpit/render/text.ts";
import { esim } from "./snapshots/render_fixtures.ts";

// A CommonJS module whose typings describe `default`; at run time both are the decoder.
const jsQR = jsQRModule.default;

const TOP: Record<string, [boolean, boolean]> = {
  "█": [true, true],
  "▀": [true, false],
  "▄": [false, true],
  " ": [false, false],
};

/** The modules drawn between the "Scan" and "Or enter" lines of a rendered card. */
function modulesOf(card: string): boolean[][] {
  const body = card.split("\n").map((line) => line.slice(2, -2));
  const from = body.findIndex((l) => l.includes("Scan with your device camera")) + 2;
  const to = body.findIndex((l) => l.includes("Or enter the LPA code manually"));
  const rows: boolean[][] = [];
  for (const line of body.slice(from, to)) {
    const pair = [...line].map((ch) => TOP[ch] ?? [false, false]);
    rows.push(pair.map(([top]) => top), pair.map(([, bottom]) => bottom));
  }
  return rows;
}

/** Decodes modules as an RGBA image with a wide light margin, `scale` pixels a module. */
function decode(modules: boolean[][], scale = 6, margin = 4): string | undefined {
  const cols = Math.max(...modules.map((r) => r.length)) + 2 * margin;
  const size = Math.max(cols, modules.length + 2 * margin) * scale;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  modules.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (!dark) return;
      for (let y = 0; y < scale; y++) {
        for (let x = 0; x < scale; x++) {
          const i = (((r + margin) * scale + y) * size + (c + margin) * scale + x) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
      }
    })
  );
  return jsQR(data, size, size)?.data;
}

for (const width of [80, 120] as const) {
  Deno.test(`eSIM card at ${width}: the printed QR decodes to the LPA code`, () => {
    const card = renderEsim(esim, { width, color: false });
    assert.equal(decode(modulesOf(card)), esim.activationCode);
    for (const line of card.split("\n")) assert.equal(cells(line), width);
  });
}

Deno.test("eSIM card: a bare code becomes LPA:1$…, and a long one wraps instead of being cut", () => {
  assert.equal(lpaOf("smdp.example.test$ABC"), "LPA:1$smdp.example.test$ABC");
  const code = `LPA:1$smdp.example.test$${"M".repeat(100)}`;
  const card = renderEsim({ iccid: esim.iccid, activation_code: code }, {
    width: 80,
    color: false,
  });
  assert.equal(decode(modulesOf(card)), code);
  const lines = card.split("\n").slice(0, -1);
  const typed = lines.slice(lines.findIndex((l) => l.includes("Or enter")) + 1)
    .map((l) => l.slice(2, -2).trim()).filter((l) => l && !l.startsWith("(")).join("");
  assert.equal(typed, code);
});

Deno.test("eSIM card: redacted by default, in full on request, no QR without a code", () => {
  const redacted = renderEsim(esim, { width: 80, color: false });
  assert.match(redacted, /•{15}0777/);
  assert.ok(!redacted.includes(esim.iccid));
  const full = renderEsim(esim, { width: 80, color: false, showFull: true });
  assert.match(full, /8965 0123 4567 8900 777/);
  assert.match(full, /525 01 9876543210/);
  assert.ok(!full.includes("redacted"));
  const none = renderEsim({ iccid: esim.iccid }, { width: 80, color: false });
  assert.match(none, /no activation code issued/);
  assert.match(none, /○ PREPARED|● PREPARED/);
});

Deno.test("eSIM card: a recycled profile shows no QR to scan, only its old code", () => {
  const card = renderEsim({ ...esim, state: "recycled" }, { width: 80, color: false });
  assert.match(card, /○ RECYCLED/);
  assert.doesNotMatch(card, /Scan with your device camera/);
  assert.match(card, /recycled, not this line's to install: no QR/);
  assert.ok(card.includes(`Its code was ${esim.activationCode}`));
});
