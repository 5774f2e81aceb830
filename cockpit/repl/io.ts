/**
 * Where the cockpit writes: whole blocks (lines, cards), streamed answer text, and what it
 * is busy with (a spinner on a terminal, a plain `· calling …` line when piped). Colour is on
 * only for a terminal without NO_COLOR.
 *
 * @module
 */
import { paint, type Style } from "../render/options.ts";

/** The cockpit's output. */
export interface Io {
  /** Colour wanted (a terminal). */
  readonly color: boolean;
  /** Card width: 120 on a wide terminal, else 80. */
  readonly width: 80 | 120;
  /** Prints a block (a line or a card) on its own lines. */
  print(text: string): void;
  /** Writes part of a streamed answer (no newline). */
  write(text: string): void;
  /** Shows what the cockpit is busy with; null clears it. */
  busy(what: string | null): void;
}

const FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

/** The process's terminal (or pipe) as an {@link Io}. */
export function terminalIo(): Io {
  const tty = Deno.stdout.isTerminal();
  const encoder = new TextEncoder();
  const out = (text: string) => Deno.stdout.writeSync(encoder.encode(text));
  let columns = 80;
  try {
    if (tty) columns = Deno.consoleSize().columns;
  } catch { /* not a console */ }
  let timer: ReturnType<typeof setInterval> | undefined;
  let label = "";
  const clear = () => {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
    out("\r\x1b[2K");
  };
  return {
    color: tty && !Deno.noColor,
    width: columns >= 120 ? 120 : 80,
    print(text) {
      clear();
      out(`${text}\n`);
    },
    write(text) {
      clear();
      out(text);
    },
    busy(what) {
      if (!tty) {
        if (what) out(`· ${what}\n`);
        return;
      }
      clear();
      if (!what) return;
      label = what;
      let frame = 0;
      timer = setInterval(() => out(`\r${FRAMES[frame++ % FRAMES.length]} ${label}`), 80);
    },
  };
}

/** `text` in `style` when the io is coloured. */
export function styled(io: Pick<Io, "color">, text: string, style: Style): string {
  return paint(text, style, io.color);
}
