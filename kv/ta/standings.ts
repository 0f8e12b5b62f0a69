/**
 * Season standings from event leaderboards. Pure: boards in, standings out.
 *
 * - Points per event: `{"rule": "ratio"}` gives `round(101 x winner_lap / driver_lap, 2)` (the
 *   winner 101.00); `{"table": [...]}` gives the table's value at the driver's position (0 past
 *   its end). Only events with `counts` (not preseason/postseason) score.
 * - A driver's total is the sum of their best `counted` event scores, where `counted` is the
 *   number of scoring events in the schedule minus `dropWeeks` (at least 1); the others are
 *   dropped (shown, not added).
 * - Tie-break on equal totals: the lower mean gap to each event's winner, in percent of the
 *   winner's lap, over the scoring events both drivers set a lap in; then more event wins; then
 *   the driver id, so the order is stable.
 */
import type { TaSeasonConfig } from "@/config.ts";
import type { DriverRef } from "@/games/racing/types.ts";
import type { EventBoard } from "@/kv/ta/boards.ts";

/** A driver's line in the standings. */
export interface StandingsLine {
  rank: number;
  driver: DriverRef;
  /** Sum of the counted event scores, rounded to 2 decimals. */
  points: number;
  /** Points by event key, counted and dropped alike. */
  events: Record<string, number>;
  /** Keys of the event scores left out of the total. */
  dropped: string[];
  wins: number;
  /** Gap to each event's winner in percent, by event key (for the tie-break). */
  gapsPct: Record<string, number>;
}

/** The season's standings. */
export interface Standings {
  season: number;
  /** How many event scores count per driver. */
  counted: number;
  /** Keys of the scoring events, in schedule order. */
  eventKeys: string[];
  entries: StandingsLine[];
}

/** Rounds to 2 decimals, half up (a score such as 99.995 shows as 100). */
export function round2(x: number): number {
  return Math.round((x + Number.EPSILON) * 100) / 100;
}

/** Points for a lap at `position` (1-based) with `lapMs` against the winner's `winnerMs`. */
export function eventPoints(
  points: TaSeasonConfig["points"],
  position: number,
  lapMs: number,
  winnerMs: number,
): number {
  if ("table" in points) return points.table[position - 1] ?? 0;
  return round2(101 * winnerMs / lapMs);
}

/** Compares two lines with equal totals: negative when `a` ranks ahead (see the module doc). */
export function tieBreak(a: StandingsLine, b: StandingsLine): number {
  const shared = Object.keys(a.gapsPct).filter((k) => k in b.gapsPct);
  if (shared.length > 0) {
    const mean = (l: StandingsLine) => shared.reduce((s, k) => s + l.gapsPct[k]!, 0) / shared.length;
    const d = mean(a) - mean(b);
    if (Math.abs(d) > 1e-9) return d;
  }
  if (a.wins !== b.wins) return b.wins - a.wins;
  return 0;
}

/** Standings of a season from its event boards (boards of non-scoring events are ignored). */
export function computeStandings(season: TaSeasonConfig, boards: EventBoard[]): Standings {
  const scoring = boards.filter((b) => b.event.counts).sort((a, b) => a.event.index - b.event.index);
  const scoringInSchedule = season.events.filter((e) => e.counts).length;
  const counted = Math.max(1, scoringInSchedule - season.dropWeeks);
  const lines = new Map<string, StandingsLine>();
  for (const { event, entries } of scoring) {
    const winner = entries[0];
    if (!winner) continue;
    for (const e of entries) {
      let line = lines.get(e.driver.id);
      if (!line) {
        line = { rank: 0, driver: e.driver, points: 0, events: {}, dropped: [], wins: 0, gapsPct: {} };
        lines.set(e.driver.id, line);
      }
      line.events[event.key] = eventPoints(season.points, e.rank, e.lapMs, winner.lapMs);
      line.gapsPct[event.key] = (e.lapMs - winner.lapMs) / winner.lapMs * 100;
      if (e.rank === 1) line.wins++;
    }
  }
  const order = new Map(scoring.map((b, i) => [b.event.key, i]));
  for (const line of lines.values()) {
    // Best scores first; on equal scores the earlier event is kept.
    const keys = Object.keys(line.events).sort((x, y) =>
      line.events[y]! - line.events[x]! || order.get(x)! - order.get(y)!
    );
    line.points = round2(keys.slice(0, counted).reduce((s, k) => s + line.events[k]!, 0));
    line.dropped = keys.slice(counted).sort((x, y) => order.get(x)! - order.get(y)!);
  }
  const sorted = [...lines.values()].sort((a, b) =>
    b.points - a.points || tieBreak(a, b) || (a.driver.id < b.driver.id ? -1 : 1)
  );
  sorted.forEach((l, i) => {
    const prev = sorted[i - 1];
    l.rank = prev && prev.points === l.points && tieBreak(prev, l) === 0 ? prev.rank : i + 1;
  });
  return {
    season: season.season,
    counted,
    eventKeys: scoring.map((b) => b.event.key),
    entries: sorted,
  };
}
