/**
 * Assetto Corsa (original, acServer) result files → NormalizedSession.
 * Every quirk handled here is documented in docs/racing-formats.md sections A2, C and E.
 *
 * Result rows are keyed by (DriverGuid, CarId): AC rows are single-driver, so one row is one car.
 * - A reconnecting driver can leave a second row with the same GUID. In the real file
 *   (simresults duplicate.result.info.for.miguel.json) that row is the entry-list slot the driver
 *   was booked into but never drove: another CarId, BestLap 999999999, TotalTime 0, and no lap in
 *   Laps[] for that CarId, while the laps sit under the car classified higher up. Such a row says
 *   nothing about the session and is dropped; a second CarId with laps or a time is kept as its
 *   own CarResult. Two rows with the same GUID and CarId are merged into the first.
 * - Laps[] keeps the laps of drivers who left a slot that someone else took later (2015 files):
 *   their (GUID, CarId) has no Result row. Those laps are real, and the AC time-attack bot counts
 *   every lap in Laps[], so such a driver becomes an unclassified CarResult after the classified
 *   ones, with the best lap computed from their own laps.
 */
import { z } from "zod";
import {
  baseName,
  checkCap,
  describeIssues,
  fallbackTime,
  FILE_CAPS,
  guardParse,
  parseJsonObject,
  reject,
  Rejection,
} from "@/games/racing/parse_util.ts";
import { localToInstant, parseAcFileName } from "@/lib/file_time.ts";
import { withBestLaps } from "@/games/racing/best_lap.ts";
import { acNames } from "@/games/ac/names.ts";
import type {
  CarResult,
  FileContext,
  Lap,
  NormalizedSession,
  ParseOutcome,
  Penalty,
  ResultFormat,
  SessionKind,
  TimeSource,
} from "@/games/racing/types.ts";

const arrayOrNull = (v: unknown) => v == null || Array.isArray(v);

const AcCar = z.object({
  CarId: z.int(),
  Driver: z.object({ Guid: z.string().optional(), Team: z.string().optional() }).nullish(),
});

const AcRow = z.object({
  DriverName: z.string(),
  DriverGuid: z.string(),
  CarId: z.int(),
  CarModel: z.string(),
  BestLap: z.number(),
  TotalTime: z.number(),
  BallastKG: z.number().optional(),
  Restrictor: z.number().optional(),
  // Assetto Server Manager only; PenaltyTime is a Go time.Duration, i.e. nanoseconds.
  HasPenalty: z.boolean().optional(),
  PenaltyTime: z.number().optional(),
  LapPenalty: z.number().optional(),
  Disqualified: z.boolean().optional(),
});
type AcRow = z.infer<typeof AcRow>;

/** One element of `Laps[]`; checked by hand in `checkLap`, because zod per lap is too slow. */
interface AcLap {
  DriverName?: string;
  DriverGuid: string;
  CarId: number;
  CarModel?: string;
  LapTime: number;
  Sectors: number[];
  Cuts: number;
  BallastKG?: number;
  Restrictor?: number;
  Tyre?: string;
}

const AcFile = z.object({
  TrackName: z.string().min(1),
  TrackConfig: z.string().nullish(),
  Type: z.string(),
  Cars: z.array(AcCar).nullish(),
  Result: z.array(AcRow),
  Laps: z.custom<unknown[] | null | undefined>(arrayOrNull, "is not an array"),
  Events: z.custom<unknown[] | null | undefined>(arrayOrNull, "is not an array"),
  // Added by Assetto Server Manager; anything but a string is ignored.
  Date: z.string().optional().catch(undefined),
  Server: z.string().optional().catch(undefined),
});
type AcFile = z.infer<typeof AcFile>;

const KINDS: Record<string, SessionKind> = { PRACTICE: "FP", QUALIFY: "Q", RACE: "R" };
const NO_TIME = 999999999;

/** The Assetto Corsa (acServer) result-file format. */
export const acFormat: ResultFormat = {
  id: "ac",
  detect(text: string, file: FileContext): boolean {
    if (parseAcFileName(baseName(file.name))) return true;
    // Server Manager re-saves files with TrackName after Result, so the whole text is searched.
    return text.includes('"TrackName"') && text.includes('"Result"');
  },
  parse(text: string, file: FileContext): ParseOutcome {
    return guardParse("AC", () => parseAc(text, file));
  },
};

