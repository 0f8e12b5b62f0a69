/**
 * A driver's sessions and results, for the driver page: every entrant has them, also one who never
 * set a valid lap (and so holds no personal best). Nothing is stored per driver and session: the
 * driver's track stats say which tracks and over which span they drove, and the track's session
 * index over that span (plus its undated sessions) gives the candidates, read newest first.
 */
import type { CarInfo, RacingGame, SessionKind } from "@/games/racing/types.ts";
import type { DriverTrackStats } from "@/kv/racing/drivers.ts";
import { trackSessionsPrefix } from "@/kv/racing/keys.ts";
import { dateKnown, getSession } from "@/kv/racing/sessions.ts";
import { kvReader } from "@/kv/reader.ts";

/** One of a driver's sessions, with their car's result as the file gives it. */
export interface DriverSessionLine {
  sessionId: string;
  game: RacingGame;
  track: string;
  trackName: string;
  kind: SessionKind;
  sessionType: string;
  finishedAt: string;
  /** False when the session is dated only by the file's modification time or the import. */
  dateKnown: boolean;
  /** The car's place in the file's classification, of `of` cars. */
  position: number;
  of: number;
  car: CarInfo;
  raceNumber?: number;
  /** The car's laps in the file (0: it never completed one). */
  laps: number;
  /** The car's best valid lap; null when it set none. */
  bestLapMs: number | null;
  disqualified: boolean;
  /** The name the driver had in that session. */
  name: string;
}

/** How many session headers one driver page reads at most. */
export const CANDIDATE_LIMIT = 120;

/**
 * The newest `limit` sessions of `driverIds` (a driver, or a person's drivers) on the tracks their
 * stats name, newest first (undated sessions last), reading at most {@link CANDIDATE_LIMIT}
 * sessions.
 */
export async function driverSessions(
  kv: Deno.Kv,
  driverIds: string[],
  tracks: DriverTrackStats[],
  limit = 20,
): Promise<{ sessions: DriverSessionLine[]; more: boolean }> {
  const ids = new Set(driverIds);
  // One span per game and track (kinds share the track's session index).
  const spans = new Map<string, { game: RacingGame; track: string; from: number; to: number }>();
  for (const t of tracks) {
    const k = `${t.game}\u0000${t.track}`;
    const s = spans.get(k) ?? { game: t.game, track: t.track, from: Infinity, to: -Infinity };
    s.from = Math.min(s.from, t.firstSessionAtMs);
    s.to = Math.max(s.to, t.lastSessionAtMs);
    spans.set(k, s);
  }
  const candidates: { at: number; id: string }[] = [];
  await Promise.all([...spans.values()].map(async (s) => {
    const prefix = trackSessionsPrefix(s.game, s.track);
    const dated = kv.list({ start: [...prefix, s.from], end: [...prefix, s.to + 1] }, {
      reverse: true,
      limit: CANDIDATE_LIMIT,
    });
    // Undated sessions are indexed at 0 (kv/racing/sessions.ts), whatever the stats' span says.
    const undated = kv.list({ start: [...prefix, 0], end: [...prefix, 1] }, { limit: CANDIDATE_LIMIT });
    for (const iter of [dated, undated]) {
      for await (const e of iter) candidates.push({ at: e.key[3] as number, id: e.key[4] as string });
    }
  }));
  candidates.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
  const out: DriverSessionLine[] = [];
  const r = kvReader(kv);
  let read = 0;
  for (let i = 0; i < candidates.length && read < CANDIDATE_LIMIT && out.length <= limit; i += 10) {
    const batch = candidates.slice(i, Math.min(i + 10, i + CANDIDATE_LIMIT - read));
    read += batch.length;
    const sessions = await Promise.all(batch.map((c) => getSession(r, c.id)));
    for (const s of sessions) {
      if (!s) continue;
      const car = s.cars.find((c) => c.drivers.some((d) => ids.has(d.id)));
      if (!car) continue;
      const kind = tracks.some((t) => t.game === s.game && t.track === s.track && t.kind === s.kind);
      if (!kind) continue;
      const line: DriverSessionLine = {
        sessionId: s.id,
        game: s.game,
        track: s.track,
        trackName: s.trackName,
        kind: s.kind,
        sessionType: s.sessionType,
        finishedAt: s.finishedAt,
        dateKnown: dateKnown(s.timeSource),
        position: car.position,
        of: s.cars.length,
        car: car.car,
        laps: car.lapCount,
        bestLapMs: car.bestLapMs,
        disqualified: car.disqualified,
        name: car.drivers.find((d) => ids.has(d.id))!.name,
      };
      if (car.raceNumber !== undefined) line.raceNumber = car.raceNumber;
      out.push(line);
    }
  }
  return { sessions: out.slice(0, limit), more: out.length > limit || read < candidates.length };
}
