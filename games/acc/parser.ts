/**
 * ACC (Assetto Corsa Competizione) dedicated-server result files → NormalizedSession.
 * Every quirk handled here is documented in docs/racing-formats.md sections B and E.
 *
 * Drivers are keyed by ACC's `playerId`. When it is empty (2019 test files, the odd real file)
 * the id is `acc:` + the driver's name, lower-cased, with runs of characters that are neither
 * letters nor digits replaced by `-` (`Alberto For` → `acc:alberto-for`), so the same person
 * gets the same id in every file.
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
import { accCar } from "@/games/acc/cars.ts";
import { accTrackName, baseAccTrack } from "@/games/acc/tracks.ts";
import { localToInstant, parseAccFileName } from "@/lib/file_time.ts";
import { withBestLaps } from "@/games/racing/best_lap.ts";
import type {
  CarResult,
  DriverRef,
  FileContext,
  Lap,
  NormalizedSession,
  ParseOutcome,
  Penalty,
  ResultFormat,
  SessionKind,
  TimeSource,
} from "@/games/racing/types.ts";

const AccDriver = z.object({
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  shortName: z.string().optional(),
  // Always a string in real files ("S7656…" or ""); a number is tolerated.
  playerId: z.union([z.string(), z.number()]).optional(),
});
type AccDriver = z.infer<typeof AccDriver>;

const AccLine = z.object({
  car: z.object({
    carId: z.int(),
    raceNumber: z.int().optional(),
    carModel: z.int(),
    cupCategory: z.int().optional(),
    teamName: z.string().optional(),
    ballastKg: z.number().optional(),
    drivers: z.array(AccDriver),
  }),
  // Only a fallback for a car without drivers, or a lap whose driverIndex is out of range.
  currentDriver: AccDriver.optional().catch(undefined),
  currentDriverIndex: z.int().optional().catch(undefined),
  timing: z.object({
    bestLap: z.number(),
    bestSplits: z.array(z.number()).optional(),
    totalTime: z.number(),
    lapCount: z.int(),
  }),
  missingMandatoryPitstop: z.int().optional(),
});
type AccLine = z.infer<typeof AccLine>;

const AccPenalty = z.object({
  carId: z.int(),
  driverIndex: z.int().optional(),
  reason: z.string().default(""),
  penalty: z.string(),
  penaltyValue: z.number().default(0),
  violationInLap: z.int().optional(),
  clearedInLap: z.int().optional(),
});
type AccPenalty = z.infer<typeof AccPenalty>;

/** One element of `laps[]`; checked by hand in `buildLaps`, because zod per lap is too slow. */
type AccLap = {
  carId: number;
  driverIndex: number;
  laptime: number;
  isValidForBest: boolean;
  splits: number[];
};

const AccFile = z.object({
  // Written twice since 2020; JSON.parse keeps the last one.
  sessionType: z.string(),
  trackName: z.string().min(1),
  serverName: z.string().optional(),
  sessionResult: z.object({
    isWetSession: z.unknown().optional(),
    leaderBoardLines: z.array(AccLine),
  }),
  laps: z.custom<unknown[] | null>((v) => v === null || Array.isArray(v), "is not an array").optional(),
  penalties: z.array(AccPenalty).nullish(),
  post_race_penalties: z.array(AccPenalty).nullish(),
});
type AccFile = z.infer<typeof AccFile>;

const SESSION_TYPE = /^(FP|Q|R)\d*$/i;
const ENTRY_LIST_NAME = /(^|_)entrylist\.json$/i;
const NO_TIME = 2147483647;

/** The ACC result-file format. */
export const accFormat: ResultFormat = {
  id: "acc",
  detect(text: string, file: FileContext): boolean {
    const name = baseName(file.name);
    if (ENTRY_LIST_NAME.test(name) || parseAccFileName(name)) return true;
    const head = text.length > 4096 ? text.slice(0, 4096) : text;
    return head.includes('"sessionResult"') || head.includes('"leaderBoardLines"');
  },
  parse(text: string, file: FileContext): ParseOutcome {
    return guardParse("ACC", () => parseAcc(text, file));
  },
};

