import assert from "node:assert/strict";
import { acFormat } from "@/games/ac/parser.ts";
import { decodeText } from "@/ingest/decode.ts";
import type { FileContext, NormalizedSession, ParseOutcome } from "@/games/racing/types.ts";
import { listSamples, readSample, sampleTest } from "@/tests/_samples.ts";

const NO_TIME = 999999999;
type Json = Record<string, unknown>;

/** A Result row in acServer's shape; an empty GUID is an empty entry-list slot. */
function row(guid: string, carId: number, best = NO_TIME, total = 0, extra: Json = {}): Json {
  const name = guid ? `Driver ${guid}` : "";
  return {
    DriverName: name,
    DriverGuid: guid,
    CarId: carId,
    CarModel: "ks_mazda_mx5_cup",
    BestLap: best,
    TotalTime: total,
    BallastKG: 0,
    Restrictor: 0,
    ...extra,
  };
}

function lap(guid: string, carId: number, ms: number, extra: Json = {}): Json {
  return {
    DriverName: `Driver ${guid}`,
    DriverGuid: guid,
    CarId: carId,
    CarModel: "ks_mazda_mx5_cup",
    Timestamp: 1000,
    LapTime: ms,
    Sectors: [Math.floor(ms / 3), Math.floor(ms / 3), ms - 2 * Math.floor(ms / 3)],
    Cuts: 0,
    BallastKG: 0,
    Tyre: "SM",
    Restrictor: 0,
    ...extra,
  };
}

function car(guid: string, carId: number, team = ""): Json {
  return {
    CarId: carId,
    Driver: { Name: guid ? `Driver ${guid}` : "", Team: team, Nation: "", Guid: guid, GuidsList: [guid] },
    Model: "ks_mazda_mx5_cup",
    Skin: "",
    BallastKG: 0,
    Restrictor: 0,
  };
}

function acFile(extra: Json = {}): Json {
  return {
    TrackName: "ks_vallelunga",
    TrackConfig: "extended_circuit",
    Type: "QUALIFY",
    DurationSecs: 600,
    RaceLaps: 0,
    Cars: [car("1", 0, "Team One"), car("2", 1)],
    Result: [row("1", 0, 90000, 450000), row("2", 1, 91000, 460000)],
    Laps: [lap("1", 0, 90000), lap("2", 1, 91000)],
    Events: [],
    ...extra,
  };
}

function parse(file: unknown, ctx: Partial<FileContext> = {}): ParseOutcome {
  return acFormat.parse(typeof file === "string" ? file : JSON.stringify(file), { name: "x.json", ...ctx });
}

function parsed(file: unknown, ctx: Partial<FileContext> = {}): NormalizedSession {
  const outcome = parse(file, ctx);
  if (outcome.status !== "parsed") throw new Error(`expected parsed, got ${JSON.stringify(outcome)}`);
  return outcome.session;
}

Deno.test("acFormat.parse() turns the 999999999 sentinel into no lap", () => {
  const s = parsed(acFile({ Result: [row("1", 0, 90000, 450000), row("2", 1)], Laps: [lap("1", 0, 90000)] }));
  assert.equal(s.cars[1]!.bestLapMs, null);
  assert.equal(s.cars[1]!.totalTimeMs, null);
  assert.equal(s.cars[1]!.bestSplitsMs, null);
  assert.equal(s.cars[1]!.lapCount, 0);
  assert.equal(s.cars[0]!.bestLapMs, 90000);
  assert.equal(s.cars[0]!.totalTimeMs, 450000);
});

Deno.test("acFormat.parse() skips empty entry-list slots in Result, Cars and Laps", () => {
  const s = parsed(acFile({
    Cars: [car("", 0), car("1", 1), car("", 2), car("2", 3)],
    Result: [row("1", 1, 90000, 1), row("", 0), row("", 2), row("2", 3, 91000, 1)],
    Laps: [lap("", 0, 95000), lap("1", 1, 90000), lap("2", 3, 91000)],
  }));
  assert.deepEqual(s.cars.map((c) => [c.position, c.carId, c.drivers[0]!.id]), [[1, 1, "1"], [2, 3, "2"]]);
  assert.deepEqual(s.laps.map((l) => l.car), [0, 1]);
});

