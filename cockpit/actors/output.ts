/**
 * Where a command's results go: stdout, as JSON (`--json`) or as text, with ANSI colour only
 * when stdout is a terminal and NO_COLOR is unset.
 *
 * @module
 */

/** The few styles the tables use. */
export type Style = "bold" | "dim" | "red" | "yellow" | "green" | "cyan";

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  cyan: [36, 39],
};

/** A command's output channel. */
export class Output {
  constructor(
    /** Print JSON for scripts instead of text. */
    readonly json: boolean,
    /** Colour text output. */
    readonly color: boolean,
    private readonly write: (text: string) => void = (text) => console.log(text),
  ) {}

  /** Prints text (a line, or several). */
  line(text = ""): void {
    this.write(text);
  }

  /** Prints a value as JSON: indented, or on one line (for streams: one object per line). */
  data(value: unknown, oneLine = false): void {
    this.write(oneLine ? JSON.stringify(value) : JSON.stringify(value, null, 2));
  }

  /** `text` in `style`, when colour is on. */
  paint(text: string, style: Style | undefined): string {
    if (!this.color || !style) return text;
    const [on, off] = CODES[style];
    return `\x1b[${on}m${text}\x1b[${off}m`;
  }
}

/** The process's stdout. */
export function stdout(json: boolean): Output {
  return new Output(json, Deno.stdout.isTerminal() && !Deno.noColor);
}
