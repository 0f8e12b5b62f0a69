/** Small normalized sessions built in code, for tests of the storage rules. */
import type { CarResult, Lap, NormalizedSession, SessionKind } from "@/games/racing/types.ts";

/** A driver's laps in one car: [lapMs, valid?][] */
export interface FixtureCar {
  driver: string;
  name?: string;
  model?: string;
  cls?: string;
  laps: number[];
  invalid?: number[];
  dsq?: boolean;
}

/** A session on `track` with one car per entry; laps are interleaved in the given order per car. */
export function session(
  opts: { track?: string; kind?: SessionKind; at: string; cars: FixtureCar[]; game?: "acc" | "ac" },
): NormalizedSession {
  const kind = opts.kind ?? "Q";
  const cars: CarResult[] = opts.cars.map((c, i) => {
    const valid = c.laps.filter((_, j) => !(c.invalid ?? []).includes(j));
    return {
      position: i + 1,
      carId: 1001 + i,
      car: { model: c.model ?? "30", name: c.model ?? "BMW M4 GT3", class: c.cls ?? "GT3" },
      drivers: [{ id: c.driver, name: c.name ?? `Driver ${c.driver}` }],
      bestLapMs: valid.length ? Math.min(...valid) : null,
      bestSplitsMs: null,
      totalTimeMs: null,
      lapCount: c.laps.length,
      penalties: [],
      disqualified: c.dsq ?? false,
    };
  });
  const laps: Lap[] = [];
  const maxLaps = Math.max(...opts.cars.map((c) => c.laps.length));
  for (let j = 0; j < maxLaps; j++) {
    opts.cars.forEach((c, i) => {
      const ms = c.laps[j];
      if (ms === undefined) return;
      const valid = !(c.invalid ?? []).includes(j);
      const third = Math.floor(ms / 3);
      laps.push({
        car: i,
        driver: 0,
        lapMs: ms,
        splitsMs: [third, third, ms - 2 * third],
        valid,
        countsForBest: valid && !c.dsq,
      });
    });
  }
  return {
    game: opts.game ?? "acc",
    track: opts.track ?? "monza",
    trackRaw: opts.track ?? "monza",
    trackName: "Monza",
    kind,
    sessionType: kind,
    finishedAt: new Date(opts.at),
    timeSource: "file-name",
    wet: false,
    cars,
    laps,
  };
}