Deno.test("acFormat.parse() marks a lap with cuts invalid and keeps the best valid lap's sectors", () => {
  const s = parsed(acFile({
    Result: [row("1", 0, 90000, 1)],
    Laps: [lap("1", 0, 90000, { Sectors: [30000, 30000, 30000] }), lap("1", 0, 89000, { Cuts: 2 })],
  }));
  assert.deepEqual(s.laps.map((l) => [l.valid, l.countsForBest, l.cuts]), [[true, true, 0], [
    false,
    false,
    2,
  ]]);
  assert.deepEqual(s.cars[0]!.bestSplitsMs, [30000, 30000, 30000]);
  assert.equal(s.cars[0]!.lapCount, 2);
  assert.equal(s.laps[1]!.tyre, "SM");
});

Deno.test("acFormat.parse() keeps 2-sector laps of layouts with two sectors", () => {
  const s = parsed(acFile({ Laps: [lap("1", 0, 90000, { Sectors: [50000, 40000] })] }));
  assert.deepEqual(s.laps[0]!.splitsMs, [50000, 40000]);
  assert.deepEqual(s.cars[0]!.bestSplitsMs, [50000, 40000]);
});

Deno.test("acFormat.parse() accepts Events null and files without optional keys", () => {
  const bare = (r: Json) => {
    const { Tyre: _t, Restrictor: _r, ...rest } = r;
    return rest;
  };
  const s = parsed(acFile({ Events: null, Cars: undefined, Result: [bare(row("1", 0, 90000, 1))] }));
  assert.equal(s.cars.length, 2); // car "2" only has a lap
  assert.equal(s.cars[0]!.restrictor, undefined);
  assert.equal(s.cars[0]!.teamName, undefined);
  const noTyre = parsed(acFile({ Laps: [bare(lap("1", 0, 90000))] }));
  assert.equal(noTyre.laps[0]!.tyre, undefined);
});

Deno.test("acFormat.parse() merges duplicate GUID rows and drops a reconnecting driver's unused slot", () => {
  const s = parsed(acFile({
    Type: "RACE",
    Result: [
      row("1", 0, 90000, 0),
      row("2", 1, 91000, 500000),
      row("1", 0, 89500, 480000), // same driver, same car: merged into position 1
      row("2", 5), // booked slot of driver 2, no time and no laps: dropped
      row("3", 2),
      row("3", 3, 93000, 520000), // driver 3 really drove a second car: kept
    ],
    Laps: [lap("1", 0, 89500), lap("2", 1, 91000), lap("3", 3, 93000)],
  }));
  assert.deepEqual(
    s.cars.map((c) => [c.position, c.drivers[0]!.id, c.carId, c.bestLapMs, c.totalTimeMs]),
    [[1, "1", 0, 89500, 480000], [2, "2", 1, 91000, 500000], [3, "3", 2, null, null], [
      4,
      "3",
      3,
      93000,
      520000,
    ]],
  );
  assert.deepEqual(s.laps.map((l) => l.car), [0, 1, 3]);
});

Deno.test("acFormat.parse() adds a driver with laps but no Result row as an unclassified car", () => {
  const s = parsed(acFile({
    Result: [row("1", 0, 90000, 1)],
    Laps: [lap("9", 0, 95000), lap("1", 0, 90000), lap("9", 0, 94000, { Cuts: 1 }), lap("9", 0, 96000)],
  }));
  const extra = s.cars[1]!;
  assert.deepEqual([extra.position, extra.carId, extra.drivers[0]!.name], [2, 0, "Driver 9"]);
  assert.equal(extra.bestLapMs, 95000);
  assert.equal(extra.totalTimeMs, null);
  assert.equal(extra.lapCount, 3);
  assert.deepEqual(s.laps.map((l) => l.car), [1, 0, 1, 1]);
});

