import assert from "node:assert/strict";
import { accFormat } from "@/games/acc/parser.ts";
import { accCar } from "@/games/acc/cars.ts";
import { accTrackName, baseAccTrack } from "@/games/acc/tracks.ts";
import { decodeText } from "@/ingest/decode.ts";
import type { FileContext, NormalizedSession, ParseOutcome } from "@/games/racing/types.ts";
import { listSamples, readSample, sampleTest } from "@/tests/_samples.ts";

// Fixtures in the real server's shape (docs/racing-formats.md B4), built in code.
const NO_TIME = 2147483647;
type Json = Record<string, unknown>;

function driver(firstName: string, lastName: string, playerId: string, shortName = "DRV") {
  return { firstName, lastName, shortName, playerId };
}

type LineOpts = { model?: number; drivers?: Json[]; current?: number; timing?: Json };

function line(carId: number, opts: LineOpts = {}) {
  const drivers = opts.drivers ?? [driver("Ann", "Ace", `S7656119${carId}`)];
  const current = opts.current ?? 0;
  return {
    car: {
      carId,
      raceNumber: carId - 1000,
      carModel: opts.model ?? 30,
      cupCategory: 0,
      carGroup: "GT3",
      teamName: "",
      nationality: 0,
      carGuid: -1,
      teamGuid: -1,
      drivers,
    },
    currentDriver: drivers[current],
    currentDriverIndex: current,
    timing: {
      lastLap: 91000,
      lastSplits: [30000, 30000, 31000],
      bestLap: 90000,
      bestSplits: [30000, 30000, 30000],
      totalTime: 181000,
      lapCount: 2,
      lastSplitId: 2,
      ...opts.timing,
    },
    missingMandatoryPitstop: -1,
    driverTotalTimes: [181000.0],
  };
}

function lap(carId: number, laptime: number, isValidForBest = true, driverIndex = 0) {
  const s = Math.floor(laptime / 3);
  return { carId, driverIndex, laptime, isValidForBest, splits: [s, s, laptime - 2 * s] };
}

function accJson(sessionType: string, lines: Json[], laps: Json[], extra: Json = {}): Json {
  return {
    sessionType,
    trackName: "monza",
    sessionIndex: 0,
    raceWeekendIndex: 0,
    metaData: "monza",
    serverName: "Podium test",
    sessionResult: {
      bestlap: 90000,
      bestSplits: [30000, 30000, 30000],
      isWetSession: 0,
      type: sessionType.startsWith("R") ? 1 : 0,
      leaderBoardLines: lines,
    },
    laps,
    penalties: [],
    post_race_penalties: [],
    ...extra,
  };
}

const dsq = (carId: number) => ({
  carId,
  driverIndex: 0,
  reason: "WrongWay",
  penalty: "Disqualified",
  penaltyValue: 0,
  violationInLap: 3,
  clearedInLap: 0,
});

function parse(json: unknown, file: Partial<FileContext> = {}): ParseOutcome {
  const text = typeof json === "string" ? json : JSON.stringify(json);
  return accFormat.parse(text, { name: "260715_200000_Q.json", ...file });
}

function parsed(json: unknown, file: Partial<FileContext> = {}): NormalizedSession {
  const out = parse(json, file);
  if (out.status !== "parsed") assert.fail(`expected parsed, got ${out.status}: ${out.reason}`);
  return out.session;
}

function reason(out: ParseOutcome, status: "skipped" | "rejected"): string {
  if (out.status !== status) assert.fail(`expected ${status}, got ${JSON.stringify(out).slice(0, 200)}`);
  return out.reason;
}

const twoCars = () => accJson("Q", [line(1001), line(1002)], [lap(1001, 90000), lap(1002, 91000)]);

