/**
 * Which lap a car's best lap was and who drove it. ACC's `timing.bestSplits` are the car's best
 * individual sectors (from different laps), not the sectors of its best lap; and a car may have
 * several drivers: the best lap belongs to `drivers[lap.driverIndex]`, not to the first name.
 */
import type { CarResult, DriverRef, Lap, NormalizedSession } from "@/games/racing/types.ts";

/**
 * The lap that set `car.bestLapMs` (the car at `index` of the session): the first lap of that
 * time that counts for best, else the first valid one, else the first of that time. Null when
 * the car has no best lap or the file has no lap list for it.
 */
export function bestLapOf(laps: readonly Lap[], index: number, car: CarResult): Lap | null {
  if (car.bestLapMs === null) return null;
  let valid: Lap | null = null, any: Lap | null = null;
  for (const lap of laps) {
    if (lap.car !== index || lap.lapMs !== car.bestLapMs) continue;
    if (lap.countsForBest) return lap;
    if (lap.valid && !valid) valid = lap;
    if (!any) any = lap;
  }
  return valid ?? any;
}

/**
 * Fills each car's `bestLapDriver` and `bestLapSplitsMs` from its lap list, in place; returns
 * the session. Called by every parser so stored classifications carry them.
 */
export function withBestLaps(session: NormalizedSession): NormalizedSession {
  session.cars.forEach((car, i) => {
    const lap = bestLapOf(session.laps, i, car);
    if (!lap) return;
    car.bestLapDriver = lap.driver;
    if (lap.splitsMs.length > 0) car.bestLapSplitsMs = lap.splitsMs;
  });
  return session;
}

/** Who drove the car's best lap: `drivers[bestLapDriver]`, the first driver when unknown. */
export function bestLapDriver(car: CarResult): DriverRef | undefined {
  return car.drivers[car.bestLapDriver ?? 0] ?? car.drivers[0];
}

/**
 * The session's fastest lap, from the classification: the car, who drove it, and its time.
 * Disqualified cars are left out. Null when nobody set a time.
 */
export function fastestOf(
  cars: readonly CarResult[],
): { car: CarResult; driver: DriverRef; lapMs: number } | null {
  let best: CarResult | null = null;
  for (const c of cars) {
    if (c.bestLapMs !== null && !c.disqualified && (!best || c.bestLapMs < best.bestLapMs!)) best = c;
  }
  const driver = best ? bestLapDriver(best) : undefined;
  return best && driver ? { car: best, driver, lapMs: best.bestLapMs! } : null;
}