Deno.test("acFormat.parse() builds the track identity with and without a layout", () => {
  const red = parsed(acFile({ TrackName: "ks_red_bull_ring", TrackConfig: "layout_national" }));
  assert.equal(red.track, "ks_red_bull_ring@layout_national");
  assert.equal(red.trackRaw, "ks_red_bull_ring@layout_national");
  assert.equal(red.trackName, "Red Bull Ring National");
  const monza = parsed(acFile({ TrackName: "monza", TrackConfig: "" }));
  assert.deepEqual([monza.track, monza.trackRaw, monza.trackName], ["monza", "monza", "Monza"]);
  assert.equal(monza.game, "ac");
  assert.equal(monza.wet, false);
});

Deno.test("acFormat.parse() maps session types and skips the others", () => {
  const kinds = ["PRACTICE", "QUALIFY", "RACE"].map((Type) => parsed(acFile({ Type })));
  assert.deepEqual(kinds.map((s) => s.kind), ["FP", "Q", "R"]);
  assert.deepEqual(kinds.map((s) => s.sessionType), ["PRACTICE", "QUALIFY", "RACE"]);
  assert.deepEqual(parse(acFile({ Type: "BOOKING" })), {
    status: "skipped",
    reason: 'unsupported AC session type "BOOKING"',
  });
  assert.equal(parse(acFile({ Result: [row("", 0)], Laps: [] })).status, "skipped");
});

Deno.test("acFormat.parse() reads an unpadded file name in the server's time zone", () => {
  const s = parsed(acFile(), { name: "results/2025_11_6_2_32_RACE.json", timeZone: "America/Chicago" });
  assert.equal(s.timeSource, "file-name");
  assert.equal(s.finishedAt.toISOString(), "2025-11-06T08:32:00.000Z"); // CST, UTC-6
  const summer = parsed(acFile(), { name: "2019_7_4_9_5_PRACTICE.json", timeZone: "America/Chicago" });
  assert.equal(summer.finishedAt.toISOString(), "2019-07-04T14:05:00.000Z"); // CDT, UTC-5
});

Deno.test("acFormat.parse() falls back to Server Manager's Date, then mtime, then now", () => {
  const dated = parsed(acFile({ Date: "2019-02-15T21:08:00+01:00", Server: "Podium #1" }), {
    name: "a.json",
  });
  assert.deepEqual([dated.finishedAt.toISOString(), dated.timeSource], [
    "2019-02-15T20:08:00.000Z",
    "file-content",
  ]);
  assert.equal(dated.serverName, "Podium #1");
  const mtime = new Date("2024-05-01T10:00:00Z");
  const zero = parsed(acFile({ Date: "0001-01-01T00:00:00Z" }), { name: "a.json", modifiedAt: mtime });
  assert.deepEqual([zero.finishedAt, zero.timeSource], [mtime, "file-mtime"]);
  const before = Date.now();
  const now = parsed(acFile({ Date: 5 }), { name: "a.json" });
  assert.equal(now.timeSource, "import-time");
  assert.ok(now.finishedAt.getTime() >= before);
  assert.equal(now.serverName, undefined);
});

Deno.test("acFormat.parse() rejects garbage with a reason naming the field", () => {
  const cases: [unknown, string][] = [
    ["{ not json", "not valid JSON ("],
    ["[1, 2]", "not AC result JSON: the top level is not an object"],
    [acFile({ Result: undefined }), 'not AC result JSON: "Result" is missing'],
    [acFile({ Result: {} }), 'not AC result JSON: "Result" is not an array'],
    [acFile({ TrackName: 7 }), 'not AC result JSON: "TrackName" is not a string'],
    [acFile({ Result: [row("1", 0, 90000, 1, { BestLap: "fast" })] }), '"Result[0].BestLap" is not a number'],
    [acFile({ Laps: [lap("1", 0, 1, { Sectors: ["a"] })] }), '"Laps[0].Sectors" is not an array of numbers'],
    [acFile({ Laps: [{ DriverGuid: "1", CarId: 0, Cuts: 0, Sectors: [] }] }), '"Laps[0].LapTime" is missing'],
    [acFile({ Laps: [null] }), 'not AC result JSON: "Laps[0]" is not an object'],
    [acFile({ Laps: "many" }), 'not AC result JSON: "Laps" is not an array'],
  ];
  for (const [file, reason] of cases) {
    const outcome = parse(file);
    assert.equal(outcome.status, "rejected", JSON.stringify(outcome));
    const got = (outcome as { reason: string }).reason;
    assert.ok(got.includes(reason), `${got} should include ${reason}`);
    assert.ok(!got.endsWith(".") && !got.includes("\n"), got);
  }
});

