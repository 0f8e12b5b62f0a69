/**
 * Finding time-attack events by what people type: the event's name or key, its track (display
 * name or folder) or one of its cars. Events come from the configuration, so this reads no key.
 */
import type { TimeAttackConfig } from "@/config.ts";
import type { AcNames } from "@/games/ac/names.ts";
import { matchScore } from "@/lib/text.ts";
import { seasonEvents } from "@/kv/ta/schedule.ts";
import { eventNames } from "@/kv/ta/views.ts";

/** An event found by a search. */
export interface TaEventHit {
  season: number;
  key: string;
  name: string;
  trackName: string;
  carNames: string[];
  startMs: number;
  /** The season's zone, for showing `startMs`. */
  timeZone: string;
  /** matchScore of the best-matching field (0 best). */
  score: number;
}

/** Events matching `query`, best first, then the newest. */
export function searchTaEvents(
  ta: TimeAttackConfig | undefined,
  names: AcNames,
  query: string,
  limit = 25,
): TaEventHit[] {
  const hits: TaEventHit[] = [];
  for (const season of ta?.seasons ?? []) {
    for (const e of seasonEvents(season)) {
      const n = eventNames(e, names);
      const carNames = n.carNames.map((c) => c.name);
      // A car or a track matches less well than the event itself: it lists the event, not names it.
      const scores = [
        matchScore(e.name, query),
        matchScore(e.key, query),
        ...[n.trackName, e.track, ...carNames].map((x) => {
          const s = matchScore(x, query);
          return s === null ? null : s + 1;
        }),
      ].filter((s): s is number => s !== null);
      if (scores.length === 0) continue;
      hits.push({
        season: season.season,
        key: e.key,
        name: e.name,
        trackName: n.trackName,
        carNames,
        startMs: e.startMs,
        timeZone: season.timeZone,
        score: Math.min(...scores),
      });
    }
  }
  return hits.sort((a, b) => a.score - b.score || b.startMs - a.startMs).slice(0, limit);
}
