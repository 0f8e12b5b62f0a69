/**
 * ET:Legacy `endstats.lua` files: `<YYYY-MM-DD-HHMMSS>-<map>-round-<N>-endstats.txt`, written
 * beside the round's gamestats file with the same timestamp (shared/docs/etl-format.md §10).
 * TAB-separated: award lines `Award name\tplayer\tvalue` (the value may carry a unit:
 * `113 seconds`, `50.47 percent`), then VS lines `player\tkills\tdeaths` in blocks. Pure: no
 * storage, no GUIDs (a round's names resolve them when both are stored).
 */
import { stripColors } from "@/games/etl/names.ts";

/** One award line. `value` is the number the line starts with (null when it has none). */
export interface EtlAward {
  award: string;
  /** The player's name as written (endstats.lua strips colours; any left are stripped here). */
  name: string;
  value: number | null;
  /** What follows the number (`seconds`, `percent`), null for a bare number. */
  unit: string | null;
  /** The value as written. */
  text: string;
}

/**
 * One VS row: `name` killed `kills` and died `deaths` times against `of` (the block's player,
 * when the file names it on a line of its own; null otherwise).
 */
export interface EtlVsRow {
  of: string | null;
  name: string;
  kills: number;
  deaths: number;
}

/** A parsed endstats file. */
export interface EtlEndstats {
  fileName: string;
  map: string;
  round: 1 | 2;
  /** The name's timestamp as written (the same as its round's gamestats file). */
  stamp: string;
  /** That wall-clock time read as UTC, in ms. */
  wallMs: number;
  awards: EtlAward[];
  vs: EtlVsRow[];
  /** Lines that were neither, one sentence each. */
  warnings: string[];
}

/** Award names endstats.lua writes (Slomix's KNOWN_AWARDS); others are read by shape. */
export const KNOWN_AWARDS: ReadonlySet<string> = new Set([
  "Most damage given",
  "Most damage received",
  "Most team damage given",
  "Most team damage received",
  "Most teamkills",
  "Most selfkills",
  "Most deaths",
  "Most kills per minute",
  "Quickest multikill w/ light weapons",
  "Farthest riflenade kill",
  "Most light weapon kills",
  "Most pistol kills",
  "Most rifle kills",
  "Most riflenade kills",
  "Most sniper kills",
  "Most knife kills",
  "Most air support kills",
  "Most mine kills",
  "Most grenade kills",
  "Most panzer kills",
  "Most mortar kills",
  "Most panzer deaths",
  "Mortarmagnet",
  "Most multikills",
  "Most MG42 kills",
  "Most MG42 deaths",
  "Most revives",
  "Most revived",
  "Best K/D ratio",
  "Most dynamites planted",
  "Most dynamites defused",
  "Most doublekills",
  "Longest killing spree",
  "Longest death spree",
  "Most objectives stolen",
  "Most objectives returned",
  "Most corpse gibs",
  "Most kill assists",
  "Most killsteals",
  "Most headshot kills",
  "Most damage per minute",
  "Tank/Meatshield (Refuses to die)",
  "Most useful kills (>Half respawn time left)",
  "Full respawn king",
  "Least time dead (What spawn?)",
  "Most playtime denied",
  "Most useless kills",
  "Highest light weapons accuracy",
  "Highest headshot accuracy",
  "Most headshots",
  "Most bullets fired",
]); // deno-fmt-ignore

const NAME = /^(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})-([A-Za-z0-9_-]{1,50})-round-(\d{1,2})-endstats\.txt$/;
const INT = /^-?\d+$/;
const VALUE = /^(-?\d+(?:\.\d+)?)\s*(.*)$/;

/** True when the name is an endstats file's. */
export function isEndstatsName(name: string): boolean {
  return NAME.test(name);
}

/** Reads an award's value: the leading number and what follows it. */
export function parseAwardValue(text: string): { value: number | null; unit: string | null } {
  const m = VALUE.exec(text.trim());
  if (!m) return { value: null, unit: null };
  return { value: Number(m[1]), unit: m[2] ? m[2] : null };
}

/** Parses decoded endstats text; throws with a one-line reason when it cannot be stored. */
export function parseEndstatsText(text: string, fileName: string): EtlEndstats {
  const m = NAME.exec(fileName);
  if (!m) {
    throw new Error(`"${fileName}" is not named <YYYY-MM-DD-HHMMSS>-<map>-round-<N>-endstats.txt`);
  }
  const [, y, mo, d, h, mi, s, map, r] = m as unknown as string[];
  if (r !== "1" && r !== "2") throw new Error(`round ${r} in the name; stopwatch has 1 and 2`);
  const wallMs = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
  if (!Number.isFinite(wallMs) || +mo! > 12 || +d! > 31 || +h! > 23 || +mi! > 59 || +s! > 59) {
    throw new Error(`"${fileName}" has no real date in its name`);
  }
  const awards: EtlAward[] = [], vs: EtlVsRow[] = [], warnings: string[] = [];
  let owner: string | null = null;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (line.trim() === "") {
      owner = null;
      continue;
    }
    const parts = line.split("\t").map((p) => p.trim());
    if (parts.length === 1) {
      // A name alone heads the VS block that follows.
      owner = stripColors(parts[0]!);
      continue;
    }
    const [first, second = "", third = ""] = parts;
    if (parts.length >= 3 && (KNOWN_AWARDS.has(first!) || !INT.test(second) || !INT.test(third))) {
      if (!second) {
        warnings.push(`line ${i + 1} dropped: award "${first}" names no player`);
        continue;
      }
      awards.push({ award: first!, name: stripColors(second), text: third, ...parseAwardValue(third) });
    } else if (parts.length >= 3) {
      vs.push({ of: owner, name: stripColors(first!), kills: Number(second), deaths: Number(third) });
    } else {
      warnings.push(`line ${i + 1} dropped: ${parts.length} TAB fields, expected 3`);
    }
  }
  if (awards.length === 0 && vs.length === 0) {
    throw new Error(
      warnings.length ? `no award or VS line (${warnings[0]})` : "no award or VS line: nothing to store",
    );
  }
  return {
    fileName,
    map: map!,
    round: +r! as 1 | 2,
    stamp: `${y}-${mo}-${d}-${h}${mi}${s}`,
    wallMs,
    awards,
    vs,
    warnings,
  };
}
