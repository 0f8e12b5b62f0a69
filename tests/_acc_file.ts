/** Writes small ACC result files in the real server's shape (UTF-16LE, duplicate sessionType), for tests. */

/** One car of a fixture file. */
export interface AccFixtureCar {
  playerId: string;
  first?: string;
  last?: string;
  carModel?: number;
  laps: number[];
  invalid?: number[];
  dsq?: boolean;
  /** More drivers of the car (a crew), after the first. */
  crew?: { first: string; last: string; playerId: string }[];
  /** Per lap, the index of the driver who drove it (default 0). */
  lapDrivers?: number[];
  /** Per lap, its sectors (default: the lap in thirds). With them, `bestSplits` holds the best of each. */
  splits?: number[][];
}

const SENTINEL = 2147483647;

/** The text of an ACC result file. */
export function accFileText(
  opts: { track?: string; type?: string; cars: AccFixtureCar[]; server?: string },
): string {
  const type = opts.type ?? "Q";
  const laps: unknown[] = [];
  const max = Math.max(0, ...opts.cars.map((c) => c.laps.length));
  for (let j = 0; j < max; j++) {
    opts.cars.forEach((c, i) => {
      const ms = c.laps[j];
      if (ms === undefined) return;
      const s = Math.floor(ms / 3);
      laps.push({
        carId: 1001 + i,
        driverIndex: c.lapDrivers?.[j] ?? 0,
        laptime: ms,
        isValidForBest: !(c.invalid ?? []).includes(j),
        splits: c.splits?.[j] ?? [s, s, ms - 2 * s],
      });
    });
  }
  const lines = opts.cars.map((c, i) => {
    const valid = c.laps.filter((_, j) => !(c.invalid ?? []).includes(j));
    const best = valid.length ? Math.min(...valid) : SENTINEL;
    const bestSplits = [0, 1, 2].map((k) =>
      Math.min(
        SENTINEL,
        ...(c.splits ?? []).filter((_, j) => !(c.invalid ?? []).includes(j)).map((sp) => sp[k]!),
      )
    );
    const driver = {
      firstName: c.first ?? "Test",
      lastName: c.last ?? c.playerId,
      shortName: "TST",
      playerId: c.playerId,
    };
    const crew = (c.crew ?? []).map((d) => ({
      firstName: d.first,
      lastName: d.last,
      shortName: "TST",
      playerId: d.playerId,
    }));
    return {
      car: {
        carId: 1001 + i,
        raceNumber: 10 + i,
        carModel: c.carModel ?? 30,
        cupCategory: 0,
        carGroup: "GT3",
        teamName: "",
        nationality: 0,
        carGuid: -1,
        teamGuid: -1,
        drivers: [driver, ...crew],
      },
      currentDriver: driver,
      currentDriverIndex: 0,
      timing: {
        lastLap: c.laps.at(-1) ?? SENTINEL,
        lastSplits: [],
        bestLap: best,
        bestSplits,
        totalTime: c.laps.reduce((a, b) => a + b, 0) || SENTINEL,
        lapCount: c.laps.length,
        lastSplitId: c.laps.length ? 2 : 4294967295,
      },
      missingMandatoryPitstop: -1,
      driverTotalTimes: [0.0],
    };
  });
  const penalties = opts.cars.flatMap((c, i) =>
    c.dsq
      ? [{
        carId: 1001 + i,
        driverIndex: 0,
        reason: "WrongWay",
        penalty: "Disqualified",
        penaltyValue: 0,
        violationInLap: 1,
        clearedInLap: 0,
      }]
      : []
  );
  const body = JSON.stringify(
    {
      trackName: opts.track ?? "monza",
      sessionIndex: 0,
      raceWeekendIndex: 0,
      metaData: opts.track ?? "monza",
      serverName: opts.server ?? "Podium test server",
      sessionResult: {
        bestlap: SENTINEL,
        bestSplits: [SENTINEL, SENTINEL, SENTINEL],
        isWetSession: 0,
        type: type.startsWith("R") ? 1 : 0,
        leaderBoardLines: lines,
      },
      laps,
      penalties,
      post_race_penalties: [],
    },
    null,
    4,
  );
  // Real servers write "sessionType" twice: first, and again after serverName.
  return body
    .replace("{\n", `{\n    "sessionType": "${type}",\n`)
    .replace(/("serverName": [^\n]*,\n)/, `$1    "sessionType": "${type}",\n`);
}

/** UTF-16LE without BOM, as ACC servers write. */
export function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >> 8;
  }
  return out;
}

/** The bytes of an ACC result file. */
export function accFile(opts: Parameters<typeof accFileText>[0]): Uint8Array {
  return utf16le(accFileText(opts));
}
