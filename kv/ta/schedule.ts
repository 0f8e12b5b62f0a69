/**
 * A time-attack season's schedule as instants, and which event a lap belongs to. Pure: the
 * config goes in, instants come out; nothing here reads the store or the clock.
 *
 * Starts and ends are wall-clock times in the season's zone, turned into instants with
 * Temporal's "compatible" rule (as `lib/file_time.ts` does for file names): a time the
 * clocks skip (02:30 on a spring-forward night) starts when the clocks resume, an hour later on
 * the wall (03:30, the same instant); a time they repeat (01:30 on a fall-back night) is the
 * first of the two.
 */
import type { TaSeasonConfig, TimeAttackConfig } from "@/config.ts";

/** How long after an event ends a file on its track still belongs to it (the restart's last results). */
export const GRACE_MS = 30 * 60_000;

/** One event of a season, with its window as instants. */
export interface TaEvent {
  season: number;
  key: string;
  name: string;
  track: string;
  layout: string;
  cars: string[];
  /** First instant of the window. */
  startMs: number;
  /** First instant after the window (the next event's start or the event's own end); null when open. */
  endMs: number | null;
  counts: boolean;
  /** Shown in the schedule: the event's `listed`, else false when its key has a hideFromSchedule word. */
  listed: boolean;
  /** Its number among the listed events (1 for the first), null when not listed. */
  week: number | null;
  /** Position in the schedule (start order). */
  index: number;
}

/** The instant a season's wall-clock time names (see the module doc for DST). */
export function wallClockToMs(wall: string, timeZone: string): number {
  return Temporal.PlainDateTime.from(wall)
    .toZonedDateTime(timeZone, { disambiguation: "compatible" })
    .epochMilliseconds;
}

/** The events of a season in start order, each ending at its own end or the next start. */
export function seasonEvents(season: TaSeasonConfig): TaEvent[] {
  const starts = season.events.map((e) => wallClockToMs(e.start, season.timeZone));
  const hide = (season.hideFromSchedule ?? ["preseason"]).map((w) => w.toLowerCase());
  let week = 0;
  return season.events.map((e, i) => {
    const listed = e.listed ?? !hide.some((w) => e.key.toLowerCase().includes(w));
    const own = e.end === undefined ? null : wallClockToMs(e.end, season.timeZone);
    const next = starts[i + 1] ?? null;
    return {
      season: season.season,
      key: e.key,
      name: e.name ?? e.key,
      track: e.track,
      layout: e.layout,
      cars: e.cars,
      startMs: starts[i]!,
      endMs: own ?? next,
      counts: e.counts,
      listed,
      week: listed ? ++week : null,
      index: i,
    };
  });
}

/** A season's config by number, or null. */
export function findSeason(ta: TimeAttackConfig, season: number): TaSeasonConfig | null {
  return ta.seasons.find((s) => s.season === season) ?? null;
}

/** The season whose schedule covers `nowMs`, else the last one that has started, else the first. */
export function currentSeason(ta: TimeAttackConfig, nowMs: number): TaSeasonConfig {
  let best: TaSeasonConfig | null = null;
  let bestStart = -Infinity;
  for (const s of ta.seasons) {
    const first = seasonEvents(s)[0]!.startMs;
    if (first <= nowMs && first > bestStart) [best, bestStart] = [s, first];
  }
  return best ?? ta.seasons[0]!;
}

/** The event whose window contains `nowMs`, or null (before the season, after it, or in a gap). */
export function eventAt(events: TaEvent[], nowMs: number): TaEvent | null {
  return events.find((e) => e.startMs <= nowMs && (e.endMs === null || nowMs < e.endMs)) ?? null;
}

/** The track identity the racing core stores for AC: `track@layout`, or `track` without a layout. */
export function trackIdOf(e: { track: string; layout: string }): string {
  return (e.layout ? `${e.track}@${e.layout}` : e.track).toLowerCase();
}

/**
 * The events a session on `trackId` that finished at `atMs` can feed, in the order a lap is
 * offered to them: first the event that ended at most GRACE_MS before (on the same track and
 * layout: the restart wrote its last file after the switch), then the event whose window contains
 * the time (same track and layout). A lap goes to the first of them whose car list has its car.
 */
export function candidateEvents(events: TaEvent[], trackId: string, atMs: number): TaEvent[] {
  const id = trackId.toLowerCase();
  const out: TaEvent[] = [];
  for (const e of events) {
    if (e.endMs !== null && e.endMs <= atMs && atMs <= e.endMs + GRACE_MS && trackIdOf(e) === id) out.push(e);
  }
  const open = eventAt(events, atMs);
  if (open && trackIdOf(open) === id) out.push(open);
  return out;
}

/** True when `car` (an AC car folder name) is on the event's list; case is ignored, as on disk. */
export function allowsCar(e: TaEvent, car: string): boolean {
  const c = car.toLowerCase();
  return e.cars.some((x) => x.toLowerCase() === c);
}

/** The event a lap belongs to: of the session's candidates, the first that allows the car. */
export function eventForLap(candidates: TaEvent[], car: string): TaEvent | null {
  return candidates.find((e) => allowsCar(e, car)) ?? null;
}