function parseAc(text: string, file: FileContext): ParseOutcome {
  const json = parseJsonObject(text, "AC");
  checkCap(json.Cars, "Cars", FILE_CAPS.cars, "cars");
  checkCap(json.Result, "Result", FILE_CAPS.cars, "cars");
  checkCap(json.Laps, "Laps", FILE_CAPS.laps, "laps");
  const parsed = AcFile.safeParse(json);
  if (!parsed.success) return reject(`not AC result JSON: ${describeIssues(parsed.error, json, true)}`);
  const data = parsed.data;
  const kind = KINDS[data.Type.toUpperCase()];
  if (!kind) return { status: "skipped", reason: `unsupported AC session type "${data.Type}"` };
  const laps = (data.Laps ?? []).filter(checkLap);
  const built = buildCars(data, laps);
  const cars = built.cars;
  if (cars.length === 0) return { status: "skipped", reason: "empty session: nobody drove" };
  const config = data.TrackConfig ?? "";
  const track = config ? `${data.TrackName}@${config}` : data.TrackName;
  const session: NormalizedSession = {
    game: "ac",
    track,
    trackRaw: track,
    trackName: NAMES.track(data.TrackName, config).name,
    kind,
    sessionType: data.Type,
    ...finishTime(data, file),
    wet: false,
    cars,
    laps: buildLaps(laps, built),
  };
  if (data.Server !== undefined) session.serverName = data.Server;
  return { status: "parsed", session: withBestLaps(session) };
}

/** Car indexes by CarId, then DriverGuid: a lookup per lap builds no string keys. */
type CarIndex = Map<number, Map<string, number>>;

/** The cars of a file; the first `classified` come from Result rows. */
interface Built {
  cars: CarResult[];
  classified: number;
  index: CarIndex;
}

function addCar(cars: CarResult[], index: CarIndex, car: CarResult): number {
  const byGuid = index.get(car.carId) ?? new Map<string, number>();
  byGuid.set(car.drivers[0]!.id, cars.length);
  index.set(car.carId, byGuid);
  return cars.push(car) - 1;
}

/** Cars from Result rows, then unclassified cars for laps without a row. */
function buildCars(data: AcFile, laps: AcLap[]): Built {
  const cars: CarResult[] = [];
  const index: CarIndex = new Map();
  const guids = new Set<string>();
  for (const row of data.Result) {
    if (row.DriverGuid === "") continue; // an empty entry-list slot
    let c = index.get(row.CarId)?.get(row.DriverGuid);
    if (c === undefined) {
      // The booked-but-unused slot of a driver classified in another car (see the header).
      const unused = timeOrNull(row.BestLap) === null && timeOrNull(row.TotalTime) === null &&
        !laps.some((l) => l.CarId === row.CarId && l.DriverGuid === row.DriverGuid);
      if (unused && guids.has(row.DriverGuid)) continue;
      guids.add(row.DriverGuid);
      c = addCar(cars, index, newCar(row));
    }
    mergeRow(cars[c]!, row);
  }
  const classified = cars.length;
  for (const l of laps) {
    // Laps of a driver with no Result row: kept as an unclassified car (see the header).
    if (!index.get(l.CarId)?.has(l.DriverGuid)) addCar(cars, index, newCar(l));
  }
  const entries = new Map((data.Cars ?? []).map((c) => [c.CarId, c.Driver] as const));
  cars.forEach((car, i) => {
    car.position = i + 1;
    // Cars[] is the entry list: its team belongs to the driver booked into the slot.
    const entry = entries.get(car.carId);
    if (entry?.Team && (!entry.Guid || entry.Guid === car.drivers[0]!.id)) car.teamName = entry.Team;
  });
  return { cars, classified, index };
}

function newCar(src: AcRow | AcLap): CarResult {
  const model = src.CarModel ?? "";
  const car: CarResult = {
    position: 0,
    carId: src.CarId,
    car: { model, name: NAMES.car(model).name, class: model },
    drivers: [{ id: src.DriverGuid, name: src.DriverName || src.DriverGuid }],
    bestLapMs: null,
    bestSplitsMs: null,
    totalTimeMs: null,
    lapCount: 0,
    penalties: [],
    disqualified: false,
  };
  if (src.BallastKG !== undefined) car.ballastKg = src.BallastKG;
  if (src.Restrictor !== undefined) car.restrictor = src.Restrictor;
  return car;
}

/** Folds a Result row into its car: the best lap is the minimum, the total time the maximum. */
function mergeRow(car: CarResult, row: AcRow): void {
  const best = timeOrNull(row.BestLap);
  const total = timeOrNull(row.TotalTime);
  if (best !== null && (car.bestLapMs === null || best < car.bestLapMs)) car.bestLapMs = best;
  if (total !== null && (car.totalTimeMs === null || total > car.totalTimeMs)) car.totalTimeMs = total;
  car.penalties.push(...rowPenalties(row));
  if (row.Disqualified === true) car.disqualified = true;
}

