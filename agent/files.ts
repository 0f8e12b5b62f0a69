/** The agent's view of result files: paths, completeness, age order, reads that never throw. */
import { SETTLE_JSON_MS, SETTLE_OTHER_MS } from "./options.ts";

/** A file seen changing, waiting to be complete and sent. */
export interface Candidate {
  path: string;
  size: number;
  mtimeMs: number;
  since: number;
  /** Quiet long enough but not readable or not parsing yet: newer files do not wait for it. */
  stuck?: boolean;
  /** Failed tries so far, and when the next may be made. */
  tries?: number;
  retryAt?: number;
}

/** The platform's path separator. */
export const SEP = Deno.build.os === "windows" ? "\\" : "/";

/** The folder part of a path. */
export function parentOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return path.slice(0, i);
}

/** The file name part of a path. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** True when the bytes are complete JSON in the encodings game servers write (ACC: UTF-16LE). */
export function parsesAsJson(bytes: Uint8Array): boolean {
  try {
    let text: string;
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes);
    } else if (bytes.length > 1 && bytes[1] === 0) {
      if (bytes.length % 2 !== 0) return false;
      text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes);
    } else text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    JSON.parse(text.replace(/^\uFEFF/, ""));
    return true;
  } catch {
    return false;
  }
}

/** A gamestats file is complete when its last line ends: the game writes it line by line. */
export function endsWithNewline(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0a;
}

/** How long a file must stay unchanged before it counts as complete. */
export function settleMs(path: string): number {
  return /\.json$/i.test(path) ? SETTLE_JSON_MS : SETTLE_OTHER_MS;
}

/** Oldest first (by modification time, then path). */
export function byAge(a: Candidate, b: Candidate): number {
  return a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** Size and modification time of a regular file; null when it is not one (or gone). */
export async function statFile(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const s = await Deno.stat(path);
    return s.isFile ? { size: s.size, mtimeMs: s.mtime?.getTime() ?? 0 } : null;
  } catch {
    return null;
  }
}

/** Reads a file; null while it cannot be (gone, or held open by the game server on Windows). */
export async function readFile(path: string): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    return await Deno.readFile(path);
  } catch {
    return null;
  }
}