function parseAcc(text: string, file: FileContext): ParseOutcome {
  const name = baseName(file.name);
  if (ENTRY_LIST_NAME.test(name)) return { status: "skipped", reason: "entry list, not a result" };
  const json = parseJsonObject(text, "ACC");
  if ("entries" in json && !("sessionResult" in json)) {
    return { status: "skipped", reason: "entry list, not a result" };
  }
  checkAccCaps(json);
  const parsed = AccFile.safeParse(json);
  if (!parsed.success) return reject(`not ACC result JSON: ${describeIssues(parsed.error, json)}`);
  const data = parsed.data;
  const type = SESSION_TYPE.exec(data.sessionType);
  if (!type) return reject(`unknown ACC session type "${data.sessionType}"`);
  const kind = type[1]!.toUpperCase() as SessionKind;
  const lines = data.sessionResult.leaderBoardLines;
  const rawLaps = data.laps ?? [];
  if (lines.length === 0) {
    return {
      status: "skipped",
      reason: rawLaps.length === 0
        ? "empty session: nobody drove"
        : `empty session: no classified cars, only ${rawLaps.length} laps of unknown cars`,
    };
  }
  const cars = buildCars(lines, data);
  const { finishedAt, timeSource } = finishTime(name, file);
  return {
    status: "parsed",
    session: withBestLaps(defined<NormalizedSession>({
      game: "acc",
      track: baseAccTrack(data.trackName),
      trackRaw: data.trackName,
      trackName: accTrackName(data.trackName),
      kind,
      sessionType: data.sessionType,
      finishedAt,
      timeSource,
      serverName: data.serverName,
      wet: data.sessionResult.isWetSession === 1 || data.sessionResult.isWetSession === true,
      cars,
      laps: buildLaps(rawLaps, lines, cars, kind),
    })),
  };
}

function penaltiesByCar(data: AccFile): Map<number, Penalty[]> {
  const byCar = new Map<number, Penalty[]>();
  const lists = [[data.penalties, false], [data.post_race_penalties, true]] as const;
  for (const [list, postRace] of lists) {
    for (const p of list ?? []) {
      const { carId, penaltyValue: value, ...rest } = p;
      const penalty: Penalty = defined({ ...rest, value, postRace });
      byCar.set(carId, [...byCar.get(carId) ?? [], penalty]);
    }
  }
  return byCar;
}

function buildCars(lines: AccLine[], data: AccFile): CarResult[] {
  const penalties = penaltiesByCar(data);
  return lines.map(({ car, timing, currentDriver, missingMandatoryPitstop }, i) => {
    const drivers = car.drivers.length > 0 ? car.drivers : currentDriver ? [currentDriver] : [];
    if (drivers.length === 0) throw new Rejection(`not ACC result JSON: car ${car.carId} has no drivers`);
    const carPenalties = penalties.get(car.carId) ?? [];
    return defined({
      position: i + 1,
      carId: car.carId,
      raceNumber: car.raceNumber,
      car: accCar(car.carModel),
      cupCategory: car.cupCategory,
      teamName: car.teamName || undefined,
      drivers: drivers.map(driverRef),
      bestLapMs: timeOrNull(timing.bestLap),
      bestSplitsMs: splitsOrNull(timing.bestSplits),
      totalTimeMs: timeOrNull(timing.totalTime),
      lapCount: timing.lapCount,
      penalties: carPenalties,
      disqualified: carPenalties.some((p) => p.penalty === "Disqualified"),
      missingMandatoryPitstop,
      ballastKg: car.ballastKg,
    });
  });
}

/** The object without its undefined-valued keys, so stored values carry no `undefined`. */
function defined<T extends object>(obj: T): T {
  for (const key in obj) if (obj[key] === undefined) delete obj[key];
  return obj;
}