Deno.test("acFormat.parse() never lets a disqualified row's laps count for best", () => {
  const s = parsed(acFile({
    Result: [
      row("1", 0, 90000, 1, {
        HasPenalty: true,
        PenaltyTime: 5_000_000_000,
        LapPenalty: 1,
        Disqualified: true,
      }),
      row("2", 1, 91000, 1, { HasPenalty: false, PenaltyTime: 0, LapPenalty: 0, Disqualified: false }),
    ],
  }));
  const [dsq, clean] = s.cars;
  assert.equal(dsq!.disqualified, true);
  assert.equal(dsq!.bestLapMs, 90000);
  assert.deepEqual(dsq!.penalties.map((p) => [p.penalty, p.value, p.reason, p.postRace]), [
    ["PostRaceTime", 5, "ServerPenalty", true],
    ["LapPenalty", 1, "ServerPenalty", true],
    ["Disqualified", 0, "ServerPenalty", true],
  ]);
  assert.deepEqual([s.laps[0]!.valid, s.laps[0]!.countsForBest], [true, false]);
  assert.deepEqual([clean!.disqualified, clean!.penalties, s.laps[1]!.countsForBest], [false, [], true]);
});

Deno.test("acFormat.parse() describes cars, drivers and teams", () => {
  const s = parsed(acFile({ Result: [row("1", 0, 90000, 1, { BallastKG: 20, Restrictor: 10 })] }));
  const c = s.cars[0]!;
  assert.deepEqual(c.car, { model: "ks_mazda_mx5_cup", name: "Mazda MX-5 Cup", class: "ks_mazda_mx5_cup" });
  assert.deepEqual(c.drivers, [{ id: "1", name: "Driver 1" }]);
  assert.deepEqual([c.teamName, c.ballastKg, c.restrictor], ["Team One", 20, 10]);
  assert.equal(s.laps[0]!.driver, 0);
});

Deno.test("acFormat.detect() recognises AC results by content or name", () => {
  assert.equal(acFormat.detect(JSON.stringify(acFile()), { name: "a.json" }), true);
  assert.equal(acFormat.detect("{}", { name: "2019_2_15_21_8_QUALIFY.json" }), true);
  assert.equal(acFormat.detect('{"sessionResult": {}}', { name: "221008_224809_R.json" }), false);
});

function sample(rel: string): NormalizedSession {
  return parsed(decodeText(readSample(rel)), { name: rel.slice(rel.lastIndexOf("/") + 1) });
}

sampleTest("acFormat.parse() reads 2019_2_15_22_3_QUALIFY.json: layout, 2 sectors, cuts", () => {
  const s = sample("ac/assetto-server-manager/2019_2_15_22_3_QUALIFY.json");
  assert.equal(s.track, "ks_red_bull_ring@layout_national");
  assert.equal(s.trackName, "Red Bull Ring National");
  assert.deepEqual([s.kind, s.timeSource, s.finishedAt.toISOString()], [
    "Q",
    "file-name",
    "2019-02-15T22:03:00.000Z",
  ]);
  assert.equal(s.cars.length, 9);
  assert.equal(s.laps.length, 9);
  assert.ok(s.laps.every((l) => l.splitsMs.length === 2));
  assert.equal(s.laps.filter((l) => !l.valid).length, 2);
  const [first, second] = s.cars;
  assert.deepEqual([first!.drivers[0]!.name, first!.bestLapMs], ["Joseph Elton", 51060]);
  assert.deepEqual(first!.bestSplitsMs, [28339, 22721]);
  // Callum Jones' faster laps (53657, 52769) had cuts; AC's BestLap is his best clean lap.
  assert.deepEqual([second!.drivers[0]!.name, second!.bestLapMs], ["Callum Jones", 53751]);
  assert.deepEqual(second!.bestSplitsMs, [29369, 24382]);
  assert.deepEqual([first!.teamName, second!.teamName], ["Dude, where's my wang!?", "Wrong Bizniz Racing"]);
  assert.equal(first!.car.model, "rss_formula_rss_4");
});

