/** Reading a spawned server's output. */

/**
 * Reads `reader` until the text so far contains `marker` (e.g. "listening") and returns that
 * text; throws, with what was read, when the stream ends first.
 */
export async function readUntil(
  reader: ReadableStreamDefaultReader<string>,
  marker: string,
): Promise<string> {
  let out = "";
  while (!out.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`The process's output ended before "${marker}": ${out}`);
    out += value;
  }
  return out;
}
