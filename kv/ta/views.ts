/**
 * The time-attack answers as the JSON API gives them (README "Time attack", kept stable), built
 * from the config and the stored laps. The API, the Discord commands and the site all read these.
 */
import type { TaSeasonConfig, TimeAttackConfig } from "@/config.ts";
import type { DriverRef } from "@/games/racing/types.ts";
import { formatLap } from "@/lib/laptime.ts";
import { eventBoard, seasonBoards } from "@/kv/ta/boards.ts";
import { seasonEvents, type TaEvent } from "@/kv/ta/schedule.ts";
import { computeStandings, type Standings } from "@/kv/ta/standings.ts";

/** An event as the API shows it: start and end as ISO instants (end null while open-ended). */
export interface EventView {
  key: string;
  name: string;
  track: string;
  layout: string;
  cars: string[];
  start: string;
  end: string | null;
  counts: boolean;
}

/** `GET /api/ta/seasons/:season`. */
export interface SeasonView {
  season: number;
  timeZone: string;
  events: EventView[];
}

/** One line of an event's leaderboard. */
export interface EventEntryView {
  rank: number;
  driver: DriverRef;
  lapMs: number;
  /** The lap as people read it: "1:35.228". */
  lap: string;
  car: string;
  setAt: string;
}

/** `GET /api/ta/seasons/:season/events/:key`. */
export interface EventBoardView {
  season: number;
  key: string;
  track: string;
  layout: string;
  cars: string[];
  start: string;
  end: string | null;
  entries: EventEntryView[];
}

/** `GET /api/ta/seasons/:season/standings`. */
export interface StandingsView {
  season: number;
  counted: number;
  entries: { rank: number; driver: DriverRef; points: number; events: Record<string, number> }[];
}

const isoOrNull = (ms: number | null) => ms === null ? null : new Date(ms).toISOString();

/** An event's public fields. */
export function eventView(e: TaEvent): EventView {
  return {
    key: e.key,
    name: e.name,
    track: e.track,
    layout: e.layout,
    cars: e.cars,
    start: new Date(e.startMs).toISOString(),
    end: isoOrNull(e.endMs),
    counts: e.counts,
  };
}

/** A season's schedule. */
export function seasonView(season: TaSeasonConfig): SeasonView {
  return { season: season.season, timeZone: season.timeZone, events: seasonEvents(season).map(eventView) };
}

/** An event's leaderboard (null when the season has no such event); `limit` cuts the entries. */
export async function eventBoardView(
  kv: Deno.Kv,
  ta: TimeAttackConfig,
  season: TaSeasonConfig,
  key: string,
): Promise<EventBoardView | null> {
  const board = await eventBoard(kv, ta, season, key);
  if (!board) return null;
  const { event } = board;
  return {
    season: season.season,
    key: event.key,
    track: event.track,
    layout: event.layout,
    cars: event.cars,
    start: new Date(event.startMs).toISOString(),
    end: isoOrNull(event.endMs),
    entries: board.entries.map((e) => ({
      rank: e.rank,
      driver: e.driver,
      lapMs: e.lapMs,
      lap: formatLap(e.lapMs),
      car: e.car,
      setAt: new Date(e.setAtMs).toISOString(),
    })),
  };
}

/** A season's standings, with the detail (drops, wins, gaps) the API leaves out. */
export async function seasonStandings(
  kv: Deno.Kv,
  ta: TimeAttackConfig,
  season: TaSeasonConfig,
): Promise<Standings> {
  return computeStandings(season, await seasonBoards(kv, ta, season));
}

/** The API's shape of standings. */
export function standingsView(st: Standings): StandingsView {
  return {
    season: st.season,
    counted: st.counted,
    entries: st.entries.map((e) => ({ rank: e.rank, driver: e.driver, points: e.points, events: e.events })),
  };
}
