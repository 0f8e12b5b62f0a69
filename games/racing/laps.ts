/**
 * The lap plausibility rule, one for every racing game: a lap at or under the floor, or over the
 * ceiling, cannot have been driven (a game bug, a hand-edited file, an overflowed counter). It is
 * kept as driven but stored invalid with its reason, and never sets a record, a personal best or a
 * leaderboard entry. The file itself is still imported.
 */

/** The plausible range of a lap, in milliseconds: above `floorMs`, at most `ceilingMs`. */
export interface LapLimits {
  floorMs: number;
  ceilingMs: number;
}

/** 1 s and 1 h: no circuit is lapped in a second, and a lap over an hour is a stopped clock. */
export const DEFAULT_LAP_LIMITS: LapLimits = { floorMs: 1000, ceilingMs: 3_600_000 };

/** Why a lap time is implausible, or null when it is not. */
export function implausibleReason(lapMs: number, limits: LapLimits = DEFAULT_LAP_LIMITS): string | null {
  if (!Number.isFinite(lapMs)) return "lap time is not a finite number";
  if (lapMs <= limits.floorMs) return `lap time ${lapMs} ms is at or under the ${limits.floorMs} ms floor`;
  if (lapMs > limits.ceilingMs) return `lap time ${lapMs} ms is over the ${limits.ceilingMs} ms ceiling`;
  return null;
}

/** The part of a lap the rule reads and writes. */
export interface RuledLap {
  car: number;
  lapMs: number;
  valid: boolean;
  countsForBest: boolean;
  /** Set by the rule: why the lap is implausible. */
  implausible?: string;
}

/** The part of a car the rule corrects: its best lap as the file states it. */
export interface RuledCar {
  bestLapMs: number | null;
}

/**
 * Applies the rule to a parsed session in place: implausible laps become invalid with their
 * reason and never count for a best; a car's stated best lap outside the range (or missing while
 * the car had a ruled-out lap) is its best valid plausible lap (or none). Returns how many laps
 * were ruled out.
 */
export function applyLapRule(
  session: { cars: RuledCar[]; laps: RuledLap[] },
  limits: LapLimits = DEFAULT_LAP_LIMITS,
): number {
  let ruledOut = 0;
  const bestOf = new Map<number, number>();
  const touched = new Set<number>();
  for (const lap of session.laps) {
    const reason = implausibleReason(lap.lapMs, limits);
    if (reason) {
      lap.valid = false;
      lap.countsForBest = false;
      lap.implausible = reason;
      touched.add(lap.car);
      ruledOut++;
    } else if (lap.valid) {
      const b = bestOf.get(lap.car);
      if (b === undefined || lap.lapMs < b) bestOf.set(lap.car, lap.lapMs);
    }
  }
  // The stated best is replaced when it is implausible, or missing because the game took an
  // impossible lap for its best (ACC writes a negative best as no time at all).
  session.cars.forEach((car, i) => {
    const stated = car.bestLapMs;
    if (stated === null ? touched.has(i) : implausibleReason(stated, limits) !== null) {
      car.bestLapMs = bestOf.get(i) ?? null;
    }
  });
  return ruledOut;
}
