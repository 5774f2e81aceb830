/**
 * A terminal QR code: the code's modules (ECC level M, a one-module quiet zone) drawn with
 * half blocks, two module rows per text row, so a phone camera can scan it off the screen.
 *
 * The encoder is `qrcode-generator` (pure JS, no dependencies).
 *
 * @module
 */
// Inline until the lead adds `qrcode-generator` to the import map (deno.json is not ours).
import qrcode from "qrcode-generator";

/** The QR modules of `text` (true = dark), ECC level M. */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

const HALF: Record<string, string> = { "11": "█", "10": "▀", "01": "▄", "00": " " };

/**
 * `matrix` with a `border`-module light margin as text rows: each character is two modules
 * stacked (`█` both dark, `▀` top, `▄` bottom, space neither). Every row is the same width.
 */
export function qrRows(matrix: boolean[][], border = 1): string[] {
  const size = matrix.length + 2 * border;
  const dark = (r: number, c: number) => matrix[r - border]?.[c - border] === true ? "1" : "0";
  const rows: string[] = [];
  for (let r = 0; r < size; r += 2) {
    let row = "";
    for (let c = 0; c < size; c++) row += HALF[dark(r, c) + dark(r + 1, c)];
    rows.push(row);
  }
  return rows;
}
