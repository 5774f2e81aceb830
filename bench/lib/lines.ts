/**
 * Line-oriented pipes between a bench and the processes it spawns.
 *
 * @module
 */

/** The lines of a byte stream, without their newlines. */
export async function* lines(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest) yield rest;
}

const encoder = new TextEncoder();

/** Writes `text` and a newline to `writer`, fully. */
export async function writeLine(
  writer: WritableStreamDefaultWriter<Uint8Array>,
  text: string,
): Promise<void> {
  await writer.write(encoder.encode(text + "\n"));
}
