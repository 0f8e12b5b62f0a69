/**
 * Turns a result file's raw bytes into text. Game servers write UTF-16LE without a BOM (ACC),
 * editors re-save with a BOM, some repositories convert to UTF-8: sniff, never assume.
 */

/** Why bytes could not be decoded, phrased for the person who owns the file. */
export class DecodeError extends Error {}

const utf16 = new TextDecoder("utf-16le", { fatal: true });
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes result-file bytes: UTF-16LE (with or without BOM) or UTF-8 (with or without BOM). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new DecodeError("the file is empty");
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      text = utf16.decode(bytes.subarray(2));
    } else if (bytes.length > 1 && bytes[1] === 0 && bytes[0] !== 0) {
      if (bytes.length % 2 !== 0) {
        throw new DecodeError("UTF-16 text with an odd number of bytes (truncated?)");
      }
      text = utf16.decode(bytes);
    } else {
      text = utf8.decode(bytes);
    }
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError("not UTF-16 or UTF-8 text");
  }
  // A decoder drops one BOM; a file re-saved twice can carry another.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes("\u0000")) {
    throw new DecodeError("the text contains NUL characters (damaged or mis-encoded)");
  }
  return text;
}