Deno.test("accFormat.parse() keeps the last of the duplicated sessionType keys", () => {
  const body = JSON.stringify(twoCars(), null, 4).replace('"sessionType": "Q"', '"sessionType": "FP"');
  const text = body.replace(
    '"serverName": "Podium test",',
    '"serverName": "Podium test",\n    "sessionType": "R",',
  );
  assert.equal(text.match(/"sessionType"/g)?.length, 2);
  const s = parsed(text);
  assert.equal(s.sessionType, "R");
  assert.equal(s.kind, "R");
});

Deno.test("accFormat.parse() maps time sentinels to null and keeps lastSplitId 4294967295", () => {
  const noLap = {
    bestLap: NO_TIME,
    bestSplits: [NO_TIME, NO_TIME, NO_TIME],
    totalTime: NO_TIME,
    lastSplitId: 4294967295,
  };
  const zeros = { bestLap: 0, bestSplits: [0, 0, 0], totalTime: 0, lapCount: 0 };
  const s = parsed(
    accJson("Q", [line(1001), line(1002, { timing: noLap }), line(1003, { timing: zeros })], []),
  );
  assert.deepEqual(s.cars.map((c) => c.bestLapMs), [90000, null, null]);
  assert.deepEqual(s.cars.map((c) => c.totalTimeMs), [181000, null, null]);
  assert.deepEqual(s.cars.map((c) => c.bestSplitsMs), [[30000, 30000, 30000], null, null]);
  assert.deepEqual(s.cars.map((c) => c.lapCount), [2, 2, 0]);
});

Deno.test("accFormat.parse() disqualifies a car from post_race_penalties but keeps its best lap", () => {
  const json = accJson("Q", [line(1001), line(1002)], [lap(1001, 90000), lap(1002, 89000)], {
    penalties: [{ ...dsq(1001), penalty: "DriveThrough", reason: "Cutting", penaltyValue: 3 }],
    post_race_penalties: [dsq(1002)],
  });
  const s = parsed(json);
  assert.deepEqual(s.cars.map((c) => c.disqualified), [false, true]);
  assert.equal(s.cars[1]!.bestLapMs, 90000);
  assert.deepEqual(s.cars[1]!.penalties, [
    {
      driverIndex: 0,
      reason: "WrongWay",
      penalty: "Disqualified",
      value: 0,
      violationInLap: 3,
      clearedInLap: 0,
      postRace: true,
    },
  ]);
  assert.equal(s.cars[0]!.penalties[0]!.postRace, false);
  assert.deepEqual(s.laps.map((l) => l.countsForBest), [true, false]);
  assert.deepEqual(s.laps.map((l) => l.valid), [true, true]);
});

Deno.test("accFormat.parse() credits each lap to the driver who drove it, not the current driver", () => {
  const drivers = [driver("Ann", "Ace", "S1"), driver("Bob", "Brake", "S2"), driver("Cy", "Curb", "S3")];
  const laps = [
    lap(1001, 95000, false, 0),
    lap(1001, 90000, true, 0),
    lap(1001, 92000, true, 1),
    lap(1001, 93000, true, 9),
  ];
  const s = parsed(accJson("Q", [line(1001, { drivers, current: 2 })], laps));
  assert.deepEqual(
    s.laps.map((l) => l.driver),
    [0, 0, 1, 2],
    "out of range falls back to currentDriverIndex",
  );
  assert.deepEqual(s.cars[0]!.drivers.map((d) => d.id), ["S1", "S2", "S3"]);
  assert.deepEqual(s.laps[2]!.splitsMs, [30666, 30666, 30668]);
});

Deno.test("accFormat.parse() drops laps of a car missing from leaderBoardLines", () => {
  const s = parsed(accJson("Q", [line(1002)], [lap(1001, 80000), lap(1002, 90000), lap(1001, 81000)]));
  assert.equal(s.laps.length, 1);
  assert.deepEqual({ car: s.laps[0]!.car, lapMs: s.laps[0]!.lapMs }, { car: 0, lapMs: 90000 });
});

