/**
 * The time-attack answers as the JSON API gives them (docs/time_attack.md, kept stable), built
 * from the config and the stored laps. The API, the Discord commands and the site all read these.
 */
import type { TaSeasonConfig, TimeAttackConfig } from "@/config.ts";
import type { DriverRef } from "@/games/racing/types.ts";
import type { AcNames } from "@/games/ac/names.ts";
import { formatLap } from "@/lib/laptime.ts";
import { eventBoard, seasonBoards } from "@/kv/ta/boards.ts";
import { seasonEvents, type TaEvent } from "@/kv/ta/schedule.ts";
import { computeStandings, type Standings } from "@/kv/ta/standings.ts";

/** A car: its folder name beside its display name and maker. */
export interface CarView {
  id: string;
  name: string;
  brand: string | null;
}

/** Where an event runs, as people know it (the folder names stay in `track`, `layout`, `cars`). */
export interface EventNames {
  /** The track layout's display name: "Red Bull Ring National". */
  trackName: string;
  country: string | null;
  /** The country's flag emoji, "" when unknown. */
  flag: string;
  carNames: CarView[];
}

/**
 * An event as the API shows it: start and end as ISO instants (end null while open-ended);
 * `listed` false for an event left out of the schedule (its leaderboard stays), `week` its number
 * among the listed ones.
 */
export interface EventView extends EventNames {
  key: string;
  name: string;
  track: string;
  layout: string;
  cars: string[];
  start: string;
  end: string | null;
  counts: boolean;
  listed: boolean;
  week: number | null;
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
  carName: string;
  setAt: string;
}

/** `GET /api/ta/seasons/:season/events/:key`. */
export interface EventBoardView extends EventNames {
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

/** An event's track and cars by their display names. */
export function eventNames(e: { track: string; layout: string; cars: string[] }, names: AcNames): EventNames {
  const t = names.track(e.track, e.layout);
  return {
    trackName: t.name,
    country: t.country ?? null,
    flag: t.flag,
    carNames: e.cars.map((id) => {
      const c = names.car(id);
      return { id, name: c.name, brand: c.brand ?? null };
    }),
  };
}

/** An event's public fields. */
export function eventView(e: TaEvent, names: AcNames): EventView {
  return {
    key: e.key,
    name: e.name,
    track: e.track,
    layout: e.layout,
    cars: e.cars,
    ...eventNames(e, names),
    start: new Date(e.startMs).toISOString(),
    end: isoOrNull(e.endMs),
    counts: e.counts,
    listed: e.listed,
    week: e.week,
  };
}

/** A season's schedule (every event, the unlisted ones with `listed: false`). */
export function seasonView(season: TaSeasonConfig, names: AcNames): SeasonView {
  return {
    season: season.season,
    timeZone: season.timeZone,
    events: seasonEvents(season).map((e) => eventView(e, names)),
  };
}

/** An event's leaderboard (null when the season has no such event); `limit` cuts the entries. */
export async function eventBoardView(
  kv: Deno.Kv,
  ta: TimeAttackConfig,
  season: TaSeasonConfig,
  key: string,
  names: AcNames,
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
    ...eventNames(event, names),
    start: new Date(event.startMs).toISOString(),
    end: isoOrNull(event.endMs),
    entries: board.entries.map((e) => ({
      rank: e.rank,
      driver: e.driver,
      lapMs: e.lapMs,
      lap: formatLap(e.lapMs),
      car: e.car,
      carName: names.car(e.car).name,
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
