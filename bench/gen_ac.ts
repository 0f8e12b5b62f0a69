/**
 * A deterministic generator of Assetto Corsa (acServer / Server Manager) result files, for the
 * demo and benchmarks: race weekends (QUALIFY then RACE) on Kunos tracks with one entry list,
 * a fixed pool of drivers with their own pace, cut laps, retirements, Server Manager's post-race
 * time penalties and the odd disqualification. Same seed and options, same bytes.
 */

/** Options of {@link generateAcFiles}. */
export interface AcGenOptions {
  seed: number;
  /** Driver pool size; driver `i` always has the same name and GUID. */
  drivers: number;
  /** How many tracks (1..6). */
  tracks: number;
  /** Cars per weekend, inclusive range (default [8, 16]). */
  carsPerSession?: [number, number];
  /** First session's start (default 2024-01-06T19:00:00Z); weekends follow a week apart. */
  start?: Date;
}

/** One generated file. */
export interface GeneratedAcFile {
  /** `YYYY_M_D_H_M_TYPE.json` in UTC, as acServer names it. */
  name: string;
  bytes: Uint8Array;
  laps: number;
  cars: number;
}

/** The generator's tracks, in the order weekends use them. */
export const AC_TRACKS: readonly { name: string; config: string; baseMs: number }[] = [
  { name: "ks_vallelunga", config: "club_circuit", baseMs: 82_500 },
  { name: "ks_brands_hatch", config: "indy", baseMs: 58_900 },
  { name: "ks_red_bull_ring", config: "layout_national", baseMs: 71_300 },
  { name: "magione", config: "", baseMs: 74_800 },
  { name: "ks_silverstone", config: "national", baseMs: 66_200 },
  { name: "ks_laguna_seca", config: "", baseMs: 97_400 },
];
/** The generator's car models (one per weekend). */
export const AC_CARS: readonly string[] = ["ks_mazda_mx5_cup", "ks_toyota_gt86", "abarth500"];
const FIRST = [
  "Marco",
  "Sofia",
  "Jonas",
  "Aiko",
  "Luis",
  "Hannah",
  "Pieter",
  "Chloe",
  "Mateo",
  "Ingrid",
  "Tom",
  "Zara",
];
const LAST = [
  "Rossi",
  "Lindqvist",
  "Okafor",
  "Tanaka",
  "Moreau",
  "Novak",
  "Brennan",
  "Alvarez",
  "Kowalski",
  "Haddad",
];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function driver(i: number) {
  const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
  const guid = `7656119${String(8_000_000_000 + i * 7919).padStart(10, "0")}`;
  // Pace above the base time, 0.3 % to 5 %, fixed per driver; lap-to-lap noise 0.2-0.8 %.
  const pace = 0.003 + 0.047 * ((i * 0.618034) % 1) ** 2;
  const noise = 0.002 + 0.006 * ((i * 0.414214) % 1);
  return { name, guid, pace, noise };
}

function fileName(at: Date, type: string): string {
  return `${at.getUTCFullYear()}_${
    at.getUTCMonth() + 1
  }_${at.getUTCDate()}_${at.getUTCHours()}_${at.getUTCMinutes()}_${type}.json`;
}