Deno.test("accFormat.parse() never counts race lap 1 of a car, only in races", () => {
  const laps = [lap(1001, 400000), lap(1002, 401000), lap(1001, 90000), lap(1002, 91000, false)];
  const race = parsed(accJson("R", [line(1001), line(1002)], laps));
  assert.deepEqual(race.laps.map((l) => l.countsForBest), [false, false, true, false]);
  assert.deepEqual(race.laps.map((l) => l.valid), [true, true, true, false]);
  const quali = parsed(accJson("Q", [line(1001), line(1002)], laps));
  assert.deepEqual(quali.laps.map((l) => l.countsForBest), [true, true, true, false]);
});

Deno.test("accFormat.parse() maps FP, Q1/Q2 and R1/R2 to kinds and keeps the raw type", () => {
  for (const [type, kind] of [["FP", "FP"], ["Q", "Q"], ["Q2", "Q"], ["R", "R"], ["R1", "R"], ["R2", "R"]]) {
    const s = parsed(accJson(type!, [line(1001)], [lap(1001, 90000)]));
    assert.deepEqual([s.kind, s.sessionType], [kind, type]);
  }
  assert.equal(
    reason(parse(accJson("HOTLAP", [line(1001)], [])), "rejected"),
    'unknown ACC session type "HOTLAP"',
  );
});

Deno.test("accFormat.parse() skips entry lists and sessions nobody drove", () => {
  const entryList = { entries: [{ drivers: [{ playerID: "S1" }], raceNumber: 1 }], forceEntryList: 1 };
  assert.equal(
    reason(parse(twoCars(), { name: "221008_224809_entrylist.json" }), "skipped"),
    "entry list, not a result",
  );
  assert.equal(reason(parse(entryList, { name: "entries.json" }), "skipped"), "entry list, not a result");
  const empty = accJson("Q", [], [], { raceWeekendIndex: -1 });
  assert.equal(reason(parse(empty), "skipped"), "empty session: nobody drove");
});

Deno.test("accFormat.parse() rejects garbage and damaged files with a reason instead of throwing", () => {
  const broken = (mutate: (j: Json) => void) => {
    const j = twoCars();
    mutate(j);
    return reason(parse(j), "rejected");
  };
  assert.match(reason(parse("garbage"), "rejected"), /^not valid JSON \(.+\)$/);
  assert.match(reason(parse('{"sessionType": "Q",'), "rejected"), /^not valid JSON/);
  assert.equal(reason(parse("[]"), "rejected"), "not ACC result JSON: the top level is not an object");
  assert.equal(reason(parse("null"), "rejected"), "not ACC result JSON: the top level is not an object");
  assert.match(
    reason(parse({ sessionType: "Q", trackName: "spa" }), "rejected"),
    /^not ACC result JSON: sessionResult is missing/,
  );
  assert.equal(
    broken((j) => (j.sessionResult as Json).leaderBoardLines = {}),
    "not ACC result JSON: sessionResult.leaderBoardLines is not an array",
  );
  assert.equal(
    broken((j) =>
      ((j.sessionResult as Json).leaderBoardLines as Json[])[1]!.timing = { bestLap: "1:30.000" }
    ),
    "not ACC result JSON: sessionResult.leaderBoardLines[1].timing.bestLap is not a number (and 2 more problems)",
  );
  assert.equal(broken((j) => j.laps = "none"), "not ACC result JSON: laps is not an array");
  assert.equal(
    broken((j) => (j.laps as Json[])[1]!.laptime = null),
    "not ACC result JSON: laps[1].laptime is not a number",
  );
  assert.equal(
    broken((j) => delete (j.laps as Json[])[0]!.splits),
    "not ACC result JSON: laps[0].splits is missing",
  );
  assert.equal(broken((j) => (j.laps as unknown[])[0] = 5), "not ACC result JSON: laps[0] is not an object");
  assert.equal(
    broken((j) => j.penalties = [{ carId: 1001 }]),
    "not ACC result JSON: penalties[0].penalty is missing",
  );
  assert.equal(broken((j) => j.trackName = ""), "not ACC result JSON: trackName is empty");
});