/** Validates `laps[]` by hand (it holds thousands of entries) and maps it to `Lap`s. */
function buildLaps(raw: unknown[], lines: AccLine[], cars: CarResult[], kind: SessionKind): Lap[] {
  const carIndex = new Map<number, number>();
  lines.forEach((l, i) => {
    if (!carIndex.has(l.car.carId)) carIndex.set(l.car.carId, i);
  });
  const seen = new Uint8Array(cars.length);
  const laps: Lap[] = [];
  for (let i = 0; i < raw.length; i++) {
    const lap = raw[i] as AccLap;
    checkLap(lap, i);
    const c = carIndex.get(lap.carId);
    if (c === undefined) continue; // a car missing from leaderBoardLines (observed): drop its laps
    const car = cars[c]!;
    const n = car.drivers.length;
    let driver = lap.driverIndex;
    if (!(driver >= 0 && driver < n && Number.isInteger(driver))) {
      const current = lines[c]!.currentDriverIndex;
      driver = current !== undefined && current >= 0 && current < n ? current : 0;
    }
    const valid = lap.isValidForBest;
    // A car's first race lap carries the formation lap and grid time (300–640 s observed).
    const firstRaceLap = kind === "R" && seen[c] === 0;
    seen[c] = 1;
    laps.push({
      car: c,
      driver,
      lapMs: lap.laptime,
      splitsMs: lap.splits,
      valid,
      countsForBest: valid && !car.disqualified && !firstRaceLap,
    });
  }
  return laps;
}

function checkLap(lap: AccLap, i: number): void {
  if (typeof lap !== "object" || lap === null || Array.isArray(lap)) {
    throw new Rejection(`not ACC result JSON: laps[${i}] is not an object`);
  }
  let bad: string | undefined;
  if (typeof lap.carId !== "number") bad = problem(lap, "carId", "a number");
  else if (typeof lap.driverIndex !== "number") bad = problem(lap, "driverIndex", "a number");
  else if (typeof lap.laptime !== "number") bad = problem(lap, "laptime", "a number");
  else if (typeof lap.isValidForBest !== "boolean") bad = problem(lap, "isValidForBest", "a boolean");
  else if (!Array.isArray(lap.splits)) bad = problem(lap, "splits", "an array");
  else if (!allNumbers(lap.splits)) bad = "splits is not an array of numbers";
  if (bad) throw new Rejection(`not ACC result JSON: laps[${i}].${bad}`);
}

function allNumbers(list: unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== "number") return false;
  return true;
}

function problem(obj: object, key: string, expected: string): string {
  return key in obj ? `${key} is not ${expected}` : `${key} is missing`;
}

function driverRef(d: AccDriver): DriverRef {
  const name = `${d.firstName ?? ""} ${d.lastName ?? ""}`.trim() || (d.shortName ?? "").trim() ||
    "Unknown driver";
  const playerId = d.playerId === undefined ? "" : String(d.playerId).trim();
  return { id: playerId || nameId(name), name };
}

function nameId(name: string): string {
  const slug = name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "");
  return `acc:${slug || "unknown-driver"}`;
}

function timeOrNull(ms: number): number | null {
  return ms <= 0 || ms >= NO_TIME ? null : ms;
}

function splitsOrNull(splits: number[] | undefined): number[] | null {
  if (!splits || splits.length === 0) return null;
  return splits.every((s) => s > 0 && s < NO_TIME) ? splits : null;
}

function finishTime(name: string, file: FileContext): { finishedAt: Date; timeSource: TimeSource } {
  // The server names the file when the session ends; the type in the name is not trusted.
  const named = parseAccFileName(name);
  if (named) {
    const zone = file.timeZone ?? "UTC";
    try {
      return { finishedAt: localToInstant(named.local, zone), timeSource: "file-name" };
    } catch {
      throw new Rejection(`cannot date the session: unknown time zone "${zone}"`);
    }
  }
  return fallbackTime(file);
}

/** The file caps (FILE_CAPS), checked on the raw JSON before it is validated. */
function checkAccCaps(json: Record<string, unknown>): void {
  const lines = (json.sessionResult as { leaderBoardLines?: unknown } | undefined)?.leaderBoardLines;
  checkCap(lines, "sessionResult.leaderBoardLines", FILE_CAPS.cars, "cars");
  if (Array.isArray(lines)) {
    lines.forEach((line, i) => {
      const drivers = (line as { car?: { drivers?: unknown } } | null)?.car?.drivers;
      checkCap(
        drivers,
        `sessionResult.leaderBoardLines[${i}].car.drivers`,
        FILE_CAPS.driversPerCar,
        "drivers",
      );
    });
  }
  checkCap(json.laps, "laps", FILE_CAPS.laps, "laps");
}