function rowPenalties(row: AcRow): Penalty[] {
  const out: Penalty[] = [];
  const add = (penalty: string, value: number) =>
    out.push({ reason: "ServerPenalty", penalty, value, postRace: true });
  // Server Manager applies PenaltyTime and LapPenalty only when HasPenalty is set. The value is in
  // seconds, like ACC's PostRaceTime penaltyValue; the file holds nanoseconds.
  if (row.HasPenalty !== false && row.PenaltyTime) {
    add("PostRaceTime", Math.round(row.PenaltyTime / 1e6) / 1e3);
  }
  if (row.HasPenalty !== false && row.LapPenalty) add("LapPenalty", row.LapPenalty);
  if (row.Disqualified === true) add("Disqualified", 0);
  return out;
}

/** Maps the checked laps to `Lap`s; fills lap counts, best splits, and unclassified cars' best laps. */
function buildLaps(raw: AcLap[], { cars, classified, index }: Built): Lap[] {
  const best: (Lap | undefined)[] = new Array(cars.length);
  const laps: Lap[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i]!;
    const c = index.get(l.CarId)!.get(l.DriverGuid)!;
    const car = cars[c]!;
    car.lapCount++;
    const valid = l.Cuts === 0;
    const timed = l.LapTime > 0 && l.LapTime !== NO_TIME;
    const lap: Lap = {
      car: c,
      driver: 0,
      lapMs: l.LapTime,
      splitsMs: l.Sectors,
      valid,
      countsForBest: valid && timed && !car.disqualified,
      cuts: l.Cuts,
    };
    if (l.Tyre !== undefined) lap.tyre = l.Tyre;
    laps[i] = lap;
    const b = best[c];
    if (valid && timed && (!b || l.LapTime < b.lapMs)) best[c] = lap;
  }
  cars.forEach((car, i) => {
    const b = best[i];
    car.bestSplitsMs = b ? b.splitsMs : null;
    if (i >= classified && b) car.bestLapMs = b.lapMs;
  });
  return laps;
}

const OPTIONAL_LAP_KEYS = ["DriverName", "CarModel", "Tyre", "BallastKG", "Restrictor"];
const OPTIONAL_LAP_TYPES = ["string", "string", "string", "number", "number"];

/** Checks one element of `Laps[]` by hand; false for a lap of an empty slot. */
function checkLap(lap: unknown, i: number): lap is AcLap {
  if (typeof lap !== "object" || lap === null || Array.isArray(lap)) {
    throw new Rejection(`not AC result JSON: "Laps[${i}]" is not an object`);
  }
  const l = lap as Record<string, unknown>;
  let bad: [string, string] | undefined;
  if (typeof l.DriverGuid !== "string") bad = ["DriverGuid", "a string"];
  else if (l.DriverGuid === "") return false;
  else if (typeof l.CarId !== "number") bad = ["CarId", "a number"];
  else if (typeof l.LapTime !== "number") bad = ["LapTime", "a number"];
  else if (typeof l.Cuts !== "number") bad = ["Cuts", "a number"];
  else if (!Array.isArray(l.Sectors) || !l.Sectors.every((s) => typeof s === "number")) {
    bad = ["Sectors", "an array of numbers"];
  } else {
    for (let k = 0; k < OPTIONAL_LAP_KEYS.length; k++) {
      const v = l[OPTIONAL_LAP_KEYS[k]!];
      if (v !== undefined && typeof v !== OPTIONAL_LAP_TYPES[k]) {
        bad = [OPTIONAL_LAP_KEYS[k]!, `a ${OPTIONAL_LAP_TYPES[k]}`];
      }
    }
  }
  if (!bad) return true;
  const [key, expected] = bad;
  const what = key in l ? `is not ${expected}` : "is missing";
  throw new Rejection(`not AC result JSON: "Laps[${i}].${key}" ${what}`);
}

/** Kunos's names, else the folder name made readable (a mod's own names are resolved when shown). */
const NAMES = acNames();

function timeOrNull(ms: number): number | null {
  return ms <= 0 || ms >= NO_TIME ? null : ms;
}

function finishTime(data: AcFile, file: FileContext): { finishedAt: Date; timeSource: TimeSource } {
  // acServer names the file when the session ends, in the server's local time.
  const named = parseAcFileName(baseName(file.name));
  if (named) {
    return { finishedAt: localToInstant(named.local, file.timeZone ?? "UTC"), timeSource: "file-name" };
  }
  // Server Manager writes Go's zero time (year 1) when it has no date.
  const dated = data.Date === undefined ? NaN : Date.parse(data.Date);
  if (dated > Date.UTC(2000, 0, 1)) return { finishedAt: new Date(dated), timeSource: "file-content" };
  return fallbackTime(file);
}
