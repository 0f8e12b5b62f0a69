/**
 * A deterministic generator of synthetic ACC dedicated-server result files, for benchmarks.
 *
 * The files have the exact shape of real 2022+ server files (docs/racing-formats.md B1–B9):
 * UTF-16LE without a BOM, LF line endings, 4-space indentation, the top-level `"sessionType"`
 * written twice (first, and again after `"serverName"`), keys in the server's order,
 * `driverTotalTimes` as floats (`1915113.0`), the INT32_MAX / UINT32_MAX sentinels and names
 * such as `240101_182512_Q.json`.
 *
 * The content is plausible rather than random: sessions come in race weekends (FP → Q → R,
 * Q1/Q2/R1/R2, …) on one track with one entry list; each track has a base lap time and split
 * shape; each driver has a fixed skill and consistency, so the same driver is always fast or
 * slow; lap times are quantised to ACC's 2.5 ms steps, which makes `laptime - sum(splits)`
 * 0 or 1 ms as in real files. Everything comes from one seeded PRNG (mulberry32): the same
 * seed and options give identical bytes.
 */

/** Options of {@link generateAccFiles}. */
export interface GenOptions {
  /** Deterministic: the same seed and options give identical bytes. */
  seed: number;
  /**
   * Size of the driver pool (e.g. 20_000). Driver `i` always has the same name, skill and
   * playerId (`"S7656119"` + 10 digits derived from `i`), whatever the seed.
   */
  drivers: number;
  /**
   * How many distinct tracks (1..30): the 25 real current ACC ids first (`barcelona` …
   * `zolder`), then made-up ids `bench_track_26`, `bench_track_27`, ….
   */
  tracks: number;
  /** Cars on the entry list of a session, inclusive range; default [8, 30]. */
  carsPerSession?: [min: number, max: number];
  /**
   * Laps per car, inclusive range; default [3, 25]. In FP and Q each car that drives draws its
   * own count (about 10 % of cars do not drive at all); in R the range gives the race length
   * and cars that are lapped or retire do fewer.
   */
  lapsPerCar?: [min: number, max: number];
  /** Start of the first session (default 2024-01-01T18:00:00Z); sessions advance in time. */
  start?: Date;
  /**
   * Time between race weekends in ms (default 5 to 90 minutes, a busy server); a league's
   * season passes a week (the demo). The random draw is made either way, so files are the same.
   */
  weekendGapMs?: number;
}

/** One generated result file. */
export interface GeneratedFile {
  /** `YYMMDD_HHMMSS_<type>.json`, the session's end time in UTC (unique and increasing). */
  name: string;
  /** The file's bytes: UTF-16LE, no BOM. */
  bytes: Uint8Array;
  /** Number of entries in `laps[]`. */
  laps: number;
  /** Number of entries in `sessionResult.leaderBoardLines`. */
  cars: number;
}

const NO_TIME = 2147483647;
const NO_SPLIT_ID = 4294967295;

/** The 25 current ACC track ids (docs B9) with an approximate GT3 lap time in seconds. */
const REAL_TRACKS: readonly (readonly [string, number])[] = [
  ["barcelona", 103.5],
  ["brands_hatch", 85],
  ["cota", 125.5],
  ["donington", 87.5],
  ["hungaroring", 103.5],
  ["imola", 100.5],
  ["indianapolis", 93.5],
  ["kyalami", 101],
  ["laguna_seca", 85],
  ["misano", 93],
  ["monza", 107.5],
  ["mount_panorama", 120],
  ["nurburgring", 113.5],
  ["nurburgring_24h", 140],
  ["oulton_park", 92.5],
  ["paul_ricard", 113.5],
  ["red_bull_ring", 89],
  ["silverstone", 118],
  ["snetterton", 106],
  ["spa", 137.5],
  ["suzuka", 119.5],
  ["valencia", 91.5],
  ["watkins_glen", 104.5],
  ["zandvoort", 95.5],
  ["zolder", 88.5],
];

