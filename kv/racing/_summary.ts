/** What one session says about each driver: laps, best sectors, best lap per class. */
import type { CarInfo, DriverRef, NormalizedSession } from "@/games/racing/types.ts";
import { ALL_CLASSES } from "@/kv/racing/keys.ts";

/** A driver's best lap of the session in one class (\"all\" included). */
export interface Candidate {
  driver: DriverRef;
  cls: string;
  lapMs: number;
  seq: number;
  car: CarInfo;
  splitsMs: number[];
}

/** One driver's share of the session. */
export interface DriverAcc {
  ref: DriverRef;
  laps: number;
  validLaps: number;
  sectors: (number | null)[];
  best: Map<string, Candidate>;
}

function offer(acc: DriverAcc, cls: string, lapMs: number, make: (cls: string) => Candidate): void {
  const old = acc.best.get(cls);
  if (!old || lapMs < old.lapMs) acc.best.set(cls, make(cls));
}

/** Per driver: laps, best sectors and best lap per class ("all" included) from one session. */
export function summarize(s: NormalizedSession): Map<string, DriverAcc> {
  const drivers = new Map<string, DriverAcc>();
  const accFor = (d: DriverRef) => {
    let a = drivers.get(d.id);
    if (!a) drivers.set(d.id, a = { ref: d, laps: 0, validLaps: 0, sectors: [], best: new Map() });
    return a;
  };
  for (const car of s.cars) for (const d of car.drivers) accFor(d);
  const lapsPerCar = new Array<number>(s.cars.length).fill(0);
  s.laps.forEach((lap, seq) => {
    const car = s.cars[lap.car];
    const d = car?.drivers[lap.driver];
    if (!car || !d) return;
    lapsPerCar[lap.car]!++;
    const a = accFor(d);
    a.laps++;
    if (lap.valid) a.validLaps++;
    if (!lap.countsForBest) return;
    for (let i = 0; i < lap.splitsMs.length; i++) {
      const ms = lap.splitsMs[i]!, cur = a.sectors[i];
      if (ms > 0 && (cur === undefined || cur === null || ms < cur)) a.sectors[i] = ms;
    }
    const make = (cls: string) => ({
      driver: d,
      cls,
      lapMs: lap.lapMs,
      seq,
      car: car.car,
      splitsMs: lap.splitsMs,
    });
    offer(a, ALL_CLASSES, lap.lapMs, make);
    offer(a, car.car.class, lap.lapMs, make);
  });
  // A car with a best lap but no lap list (truncated files): credit its first driver.
  s.cars.forEach((car, i) => {
    const d = car.drivers[0];
    if (lapsPerCar[i] !== 0 || car.bestLapMs === null || car.disqualified || !d) return;
    const a = accFor(d);
    const lapMs = car.bestLapMs;
    const make = (cls: string) => ({
      driver: d,
      cls,
      lapMs,
      seq: s.laps.length + i,
      car: car.car,
      splitsMs: car.bestSplitsMs ?? [],
    });
    offer(a, ALL_CLASSES, lapMs, make);
    offer(a, car.car.class, lapMs, make);
  });
  return drivers;
}
