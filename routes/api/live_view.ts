/** The public shape of a server's live state (`GET /api/live/:server`, the live page). */
import { acTrackName, type LiveCar, type LiveState } from "@/games/ac/live.ts";
import type { AcNames } from "@/games/ac/names.ts";
import type { SessionKind } from "@/games/racing/types.ts";

/** What `GET /api/live/:server` answers. */
export interface LiveView {
  server: string;
  session: {
    kind: SessionKind;
    track: string;
    layout: string;
    trackName: string;
    name: string;
    startedAt: string;
    endedAt: string | null;
  } | null;
  cars: (LiveCar & { carName: string })[];
  updatedAt: string | null;
}

/** Cars in timing order: best lap first, then those without one by laps, then by car id. */
function byTiming(a: LiveCar, b: LiveCar): number {
  if (a.bestLapMs !== null && b.bestLapMs !== null) return a.bestLapMs - b.bestLapMs;
  if (a.bestLapMs !== null || b.bestLapMs !== null) return a.bestLapMs !== null ? -1 : 1;
  return b.laps - a.laps || a.carId - b.carId;
}

/** The view of a server's state; display names from `names` (issue 19's AC content names) when given. */
export function liveView(server: string, state: LiveState, names?: AcNames): LiveView {
  const s = state.session;
  return {
    server,
    session: s
      ? {
        kind: s.kind,
        track: s.track,
        layout: s.layout,
        trackName: names ? names.track(s.track, s.layout).name : acTrackName(s.track, s.layout),
        name: s.name,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
      }
      : null,
    cars: state.cars
      .filter((c) => c.connected || c.laps > 0)
      .map(({ carId, driver, guid, model, connected, laps, bestLapMs, lastLapMs, lastCuts }) => ({
        carId,
        driver,
        guid,
        model,
        carName: model ? names?.car(model).name ?? model : "",
        connected,
        laps,
        bestLapMs,
        lastLapMs,
        lastCuts,
      }))
      .sort(byTiming),
    updatedAt: state.updatedAt,
  };
}
