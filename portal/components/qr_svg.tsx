/**
 * A QR code as inline SVG (ECC level M, a two-module quiet zone): one path of dark modules,
 * crisp at any size, no image request.
 *
 * @module
 */
import { qrMatrix } from "../../cockpit/render/qr.ts";

/** The QR of `text`, labelled for screen readers. */
export function QrSvg({ text, label }: { text: string; label: string }) {
  const matrix = qrMatrix(text);
  const border = 2;
  const size = matrix.length + 2 * border;
  let d = "";
  matrix.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (dark) d += `M${c + border} ${r + border}h1v1h-1z`;
    })
  );
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