sampleTest("acFormat.parse() skips the 12 empty slots of tyre.info.json", () => {
  const s = sample("ac/simresults/tyre.info.json");
  assert.equal(s.cars.length, 6);
  assert.deepEqual(s.cars.map((c) => c.carId), [14, 1, 15, 0, 2, 4]);
  assert.equal(s.cars[0]!.bestLapMs, 97838);
  assert.equal(s.laps.length, 315);
  assert.deepEqual(
    [s.laps.filter((l) => l.tyre === "M").length, s.laps.filter((l) => l.tyre === "S").length],
    [195, 120],
  );
  assert.equal(s.track, "gilles-villeneuve");
});

sampleTest("acFormat.parse() keeps one car per driver in duplicate.result.info.for.miguel.json", () => {
  const s = sample("ac/simresults/duplicate.result.info.for.miguel.json");
  // 21 rows - 6 empty slots - 2 booked-but-unused rows of Miguel Melo and Jose Vasconcelos.
  assert.equal(s.cars.length, 13);
  assert.deepEqual(s.cars.map((c) => c.position), Array.from({ length: 13 }, (_, i) => i + 1));
  const guids = s.cars.map((c) => c.drivers[0]!.id);
  assert.equal(new Set(guids).size, 13);
  const miguel = s.cars.find((c) => c.drivers[0]!.id === "76561197969595089")!;
  assert.deepEqual([miguel.position, miguel.carId, miguel.bestLapMs, miguel.lapCount], [4, 20, 85570, 62]);
  const jose = s.cars.find((c) => c.drivers[0]!.id === "76561198109685083")!;
  assert.deepEqual([jose.position, jose.carId, jose.lapCount], [9, 17, 57]);
  assert.equal(s.laps.length, 593);
  assert.equal(s.cars.reduce((n, c) => n + c.lapCount, 0), 593);
});

sampleTest(
  "acFormat.parse() reads race.changed.with.null.events.json and keeps laps of departed drivers",
  () => {
    const s = sample("ac/simresults/race.changed.with.null.events.json");
    assert.equal(s.kind, "R");
    assert.equal(s.laps.length, 82);
    // 17 classified rows, then 6 drivers whose laps are in Laps[] but not in Result.
    assert.equal(s.cars.length, 23);
    const manolo = s.cars.find((c) => c.drivers[0]!.name === "Manolo Polonioli")!;
    assert.deepEqual([manolo.position > 17, manolo.carId, manolo.lapCount, manolo.bestLapMs], [
      true,
      10,
      6,
      100189,
    ]);
  },
);

sampleTest("acFormat.parse() gives every AC sample a verdict and never throws", () => {
  const files = listSamples("ac");
  assert.ok(files.length >= 12);
  for (const rel of files) {
    const text = decodeText(readSample(rel));
    const name = rel.slice(rel.lastIndexOf("/") + 1);
    assert.ok(acFormat.detect(text, { name }), rel);
    const outcome = acFormat.parse(text, { name });
    if (outcome.status !== "parsed") {
      assert.ok(outcome.reason.length > 0, rel);
      continue;
    }
    const s = outcome.session;
    assert.equal(s.cars.reduce((n, c) => n + c.lapCount, 0), s.laps.length, rel);
    assert.ok(s.laps.every((l) => s.cars[l.car] !== undefined && l.driver === 0), rel);
    assert.ok(s.cars.every((c) => c.drivers[0]!.id !== ""), rel);
    assert.ok(s.laps.every((l) => !l.countsForBest || (l.valid && l.lapMs < NO_TIME)), rel);
  }
});