/** GT3 `carModel` ids of the ACC 1.10 table (docs B8); 9, 18 and 26–29 are GTC/TCX. */
const GT3_MODELS = [
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  8,
  10,
  11,
  12,
  13,
  14,
  15,
  16,
  17,
  19,
  20,
  21,
  22,
  23,
  24,
  25,
  30,
  31,
  32,
  33,
  34,
  35,
  36,
];
/** Current GT3 models, chosen more often, as on real servers. */
const GT3_CURRENT = [20, 22, 23, 24, 25, 30, 31, 32, 33, 34, 35, 36];
const GT4_MODELS = [50, 51, 52, 53, 55, 56, 57, 58, 59, 60, 61];

const FIRST_NAMES = [
  "Alex",
  "Ben",
  "Carlos",
  "Daniel",
  "Emma",
  "Felix",
  "Giulia",
  "Hannah",
  "Ivan",
  "Jonas",
  "Kai",
  "Lena",
  "Marco",
  "Nina",
  "Oscar",
  "Paul",
  "Quentin",
  "Rosa",
  "Simon",
  "Tom",
  "Ugo",
  "Vera",
  "William",
  "Yuki",
  "Zoë",
  "José",
  "Søren",
  "François",
  "Łukasz",
  "Jürgen",
  "Seán",
  "*star*_driver",
  "Mike",
  "Sarah",
  "Patrick",
  "Chris",
  "Dirk",
  "Ralf",
  "Lucas",
  "Max",
];
const LAST_NAMES = [
  "Smith",
  "Müller",
  "O'Neil",
  "Rossi",
  "Dubois",
  "García",
  "Kowalski",
  "Jensen",
  "Novák",
  "Schmidt",
  "Bianchi",
  "Martin",
  "Nakamura",
  "Silva",
  "van der Berg",
  "D'Amico",
  "Fischer",
  "Johansson",
  "Pörtner",
  "Brown",
  "Taylor",
  "Wilson",
  "Lefèvre",
  "Nuñez",
  "Hughes",
  "_under_score_",
  "Weber",
  "Costa",
  "Meyer",
  "Clarke",
  "Stegemann",
  "~strike~",
  "Becker",
  "Hoffmann",
  "Moreau",
  "Ricci",
  "Kovač",
  "Şahin",
  'The "Rocket"',
  "Back\\slash",
  "Walker",
  "King",
  "Wright",
  "Green",
  "Baker",
  "Adams",
  "Nelson",
  "Hill",
  "Campbell",
  "Mitchell",
];
const NAME_TAGS = ["FSR", "YEET", "SRL", "ACR", "TRS", "GTX", "RBR", "LFM", "APX", "KRT", "VRS", "SIM"];
const TEAM_NAMES = [
  "Apex Racing",
  "Team Rookies",
  "Night Owls Motorsport",
  "Kurvenräuber",
  "Oversteer Bros.",
  "*Flying* Laps",
];
const SERVERS = [
  "Podium Bench League | GT3 Sprint | discord.gg/example",
  "Podium Bench #2 – Endurance Practice",
  "[EU] Open Lobby | Safety Rating 2+",
  "Läufer Liga | GT4 & GT3 Multiclass",
];

