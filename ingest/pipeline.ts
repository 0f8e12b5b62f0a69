/**
 * From bytes to a verdict: size limit, content hash, text decoding, format detection, parsing.
 * Nothing here touches storage, and nothing throws: every file gets an outcome with a reason.
 */
import { DecodeError, decodeText } from "@/ingest/decode.ts";
import { FORMATS } from "@/ingest/formats.ts";
import { parseEtlFileName } from "@/games/etl/parser.ts";
import { sha256Hex } from "@/lib/hash.ts";
import { applyLapRule } from "@/games/racing/laps.ts";
import type { FileContext, FileFormat } from "@/games/format.ts";
import type { FileOutcome } from "@/ingest/formats.ts";

/** Files larger than this are refused before they are read into a parser. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** A file after parsing, with the hash that identifies its bytes. */
export interface PreparedFile {
  name: string;
  sha256: string;
  size: number;
  outcome: FileOutcome;
}

const ENTRY_LIST = /_entrylist\.json$/i;
const LEGACY_BYTES = new TextDecoder("windows-1252");

function parseWith(
  formats: readonly FileFormat<FileOutcome>[],
  text: string,
  file: FileContext,
): FileOutcome {
  const format = formats.find((f) => f.detect(text, file));
  if (!format) {
    return { status: "rejected", reason: "unknown format: not an ACC, AC or ET:Legacy stats file" };
  }
  try {
    const outcome = format.parse(text, file);
    // One plausibility rule for every racing game, applied where every parsed file passes.
    if (outcome.status === "parsed") applyLapRule(outcome.session, file.lapLimits);
    return outcome;
  } catch (err) {
    return { status: "rejected", reason: `${format.id} parser failed: ${(err as Error).message}` };
  }
}

/** Hashes, decodes and parses one file. */
export function prepareFile(
  bytes: Uint8Array,
  file: FileContext,
  formats: readonly FileFormat<FileOutcome>[] = FORMATS,
): PreparedFile {
  const base = { name: file.name, size: bytes.length };
  if (bytes.length > MAX_FILE_BYTES) {
    const mib = (bytes.length / 1024 / 1024).toFixed(1);
    return {
      ...base,
      sha256: "",
      outcome: { status: "rejected", reason: `${mib} MiB is over the 32 MiB limit` },
    };
  }
  const sha256 = sha256Hex(bytes);
  if (ENTRY_LIST.test(file.name)) {
    return { ...base, sha256, outcome: { status: "skipped", reason: "entry list, not a result" } };
  }
  let text: string;
  try {
    text = decodeText(bytes);
  } catch (err) {
    // ET:Legacy names are raw bytes from the game (no encoding); one accented name must not cost
    // a round: read such a file byte for byte (Windows-1252), as the game shows it.
    if (err instanceof DecodeError && parseEtlFileName(file.name) && !bytes.includes(0)) {
      return { ...base, sha256, outcome: parseWith(formats, LEGACY_BYTES.decode(bytes), file) };
    }
    const reason = err instanceof DecodeError ? err.message : "cannot be decoded";
    return {
      ...base,
      sha256,
      outcome: { status: "rejected", reason: `not a readable text file: ${reason}` },
    };
  }
  return { ...base, sha256, outcome: parseWith(formats, text, file) };
}
