/**
 * Options every card renderer takes, and the ANSI styling that applies only when asked.
 *
 * @module
 */

/** Card widths the cockpit renders at. */
export type CardWidth = 80 | 120;

/** How to render: total width in cells, and whether ANSI colour is wanted. */
export interface RenderOptions {
  width: CardWidth;
  color: boolean;
}

const SGR = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 } as const;

/** An ANSI style name. */
export type Style = keyof typeof SGR;

/** `text` wrapped in the ANSI style when `color` is on; plain text otherwise. */
export function paint(text: string, style: Style, color: boolean): string {
  return color && text ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text;
}

/** The style of a lifecycle state: green when healthy, red when broken, yellow in between. */
export function stateStyle(state: string): Style {
  const s = state.toLowerCase();
  if (["active", "completed", "activated", "verified", "approved", "resolved"].includes(s)) {
    return "green";
  }
  if (/fail|error|stuck|block|suspend|cancel|terminat|reject|closed|released/.test(s)) {
    return "red";
  }
  return "yellow";
}