/** Race weekend shapes; weights give about FP 30 %, Q 35 %, R 35 % of files. */
const WEEKENDS: readonly (readonly [weight: number, sessions: readonly string[]])[] = [
  [4, ["FP", "Q", "R"]],
  [1.6, ["FP"]],
  [1.5, ["Q", "R"]],
  [0.5, ["Q1", "Q2", "R1", "R2"]],
];
const WEEKEND_WEIGHT = WEEKENDS.reduce((sum, [w]) => sum + w, 0);

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stateless hash of an integer to [0, 1), for per-driver and per-track constants. */
function hash01(n: number, salt: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 0x27d4eb2f, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** `(a * b) % m` without losing precision for a, b, m < 1e10. */
function mulMod(a: number, b: number, m: number): number {
  const hi = Math.floor(b / 100_000);
  const lo = b % 100_000;
  return (((a * hi) % m) * 100_000 + a * lo) % m;
}

interface Driver {
  firstName: string;
  lastName: string;
  shortName: string;
  playerId: string;
}

/** Pool driver `i`: the same name and id whatever the seed. */
function makeDriver(i: number): Driver {
  const nf = FIRST_NAMES.length;
  const nl = LAST_NAMES.length;
  // 1 in 67 drivers has no first name, as every driver of one real league does.
  const firstName = i % 67 === 13 ? "" : FIRST_NAMES[i % nf]!;
  let lastName = LAST_NAMES[Math.floor(i / nf) % nl]!;
  const round = Math.floor(i / (nf * nl));
  if (round > 0) {
    const tag = NAME_TAGS[(round - 1) % NAME_TAGS.length]!;
    const lap = Math.floor((round - 1) / NAME_TAGS.length);
    lastName += ` | ${tag}${lap > 0 ? lap + 1 : ""}`;
  }
  const letters = lastName.replace(/[^\p{L}]/gu, "");
  const shortName = (letters.length >= 3 ? letters.slice(0, 3) : (letters + "DRV").slice(0, 3)).toUpperCase();
  // An odd multiplier coprime to 10^10 is a bijection on 10-digit numbers: unique ids.
  const digits = (mulMod(i, 2654435761, 1e10) + 8_123_456_789) % 1e10;
  return { firstName, lastName, shortName, playerId: `S7656119${String(digits).padStart(10, "0")}` };
}

/** Skill of pool driver `i`: pace factor above the track's base time, and lap-to-lap noise. */
function driverSkill(i: number): { pace: number; noise: number } {
  const u = hash01(i, 1);
  return { pace: 0.004 + 0.075 * u * u, noise: 0.002 + 0.008 * hash01(i, 2) };
}

interface Track {
  id: string;
  baseMs: number;
  /** Fractions of the lap in sector 1 and 2; sector 3 is the rest. */
  f1: number;
  f2: number;
}

function makeTrack(i: number): Track {
  const real = REAL_TRACKS[i];
  const id = real ? real[0] : `bench_track_${i + 1}`;
  const baseMs = (real ? real[1] : 85 + 55 * hash01(i, 3)) * 1000;
  const f1 = 0.28 + 0.1 * hash01(i, 4);
  const f2 = 0.3 + 0.1 * hash01(i, 5);
  return { id, baseMs, f1, f2 };
}

interface Entry {
  carId: number;
  raceNumber: number;
  carModel: number;
  cupCategory: number;
  carGroup: string;
  teamName: string;
  /** Pool indexes of the car's drivers. */
  drivers: number[];
  /** Car pace factor (GT4 are slower). */
  carPace: number;
}

interface GenLap {
  /** Crossing time from the session start, ms. */
  at: number;
  car: number;
  driverIndex: number;
  laptime: number;
  valid: boolean;
  splits: [number, number, number];
}

interface CarRun {
  entry: Entry;
  laps: GenLap[];
  totalTime: number;
  lastSplitId: number;
  dsq: boolean;
}

/** Picks drivers from the pool: a cursor that walks the whole pool, mixed with a skewed pick. */
class DriverPicker {
  #pool: number;
  #cursor = 0;
  #a: number;
  #b: number;
  #a2: number;
  #b2: number;
  #rng: Rng;

  constructor(pool: number, rng: Rng) {
    this.#pool = pool;
    this.#rng = rng;
    this.#a = coprimeStep(pool, 7_919 + Math.floor(rng() * pool));
    this.#b = Math.floor(rng() * pool);
    this.#a2 = coprimeStep(pool, 104_729 + Math.floor(rng() * pool));
    this.#b2 = Math.floor(rng() * pool);
  }

  /** A pool index not in `used` (the pool must be larger than `used`). */
  pick(used: Set<number>): number {
    const p = this.#pool;
    if (this.#rng() >= 0.7) {
      // Skewed: the 1 % most active drivers get about a sixth of these picks.
      for (let tries = 0; tries < 8; tries++) {
        const u = this.#rng();
        const r = Math.floor(p * u * u * Math.sqrt(u));
        const i = (mulMod(r, this.#a2, p) + this.#b2) % p;
        if (!used.has(i)) return i;
      }
    }
    // The cursor: every driver of the pool turns up once per pass.
    for (;;) {
      const i = (mulMod(this.#cursor % p, this.#a, p) + this.#b) % p;
      this.#cursor++;
      if (!used.has(i)) return i;
    }
  }
}

function coprimeStep(pool: number, start: number): number {
  if (pool <= 1) return 1;
  let a = start % pool || 1;
  while (gcd(a, pool) !== 1) a = (a + 1) % pool || 1;
  return a;
}

function checkRange(name: string, range: [number, number], min: number): [number, number] {
  const [lo, hi] = range;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < min || hi < lo) {
    throw new RangeError(`${name} must be [min, max] integers with ${min} <= min <= max`);
  }
  return [lo, hi];
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function fileName(end: Date, type: string): string {
  const y = end.getUTCFullYear();
  if (y < 2000 || y > 2099) throw new RangeError(`session time ${end.toISOString()} does not fit YYMMDD`);
  return `${pad2(y % 100)}${pad2(end.getUTCMonth() + 1)}${pad2(end.getUTCDate())}_` +
    `${pad2(end.getUTCHours())}${pad2(end.getUTCMinutes())}${pad2(end.getUTCSeconds())}_${type}.json`;
}

/** UTF-16LE bytes of `text`, no BOM. */
function utf16le(text: string): Uint8Array {
  const n = text.length;
  const bytes = new Uint8Array(n * 2);
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const c = text.charCodeAt(i);
    bytes[j] = c & 0xff;
    bytes[j + 1] = c >>> 8;
  }
  return bytes;
}

/** Marks a number to be written as a float (`123.0`); see `FLOAT_MARK`. */
const FLOAT_PREFIX = "\u0001";
const FLOAT_MARK = /"\\u0001([^"]*)"/g;

function float(v: number): string {
  return FLOAT_PREFIX + (Number.isInteger(v) ? v.toFixed(1) : String(v));
}

/**
 * Yields `count` ACC result files in the shape of real 2022+ dedicated-server files, in time
 * order (names increase). Lazy: a million files can be streamed without holding them.
 */
export function* generateAccFiles(count: number, opts: GenOptions): Generator<GeneratedFile> {
  if (!Number.isInteger(opts.drivers) || opts.drivers < 1) throw new RangeError("drivers must be >= 1");
  if (!Number.isInteger(opts.tracks) || opts.tracks < 1) throw new RangeError("tracks must be >= 1");
  const [carsMin, carsMax] = checkRange("carsPerSession", opts.carsPerSession ?? [8, 30], 0);
  const [lapsMin, lapsMax] = checkRange("lapsPerCar", opts.lapsPerCar ?? [3, 25], 1);
  const rng = mulberry32(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const chance = (p: number) => rng() < p;
  const gauss = () => (rng() + rng() + rng() - 1.5) * 2;
  const pickOf = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

  const picker = new DriverPicker(opts.drivers, rng);
  const tracks = Array.from({ length: opts.tracks }, (_, i) => makeTrack(i));
  const driverCache = new Map<number, Driver>();
  const driver = (i: number): Driver => {
    let d = driverCache.get(i);
    if (!d) {
      d = makeDriver(i);
      driverCache.set(i, d);
    }
    return d;
  };
  const weekendIndex = new Map<string, number>();
  let clock = (opts.start ?? new Date(Date.UTC(2024, 0, 1, 18, 0, 0))).getTime();
  let lastEndSec = -Infinity;
  let produced = 0;

  while (produced < count) {
    // ---- A race weekend: one track, one server, one entry list. ----
    let r = rng() * WEEKEND_WEIGHT;
    let shape = WEEKENDS[0]![1];
    for (const [w, sessions] of WEEKENDS) {
      if ((r -= w) < 0) {
        shape = sessions;
        break;
      }
    }
    const track = tracks[Math.floor(rng() * tracks.length)]!;
    const serverName = pickOf(SERVERS);
    const rwIndex = weekendIndex.get(serverName) ?? 0;
    weekendIndex.set(serverName, rwIndex + 1);
    const classMix = rng();
    const carCount = Math.min(int(carsMin, carsMax), opts.drivers);
    const used = new Set<number>();
    const numbers = new Set<number>();
    const entries: Entry[] = [];
    for (let c = 0; c < carCount; c++) {
      const gt4 = classMix < 0.1 || (classMix < 0.2 && chance(0.4));
      const carModel = gt4 ? pickOf(GT4_MODELS) : chance(0.7) ? pickOf(GT3_CURRENT) : pickOf(GT3_MODELS);
      const multi = chance(0.15) ? int(2, 4) : 1;
      const drivers: number[] = [];
      // Leave at least one pool driver for each car still to come.
      const spare = opts.drivers - (carCount - c - 1);
      for (let d = 0; d < multi && (d === 0 || used.size < spare); d++) {
        const i = picker.pick(used);
        used.add(i);
        drivers.push(i);
      }
      let raceNumber = int(1, 999);
      while (numbers.has(raceNumber)) raceNumber = raceNumber % 999 + 1;
      numbers.add(raceNumber);
      const cupRoll = rng();
      entries.push({
        carId: 1001 + c,
        raceNumber,
        carModel,
        cupCategory: gt4
          ? (cupRoll < 0.85 ? 3 : 2)
          : cupRoll < 0.5
          ? 0
          : cupRoll < 0.7
          ? 1
          : cupRoll < 0.95
          ? 2
          : 3,
        carGroup: gt4 ? "GT4" : "GT3",
        teamName: multi > 1 && chance(0.5) ? pickOf(TEAM_NAMES) : "",
        drivers,
        carPace: (gt4 ? 1.11 : 1) * (1 + 0.006 * hash01(carModel, 6)),
      });
    }
    const dsq = entries.map(() => chance(1 / 200));

    for (let s = 0; s < shape.length && produced < count; s++) {
      const type = shape[s]!;
      const race = type[0] === "R";
      const wet = chance(0.1);
      const wetFactor = wet ? 1.08 + 0.04 * rng() : 1;
      const raceLaps = int(lapsMin, lapsMax);
      // Race lap 1 carries the formation lap and the grid time: 300–640 s in real files.
      const formationMs = 305_000 - track.baseMs + 200_000 * rng();

      const lapOf = (
        e: Entry,
        driverIndex: number,
        at: number,
        kind: "normal" | "out" | "start",
        gridPos: number,
      ): GenLap => {
        const skill = driverSkill(e.drivers[driverIndex]!);
        let ms = track.baseMs * e.carPace * wetFactor * (1 + skill.pace) *
          (1 + skill.noise * (wet ? 1.6 : 1) * gauss());
        let valid = !chance(race ? 0.18 : 0.12);
        if (kind !== "start" && chance(0.04)) {
          ms *= 1.03 + 0.12 * rng(); // a mistake, usually off track
          if (chance(0.6)) valid = false;
        }
        let extraTicks = 0;
        if (kind === "out") {
          ms *= 1.15 + 0.25 * rng();
          valid = false;
        } else if (kind === "start") {
          ms *= 1.03 + 0.02 * rng();
          extraTicks = Math.round((formationMs + Math.min(gridPos, 60) * 450 + 800 * rng()) / 2.5);
          valid = !chance(0.45);
        }
        // ACC times move in 2.5 ms steps; flooring each split makes laptime - sum(splits) 0 or 1.
        const ticks = Math.round(ms / 2.5);
        const k1 = Math.round(ticks * track.f1 * (1 + 0.012 * gauss()));
        const k2 = Math.round(ticks * track.f2 * (1 + 0.012 * gauss()));
        const k3 = ticks - k1 - k2;
        const total = ticks + extraTicks;
        const laptime = Math.floor(total * 2.5);
        return {
          at: at + laptime,
          car: e.carId,
          driverIndex,
          laptime,
          valid,
          splits: [Math.floor((k1 + extraTicks) * 2.5), Math.floor(k2 * 2.5), Math.floor(k3 * 2.5)],
        };
      };

      /** Driver index of lap `j` of `n`: contiguous stints, in a per-car order. */
      const stintDriver = (e: Entry, j: number, n: number, order: number[]): number =>
        e.drivers.length === 1 ? 0 : order[Math.min(order.length - 1, Math.floor((j * order.length) / n))]!;

      const runs: CarRun[] = entries.map((entry, c) => {
        const order = entry.drivers.map((_, i) => i);
        for (let i = order.length - 1; i > 0; i--) {
          const k = Math.floor(rng() * (i + 1));
          [order[i], order[k]] = [order[k]!, order[i]!];
        }
        const laps: GenLap[] = [];
        if (race) {
          if (!chance(0.02)) {
            let at = 0;
            for (let j = 0; j < raceLaps; j++) {
              const lap = lapOf(
                entry,
                stintDriver(entry, j, raceLaps, order),
                at,
                j === 0 ? "start" : "normal",
                c,
              );
              laps.push(lap);
              at = lap.at;
            }
          }
        } else if (!chance(0.1)) {
          const n = int(lapsMin, lapsMax);
          let at = 60_000 + rng() * track.baseMs * 4;
          for (let j = 0; j < n; j++) {
            const lap = lapOf(entry, stintDriver(entry, j, n, order), at, j === 0 ? "out" : "normal", c);
            laps.push(lap);
            at = lap.at + (j > 0 && chance(0.08) ? 60_000 + rng() * 180_000 : 0); // a pit stop
          }
        }
        return { entry, laps, totalTime: NO_TIME, lastSplitId: NO_SPLIT_ID, dsq: dsq[c]! };
      });

      if (race) {
        // The winner is first to complete the race distance; everyone else stops at the next
        // crossing, so lapped cars do fewer laps. Some cars retire.
        let winnerAt = Infinity;
        for (const run of runs) {
          if (run.laps.length === raceLaps) winnerAt = Math.min(winnerAt, run.laps[raceLaps - 1]!.at);
        }
        for (const run of runs) {
          if (run.laps.length === 0) continue;
          let n = run.laps.findIndex((l) => l.at >= winnerAt) + 1;
          if (n === 0) n = run.laps.length;
          if (n > 1 && chance(0.05)) n = int(1, n - 1);
          run.laps.length = n;
          run.totalTime = Math.round(run.laps[n - 1]!.at - formationMs);
          run.lastSplitId = 0;
        }
      } else {
        for (const run of runs) {
          if (run.laps.length === 0) continue;
          let sum = 0;
          for (const l of run.laps) sum += l.laptime;
          run.totalTime = sum;
          run.lastSplitId = int(0, 2);
        }
      }

      // ---- Timing per car. ----
      const lines = runs.map((run) => {
        let best = NO_TIME;
        const bestSplits = [NO_TIME, NO_TIME, NO_TIME];
        for (const l of run.laps) {
          if (!l.valid) continue;
          if (l.laptime < best) best = l.laptime;
          for (let k = 0; k < 3; k++) if (l.splits[k]! < bestSplits[k]!) bestSplits[k] = l.splits[k]!;
        }
        return { run, best, bestSplits };
      });
      if (race) {
        lines.sort((a, b) =>
          b.run.laps.length - a.run.laps.length || a.run.totalTime - b.run.totalTime ||
          a.run.entry.carId - b.run.entry.carId
        );
      } else {
        lines.sort((a, b) => a.best - b.best || a.run.entry.carId - b.run.entry.carId);
      }

      let sessionBest = NO_TIME;
      const sessionSplits = [NO_TIME, NO_TIME, NO_TIME];
      const allLaps: GenLap[] = [];
      const penalties: unknown[] = [];
      const postRace: unknown[] = [];
      const leaderBoardLines = lines.map(({ run, best, bestSplits }) => {
        const { entry, laps } = run;
        if (best < sessionBest) sessionBest = best;
        for (let k = 0; k < 3; k++) if (bestSplits[k]! < sessionSplits[k]!) sessionSplits[k] = bestSplits[k]!;
        for (const l of laps) allLaps.push(l);
        const last = laps[laps.length - 1];
        const currentDriverIndex = last ? last.driverIndex : 0;
        const drivers = entry.drivers.map(driver);
        let driverTotalTimes: string[] = [];
        if (race) {
          const sums = entry.drivers.map(() => 0);
          for (const l of laps) sums[l.driverIndex]! += l.laptime;
          driverTotalTimes = sums.map((v) => float(v === 0 ? 0 : Math.fround(v * (0.985 + 0.01 * rng()))));
        }
        const n = laps.length;
        if (n > 0 && chance(race ? 0.1 : 0.03)) {
          const violationInLap = int(1, n);
          const kind = rng();
          const penalty = kind < 0.6 ? "DriveThrough" : kind < 0.75 ? "StopAndGo_10" : "None";
          const penaltyValue = penalty === "None" ? 0 : int(1, 3);
          const cleared = penalty === "None" ? n : Math.min(n, violationInLap + int(1, penaltyValue));
          penalties.push({
            carId: entry.carId,
            driverIndex: laps[violationInLap - 1]!.driverIndex,
            reason: chance(0.7) ? "Cutting" : "PitSpeeding",
            penalty,
            penaltyValue,
            violationInLap: penalty === "None" ? 0 : violationInLap,
            clearedInLap: cleared > violationInLap || penalty === "None" ? cleared : 0,
          });
        }
        if (run.dsq) {
          postRace.push({
            carId: entry.carId,
            driverIndex: currentDriverIndex,
            reason: pickOf(["Trolling", "WrongWay", "PitSpeeding", "DriverRanNoStint"]),
            penalty: "Disqualified",
            penaltyValue: 0,
            violationInLap: n,
            clearedInLap: 0,
          });
        } else if (race && n > 0 && chance(0.02)) {
          postRace.push({
            carId: entry.carId,
            driverIndex: currentDriverIndex,
            reason: "Cutting",
            penalty: "PostRaceTime",
            penaltyValue: pickOf([5, 10, 30]),
            violationInLap: 0,
            clearedInLap: 0,
          });
        }
        return {
          car: {
            carId: entry.carId,
            raceNumber: entry.raceNumber,
            carModel: entry.carModel,
            cupCategory: entry.cupCategory,
            carGroup: entry.carGroup,
            teamName: entry.teamName,
            nationality: 0,
            carGuid: -1,
            teamGuid: -1,
            drivers,
          },
          currentDriver: drivers[currentDriverIndex],
          currentDriverIndex,
          timing: {
            lastLap: last ? last.laptime : NO_TIME,
            lastSplits: last ? last.splits : [],
            bestLap: best,
            bestSplits,
            totalTime: run.totalTime,
            lapCount: n,
            lastSplitId: run.lastSplitId,
          },
          missingMandatoryPitstop: race ? (chance(0.1) ? -1 : chance(0.02) ? 1 : 0) : -1,
          driverTotalTimes,
        };
      });
      allLaps.sort((a, b) => a.at - b.at || a.car - b.car);

      const empty = leaderBoardLines.length === 0;
      const body = JSON.stringify(
        {
          trackName: track.id,
          sessionIndex: s,
          raceWeekendIndex: empty ? -1 : rwIndex,
          metaData: track.id,
          serverName,
          sessionType: type,
          sessionResult: {
            bestlap: empty ? 0 : sessionBest,
            bestSplits: empty ? [0, 0, 0] : sessionSplits,
            isWetSession: wet ? 1 : 0,
            type: race ? 1 : 0,
            leaderBoardLines,
          },
          laps: allLaps.map((l) => ({
            carId: l.car,
            driverIndex: l.driverIndex,
            laptime: l.laptime,
            isValidForBest: l.valid,
            splits: l.splits,
          })),
          penalties,
          post_race_penalties: postRace,
        },
        null,
        4,
      );
      let text = `{\n    "sessionType": ${JSON.stringify(type)},${body.slice(1)}`;
      if (race) text = text.replace(FLOAT_MARK, "$1");

      // The server names the file when the session ends.
      let duration = 0;
      for (const run of runs) {
        const last = run.laps[run.laps.length - 1];
        if (last && last.at > duration) duration = last.at;
      }
      duration += race ? 30_000 + rng() * 60_000 : 60_000 + rng() * 240_000;
      let endSec = Math.floor((clock + duration) / 1000);
      if (endSec <= lastEndSec) endSec = lastEndSec + 1;
      lastEndSec = endSec;
      clock = endSec * 1000 + 60_000 + rng() * 540_000;
      produced++;
      yield {
        name: fileName(new Date(endSec * 1000), type),
        bytes: utf16le(text),
        laps: allLaps.length,
        cars: leaderBoardLines.length,
      };
    }
    const idle = 5 * 60_000 + rng() * 85 * 60_000;
    clock += opts.weekendGapMs ?? idle;
  }
}
