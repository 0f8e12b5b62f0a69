/**
 * ET:Legacy gamestats files (the c0rnp0rn Lua mod): `<YYYY-MM-DD-HHMMSS>-<map>-round-<N>.txt`,
 * a backslash header, then one line per player (see shared/docs/etl-format.md §2-3).
 * This module reads one file into an `EtlRound`; pairing rounds and the round-2 differential
 * are storage concerns (kv/etl/).
 */
import { createHash } from "node:crypto";
import { type LocalTime, localToInstant } from "@/lib/file_time.ts";
import { stripColors } from "@/games/etl/names.ts";
import type { FileContext, FileFormat } from "@/games/format.ts";
import {
  ETL_FIELDS,
  ETL_MIN_FIELDS,
  type EtlHeader,
  type EtlPlayerLine,
  type EtlRound,
  type EtlWeapon,
  F,
  MAX_PLAYER_LINES,
} from "@/games/etl/fields.ts";

// The file's shapes and constants live in games/etl/fields.ts; importers keep reading them here.
export { ETL_FIELDS, ETL_MIN_FIELDS, F, MAX_PLAYER_LINES, WEAPONS } from "@/games/etl/fields.ts";
export type { EtlHeader, EtlPlayerLine, EtlRound, EtlWeapon } from "@/games/etl/fields.ts";

/** What the ET:Legacy format answers for a file: a round, or why not. */
export type EtlOutcome = { status: "etl"; round: EtlRound } | { status: "rejected"; reason: string };

const NAME = /^(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})-([A-Za-z0-9_-]{1,50})-round-(\d{1,2})\.txt$/;
const BOT_NAME = /^\[BOT\]/;
const ENCODER = new TextEncoder();

/** Reads the file name: its timestamp, map and round; null when it is not a gamestats name. */
export function parseEtlFileName(
  name: string,
): { local: LocalTime; stamp: string; map: string; round: number } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, map, r] = m as unknown as string[];
  const local = { year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: +s! };
  if (local.month < 1 || local.month > 12 || local.day < 1 || local.day > 31 || local.hour > 23) return null;
  if (local.minute > 59 || local.second > 59) return null;
  return { local, stamp: `${y}-${mo}-${d}-${h}${mi}${s}`, map: map!, round: +r! };
}