Deno.test("accFormat.parse() reads 2019 files without serverName, metaData, carGroup, laps or penalties", () => {
  const old = accJson("R", [line(1001)], []);
  for (
    const key of ["raceWeekendIndex", "metaData", "serverName", "post_race_penalties", "laps", "penalties"]
  ) {
    delete old[key];
  }
  const car = ((old.sessionResult as Json).leaderBoardLines as { car: Json }[])[0]!.car;
  delete car.carGroup, delete car.carGuid, delete car.teamGuid;
  const s = parsed(old);
  assert.equal(s.serverName, undefined);
  assert.equal("serverName" in s, false, "no undefined keys are stored");
  assert.deepEqual(s.laps, []);
  assert.deepEqual(s.cars[0]!.penalties, []);
  assert.equal(s.wet, false);
  assert.equal(
    parsed({ ...old, sessionResult: { ...old.sessionResult as Json, isWetSession: 1 } }).wet,
    true,
  );
});

Deno.test("accFormat.parse() strips the year suffix from track ids and names the track", () => {
  const s = parsed(accJson("Q", [line(1001)], [], { trackName: "monza_2020" }));
  assert.deepEqual([s.track, s.trackRaw, s.trackName], ["monza", "monza_2020", "Monza"]);
  assert.equal(baseAccTrack("silverstone_2019"), "silverstone");
  assert.equal(baseAccTrack("nurburgring_24h"), "nurburgring_24h");
  assert.equal(accTrackName("nurburgring_24h"), "Nürburgring 24h");
  assert.equal(accTrackName("spa"), "Spa-Francorchamps");
  assert.equal(accTrackName("mount_panorama_2019"), "Mount Panorama");
  assert.equal(accTrackName("new_track_2026"), "New Track");
});

Deno.test("accFormat.parse() takes the class from the model table, not carGroup", () => {
  const lines = [
    line(1001, { model: 30 }),
    line(1002, { model: 27 }),
    line(1003, { model: 26 }),
    line(1004, { model: 99 }),
  ];
  for (const l of lines) l.car.carGroup = "CHL";
  const s = parsed(accJson("Q", lines, []));
  assert.deepEqual(s.cars.map((c) => c.car.class), ["GT3", "TCX", "GTC", "Unknown"]);
  assert.deepEqual(s.cars[0]!.car, { model: "30", name: "BMW M4 GT3 (2022)", class: "GT3" });
  assert.equal(s.cars[3]!.car.name, "Unknown (99)");
  assert.deepEqual([accCar(61).class, accCar(86).class, accCar(9).class, accCar(18).class], [
    "GT4",
    "GT2",
    "GTC",
    "GTC",
  ]);
  assert.equal(accCar(54).name, "Unknown (54)");
});

Deno.test("accFormat.parse() reads the finish time from the file name in the server's zone", () => {
  const json = accJson("R", [line(1001)], []);
  const berlin = parsed(json, { name: "221008_224809_Q.json", timeZone: "Europe/Berlin" });
  assert.equal(berlin.finishedAt.toISOString(), "2022-10-08T20:48:09.000Z");
  assert.equal(berlin.timeSource, "file-name");
  assert.equal(berlin.kind, "R", "the content's session type wins over the name's");
  assert.equal(
    reason(parse(json, { name: "221008_224809_R.json", timeZone: "Mars/Olympus" }), "rejected"),
    'cannot date the session: unknown time zone "Mars/Olympus"',
  );
  const utc = parsed(json, { name: "221231_235959_R.json" });
  assert.equal(utc.finishedAt.toISOString(), "2022-12-31T23:59:59.000Z");
  const mtime = new Date("2024-05-01T10:00:00Z");
  const byMtime = parsed(json, { name: "Session_R.json", modifiedAt: mtime });
  assert.deepEqual([byMtime.finishedAt, byMtime.timeSource], [mtime, "file-mtime"]);
  const before = Date.now();
  const now = parsed(json, { name: "race.json" });
  assert.equal(now.timeSource, "import-time");
  assert.ok(now.finishedAt.getTime() >= before);
});