/** Yields `weekends` × 2 files (QUALIFY, RACE), oldest first. */
export function* generateAcFiles(weekends: number, opts: AcGenOptions): Generator<GeneratedAcFile> {
  const rng = mulberry32(opts.seed);
  const gauss = () => (rng() + rng() + rng() - 1.5) * 2;
  const [lo, hi] = opts.carsPerSession ?? [8, 16];
  let clock = (opts.start ?? new Date(Date.UTC(2024, 0, 6, 19, 0, 0))).getTime();
  for (let w = 0; w < weekends; w++) {
    const track = AC_TRACKS[w % Math.min(AC_TRACKS.length, Math.max(1, opts.tracks))]!;
    const model = AC_CARS[Math.floor(rng() * AC_CARS.length)]!;
    const n = Math.min(opts.drivers, lo + Math.floor(rng() * (hi - lo + 1)));
    const pool = new Set<number>();
    while (pool.size < n) pool.add(Math.floor(rng() * opts.drivers));
    const entrants = [...pool].map((i, carId) => ({ carId, ...driver(i) }));
    const lapOf = (e: (typeof entrants)[number], slow: number) => {
      const ms = Math.round(track.baseMs * (1 + e.pace) * (1 + e.noise * gauss()) * slow);
      const cuts = rng() < 0.1 ? 1 + Math.floor(rng() * 3) : 0;
      const s1 = Math.round(ms * (0.31 + 0.01 * gauss()));
      const s2 = Math.round(ms * (0.36 + 0.01 * gauss()));
      return { ms, cuts, sectors: [s1, s2, ms - s1 - s2] };
    };
    for (const type of ["QUALIFY", "RACE"] as const) {
      const race = type === "RACE";
      const raceLaps = 10 + Math.floor(rng() * 8);
      const laps: Record<string, unknown>[] = [];
      const rows = entrants.map((e) => {
        const count = race
          ? (rng() < 0.06 ? 1 + Math.floor(rng() * (raceLaps - 1)) : raceLaps)
          : 4 + Math.floor(rng() * 8);
        let total = 0, best = 999999999, t = 0;
        for (let j = 0; j < count; j++) {
          const lap = lapOf(e, race && j === 0 ? 1.06 : !race && j === 0 ? 1.2 : rng() < 0.04 ? 1.08 : 1);
          const cuts = !race && j === 0 ? 0 : lap.cuts;
          total += lap.ms;
          t += lap.ms;
          if (cuts === 0 && !(!race && j === 0) && lap.ms < best) best = lap.ms;
          laps.push({
            DriverName: e.name,
            DriverGuid: e.guid,
            CarId: e.carId,
            CarModel: model,
            Timestamp: t,
            LapTime: lap.ms,
            Sectors: lap.sectors,
            Cuts: cuts,
            BallastKG: 0,
            Tyre: "SM",
            Restrictor: 0,
          });
        }
        const penalty = race && rng() < 0.12 ? [5, 10, 30][Math.floor(rng() * 3)]! : 0;
        const dsq = race && rng() < 0.03;
        return { e, count, total: total + penalty * 1000, best, penalty, dsq };
      });
      laps.sort((a, b) => (a.Timestamp as number) - (b.Timestamp as number));
      rows.sort((a, b) =>
        Number(a.dsq) - Number(b.dsq) ||
        (race ? b.count - a.count || a.total - b.total : a.best - b.best)
      );
      const body = {
        TrackName: track.name,
        TrackConfig: track.config,
        Type: type,
        DurationSecs: race ? 0 : 900,
        RaceLaps: race ? raceLaps : 0,
        Cars: entrants.map((e) => ({
          CarId: e.carId,
          Driver: { Name: e.name, Team: "", Nation: "", Guid: e.guid, GuidsList: [e.guid] },
          Model: model,
          Skin: "default",
          BallastKG: 0,
          Restrictor: 0,
        })),
        Result: rows.map((r) => ({
          DriverName: r.e.name,
          DriverGuid: r.e.guid,
          CarId: r.e.carId,
          CarModel: model,
          BestLap: r.best,
          TotalTime: race ? r.total : 0,
          BallastKG: 0,
          Restrictor: 0,
          HasPenalty: r.penalty > 0,
          PenaltyTime: r.penalty * 1e9,
          LapPenalty: 0,
          Disqualified: r.dsq,
        })),
        Laps: laps,
        Events: [],
      };
      clock += (race ? 30 : 20) * 60_000;
      yield {
        name: fileName(new Date(clock), type),
        bytes: new TextEncoder().encode(JSON.stringify(body, null, "\t")),
        laps: laps.length,
        cars: rows.length,
      };
    }
    clock += 7 * 86_400_000 - 50 * 60_000 + Math.floor(rng() * 4) * 3_600_000;
  }
}