/** `M:SS` (also `MM:SS`) in seconds; 0 for anything else. */
export function parseMmss(text: string): number {
  const m = /^(\d{1,4}):(\d{2})$/.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

function int(text: string | undefined): number {
  const n = Number.parseInt(text ?? "", 10);
  return Number.isFinite(n) ? n : 0;
}

/** Parses the header line; throws with a reason when it is not one. */
function parseHeader(line: string): EtlHeader {
  const h = line.split("\\");
  if (h.length !== 8 && h.length !== 9) {
    throw new Error(`header has ${h.length} fields, expected 8 or 9 (server\\map\\config\\round\\...)`);
  }
  const side = (t: string) => (t === "1" || t === "2" ? Number(t) : 0);
  const pt = h.length === 9 ? Number(h[8]) : NaN;
  return {
    serverRaw: h[0]!,
    server: stripColors(h[0]!),
    map: h[1]!,
    config: h[2]!,
    round: int(h[3]),
    defender: side(h[4]!),
    winner: side(h[5]!),
    timeLimitS: parseMmss(h[6]!),
    actualTimeS: parseMmss(h[7]!),
    playtimeMs: Number.isFinite(pt) && pt > 0 ? pt : null,
    fieldCount: h.length as 8 | 9,
  };
}

/**
 * The numbers in `line[from..to)` (bytes) separated by `sep` (runs of it count once), scanned in
 * place: a player line is ~200 numbers, and substrings per number cost more than the rest of the parse.
 * Anything that is not a plain decimal number reads as NaN.
 */
function scanNumbers(line: Uint8Array, from: number, to: number, sep: number): number[] {
  const out: number[] = [];
  let i = from;
  while (i < to) {
    while (i < to && line[i] === sep) i++;
    if (i >= to) break;
    let neg = false, int = 0, frac = 0, scale = 1, digits = 0, dot = false, bad = false;
    if (line[i] === 45 /* - */) {
      neg = true;
      i++;
    }
    for (; i < to; i++) {
      const c = line[i]!;
      if (c === sep) break;
      if (c >= 48 && c <= 57) {
        digits++;
        if (dot) {
          scale *= 10;
          frac = frac * 10 + (c - 48);
        } else int = int * 10 + (c - 48);
      } else if (c === 46 /* . */ && !dot) dot = true;
      else if (c !== 13 && c !== 32) bad = true;
    }
    const v = int + frac / scale;
    out.push(bad || digits === 0 ? NaN : neg ? -v : v);
  }
  return out;
}

/** Parses one player line; returns a reason string when the line is damaged. */
function parsePlayer(line: string): [EtlPlayerLine, number] | string {
  const b1 = line.indexOf("\\"), b2 = line.indexOf("\\", b1 + 1);
  const b3 = line.indexOf("\\", b2 + 1), b4 = line.indexOf("\\", b3 + 1);
  if (b1 < 0 || b2 < 0 || b3 < 0 || b4 < 0 || line.indexOf("\\", b4 + 1) >= 0) {
    return `${line.split("\\").length} backslash parts, expected 5`;
  }
  const guid8 = line.slice(0, b1), nameRaw = line.slice(b1 + 1, b2);
  if (!/^[0-9A-Za-z]{1,32}$/.test(guid8)) return `bad GUID "${guid8.slice(0, 40)}"`;
  const tabAt = line.indexOf("\t", b4);
  if (tabAt < 0) return "no TAB block (cut short)";
  // The numbers are ASCII: scanned as bytes, which V8 reads much faster than string characters.
  const nums = ENCODER.encode(line.slice(b4 + 1));
  const tab = tabAt - b4 - 1;
  const block = scanNumbers(nums, 0, tab, 32);
  const mask = block[0]!;
  if (!Number.isInteger(mask) || mask < 0 || mask >= 2 ** 28) return `bad weapon mask`;
  const weapons: EtlWeapon[] = [];
  let at = 1;
  for (let id = 0; id < 28; id++) {
    if ((mask & (1 << id)) === 0) continue;
    if (at + 5 > block.length) return "weapon block shorter than its mask says (cut short)";
    const w: EtlWeapon = [id, block[at]!, block[at + 1]!, block[at + 2]!, block[at + 3]!, block[at + 4]!];
    for (let k = 1; k < 6; k++) {
      if (!Number.isInteger(w[k])) return `weapon ${id} has a value that is not a whole number`;
      if (w[k]! < 0) return `weapon ${id} has a negative count (${w[k]})`;
    }
    weapons.push(w);
    at += 5;
  }
  if (at !== block.length) return `weapon block has ${block.length - at} numbers more than its mask says`;
  const ext = scanNumbers(nums, tab + 1, nums.length, 9);
  if (ext.length < ETL_MIN_FIELDS) {
    return `${ext.length} TAB fields, expected ${ETL_MIN_FIELDS}-${ETL_FIELDS} (cut short)`;
  }
  const f = new Array<number>(ETL_FIELDS).fill(0);
  for (let i = 0; i < Math.min(ext.length, ETL_FIELDS); i++) {
    const v = ext[i]!;
    // Every extended field is a counter, a time or a ratio: a number, finite, never negative.
    if (!Number.isFinite(v)) return `field ${FIELD_NAMES[i]} (f${i}) is not a finite number`;
    if (v < 0) return `field ${FIELD_NAMES[i]} (f${i}) is negative (${v})`;
    f[i] = v;
  }
  const name = stripColors(nameRaw);
  const bot = BOT_NAME.test(name);
  const upper = guid8.toUpperCase().slice(0, 8);
  return [{
    // Omni-bot GUIDs collide; Slomix's rule gives each bot name its own identity.
    guid: bot ? upper + createHash("sha256").update(name).digest("hex").slice(0, 24) : upper,
    nameRaw,
    name,
    rounds: int(line.slice(b2 + 1, b3)),
    team: int(line.slice(b3 + 1, b4)),
    weapons,
    f,
    bot,
  }, ext.length];
}

const FIELD_NAMES: string[] = Object.entries(F).sort((a, b) => a[1] - b[1]).map(([k]) => k);

/** The TAB width most lines have; a tie goes to the wider (an older build writes a prefix). */
function majorityWidth(widths: number[]): number {
  const count = new Map<number, number>();
  for (const w of widths) count.set(w, (count.get(w) ?? 0) + 1);
  let best = 0, bestN = 0;
  for (const [w, n] of count) if (n > bestN || (n === bestN && w > best)) [best, bestN] = [w, n];
  return best;
}

/** The 1-based number of the last line that is a player line (has a backslash), 0 when none. */
function lastPlayerLine(lines: string[]): number {
  for (let i = lines.length - 1; i >= 1; i--) if (lines[i]!.includes("\\")) return i + 1;
  return 0;
}

/** Parses decoded file text; throws with a one-line reason when the file cannot be stored. */
export function parseEtlText(text: string, file: FileContext): EtlRound {
  const named = parseEtlFileName(file.name);
  if (!named) {
    throw new Error(
      `"${file.name}" is not named <YYYY-MM-DD-HHMMSS>-<map>-round-<N>.txt; the round's time comes from the name`,
    );
  }
  if (named.round !== 1 && named.round !== 2) {
    throw new Error(`round ${named.round} in the name; stopwatch has 1 and 2`);
  }
  const lines = text.split("\n");
  const complete = text.endsWith("\n");
  if (complete) lines.pop();
  const header = parseHeader(lines[0]!.replace(/\r$/, ""));
  if (header.map !== named.map) {
    throw new Error(`map "${header.map}" in the header, "${named.map}" in the name`);
  }
  // A server has at most 64 slots; a file with hundreds of player lines is hostile, refused
  // before any line is read.
  const playerLines = lines.reduce((n, l, i) => (i > 0 && l.includes("\\") ? n + 1 : n), 0);
  if (playerLines > MAX_PLAYER_LINES) {
    throw new Error(`too many players: ${playerLines} player lines, at most ${MAX_PLAYER_LINES} are read`);
  }
  const parsed: { p: EtlPlayerLine; n: number; line: number }[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    // Blank and whitespace-only lines have no backslash either.
    if (!line.includes("\\")) continue;
    const parsedLine = parsePlayer(line);
    if (typeof parsedLine === "string") {
      warnings.push(`line ${i + 1} dropped: ${parsedLine}`);
      continue;
    }
    const [p, n] = parsedLine;
    if (seen.has(p.guid)) {
      warnings.push(`line ${i + 1} dropped: GUID ${p.guid} already has a line`);
      continue;
    }
    seen.add(p.guid);
    parsed.push({ p, n, line: i + 1 });
  }
  // One Lua build wrote the file: the width most lines have is its width (one damaged wide line
  // must not make every correct line look cut). A shorter line was cut off, a wider one damaged.
  const tabFields = majorityWidth(parsed.map((x) => x.n));
  const kept: EtlPlayerLine[] = [];
  for (const x of parsed) {
    if (x.n !== tabFields) {
      const what = x.n < tabFields ? "cut short" : "more than the file's Lua writes";
      warnings.push(`line ${x.line} dropped: ${x.n} TAB fields where the others have ${tabFields} (${what})`);
    } else kept.push(x.p);
  }
  // The last player line cut off means the file was read while the game was still writing it: a
  // round with its last players missing must not be stored as the round.
  const last = lastPlayerLine(lines);
  const lastDropped = warnings.find((w) => w.startsWith(`line ${last} dropped: `));
  if (lastDropped && !/already has a line|more than the file's Lua/.test(lastDropped)) {
    const why = lastDropped.slice(`line ${last} dropped: `.length);
    throw new Error(`the last player line (line ${last}) is cut short (${why}): the file is incomplete`);
  }
  if (!complete) warnings.push("no newline after the last line");
  if (kept.length === 0) {
    throw new Error(
      warnings.length
        ? `no readable player line (${warnings[0]})`
        : "header only, no player lines: nothing to store",
    );
  }
  const wallMs = Date.UTC(
    named.local.year,
    named.local.month - 1,
    named.local.day,
    named.local.hour,
    named.local.minute,
    named.local.second,
  );
  return {
    fileName: file.name,
    map: named.map,
    round: named.round as 1 | 2,
    stamp: named.stamp,
    wallMs,
    playedAt: localToInstant(named.local, file.timeZone ?? "UTC"),
    header,
    players: kept,
    tabFields: Math.min(tabFields, ETL_FIELDS),
    warnings,
    text,
  };
}

/** True when the text looks like a gamestats file (the name decides; the header confirms). */
export function looksLikeEtl(text: string, file: FileContext): boolean {
  if (parseEtlFileName(file.name)) return true;
  const nl = text.indexOf("\n");
  const first = nl < 0 ? text : text.slice(0, nl);
  const h = first.split("\\");
  return (h.length === 8 || h.length === 9) && (h[3] === "1" || h[3] === "2") &&
    /^\d+:\d\d$/.test(h[6] ?? "");
}

/** The ET:Legacy format for the ingest pipeline. */
export const etlFormat: FileFormat<EtlOutcome> = {
  id: "etl",
  detect: looksLikeEtl,
  parse(text: string, file: FileContext): EtlOutcome {
    try {
      return { status: "etl", round: parseEtlText(text, file) };
    } catch (err) {
      return { status: "rejected", reason: `ET:Legacy stats: ${(err as Error).message}` };
    }
  },
};