Deno.test("accFormat.parse() builds a stable id and a name for drivers without playerId", () => {
  const drivers = [
    driver("Alberto", "For", ""),
    driver("", "DUKE", ""),
    driver("", "", "", "XYZ"),
    driver("", "", "", ""),
    driver("Jörg", "O'Neil | FSR", "76561198000000000"),
  ];
  const s = parsed(accJson("Q", [line(1001, { drivers })], []));
  assert.deepEqual(s.cars[0]!.drivers, [
    { id: "acc:alberto-for", name: "Alberto For" },
    { id: "acc:duke", name: "DUKE" },
    { id: "acc:xyz", name: "XYZ" },
    { id: "acc:unknown-driver", name: "Unknown driver" },
    { id: "76561198000000000", name: "Jörg O'Neil | FSR" },
  ]);
});

Deno.test("accFormat.detect() claims ACC names and ACC content only", () => {
  const text = JSON.stringify(twoCars());
  assert.equal(accFormat.detect(text, { name: "whatever.json" }), true);
  assert.equal(accFormat.detect("{}", { name: "230602_205740_Q2.json" }), true);
  assert.equal(
    accFormat.detect('{"TrackName": "monza", "Result": []}', { name: "2019_2_15_21_16_RACE.json" }),
    false,
  );
});

// Real server files (read in place, see tests/_samples.ts).

function parseSample(rel: string, file: Partial<FileContext> = {}): ParseOutcome {
  return accFormat.parse(decodeText(readSample(rel)), { name: rel.split("/").pop()!, ...file });
}

function sample(rel: string): NormalizedSession {
  const out = parseSample(rel);
  if (out.status !== "parsed") assert.fail(`${rel}: ${out.status}: ${out.reason}`);
  return out.session;
}

sampleTest(
  "accFormat.parse() reads the kyalami endurance race: DSQ last, multi-driver laps, GT3 and GT4",
  () => {
    const s = sample("acc/simdesk/221008_224809_R.json");
    assert.deepEqual([s.track, s.kind, s.cars.length, s.laps.length], ["kyalami", "R", 39, 6192]);
    assert.equal(s.finishedAt.toISOString(), "2022-10-08T22:48:09.000Z");
    const last = s.cars[38]!;
    assert.deepEqual([last.position, last.disqualified, last.bestLapMs], [39, true, 101985]);
    assert.equal(last.penalties[0]!.reason, "PitSpeeding");
    assert.equal(s.cars.filter((c) => c.disqualified).length, 1);
    assert.deepEqual([...new Set(s.cars.map((c) => c.car.class))].sort(), ["GT3", "GT4"]);
    // Car 3 (carId 1010) ended with driver 1; driver 0 drove 119 of its 209 laps.
    const third = s.cars[2]!;
    const laps = s.laps.filter((l) => l.car === 2);
    assert.deepEqual(third.drivers.map((d) => d.name), ["Christoph Friedrich", "Simon Pörtner"]);
    assert.deepEqual([laps.filter((l) => l.driver === 0).length, laps.filter((l) => l.driver === 1).length], [
      119,
      90,
    ]);
    const bestOf = (d: number) =>
      Math.min(...laps.filter((l) => l.driver === d && l.valid).map((l) => l.lapMs));
    assert.deepEqual([bestOf(0), bestOf(1)], [101977, 101655]);
    assert.equal(s.laps.filter((l) => !l.valid).length, 1333);
    assert.ok(s.cars.some((c) => c.drivers.some((d) => d.id === "acc:fabriciocer03-fabriciocer03")));
    assert.deepEqual(
      [...new Set(s.cars.map((c) => c.missingMandatoryPitstop))].sort((a, b) => a! - b!),
      [-4, -2, -1, 0, 1, 3, 4, 5],
    );
  },
);

sampleTest("accFormat.parse() reads the UTF-8 nurburgring demo with 5 DSQs kept in place", () => {
  const s = sample("acc/simdesk/Session_R.json");
  assert.deepEqual([s.track, s.cars.length, s.laps.length, s.timeSource], [
    "nurburgring",
    50,
    11235,
    "import-time",
  ]);
  assert.deepEqual(s.cars.filter((c) => c.disqualified).map((c) => c.position), [19, 23, 27, 30, 41]);
  assert.ok(s.laps.every((l) => !s.cars[l.car]!.disqualified || !l.countsForBest));
  const post = s.cars.flatMap((c) =>
    c.penalties.filter((p) => p.postRace).map((p) => [c.carId, p.penalty, p.value])
  );
  assert.deepEqual(post, [[1008, "PostRaceTime", 30]]);
  assert.ok(!s.cars.some((c) => ["CHL", "CUP", "ST"].includes(c.car.class)), "carGroup is not trusted");
  assert.ok(s.cars.some((c) => c.car.class === "TCX"));
});

sampleTest(
  "accFormat.parse() reads 2019 files: year-suffixed track, no server name, unknown-car laps",
  () => {
    const s = sample("acc/simresults/race.to.fix.positions.json");
    assert.deepEqual([s.track, s.trackRaw, s.trackName], ["silverstone", "silverstone_2019", "Silverstone"]);
    assert.deepEqual([s.kind, s.cars.length, s.laps.length, s.serverName], ["R", 40, 820, undefined]);
    const unknown = sample("acc/simresults/laps.with.unknown.carid.json");
    assert.deepEqual([unknown.cars.length, unknown.laps.length, unknown.wet], [2, 17, true]);
    const q2 = sample("acc/simdesk/230602_205740_Q2.json");
    assert.deepEqual([q2.kind, q2.sessionType, q2.track, q2.cars.length], ["Q", "Q2", "spa", 49]);
  },
);

sampleTest("accFormat.parse() skips the empty samples and rejects the damaged one", () => {
  for (const rel of ["acc/simdesk/221018_194925_Q.json", "acc/thiagocorreatac/250311_200152_Q.json"]) {
    assert.equal(reason(parseSample(rel), "skipped"), "empty session: nobody drove");
  }
  const bytes = readSample("acc/simdesk-damaged/221012_215932_R.json");
  assert.throws(() => decodeText(bytes), /NUL/);
  for (const enc of ["utf-16le", "utf-8"]) {
    const text = new TextDecoder(enc).decode(bytes);
    assert.match(
      reason(accFormat.parse(text, { name: "221012_215932_R.json" }), "rejected"),
      /^not valid JSON/,
    );
  }
});

sampleTest("accFormat.parse() gives every ACC sample a verdict and agrees with the game's own timing", () => {
  for (const rel of listSamples("acc")) {
    let text: string;
    try {
      text = decodeText(readSample(rel));
    } catch {
      continue; // the damaged sample, covered above
    }
    const out = accFormat.parse(text, { name: rel.split("/").pop()! });
    if (out.status !== "parsed") {
      assert.ok(out.reason.length > 5, rel);
      continue;
    }
    // timing.bestLap is the best valid lap and lapCount the number of laps (B5, 653/653 lines).
    out.session.cars.forEach((car, i) => {
      const laps = out.session.laps.filter((l) => l.car === i);
      const valid = laps.filter((l) => l.valid).map((l) => l.lapMs);
      assert.equal(car.bestLapMs, valid.length ? Math.min(...valid) : null, `${rel} car ${car.carId}`);
      assert.equal(car.lapCount, laps.length, `${rel} car ${car.carId}`);
      if (out.session.kind === "R" && laps[0]) assert.equal(laps[0].countsForBest, false);
    });
  }
});
