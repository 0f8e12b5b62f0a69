import assert from "node:assert/strict";
import { generateAccFiles, type GeneratedFile, type GenOptions } from "@/fixtures/gen_acc.ts";
import { accFormat } from "@/games/acc/parser.ts";

const NO_TIME = 2147483647;
const NAME = /^\d{6}_\d{6}_(FP|Q\d?|R\d?)\.json$/;
const OPTS: GenOptions = { seed: 42, drivers: 5_000, tracks: 30 };
const utf16 = new TextDecoder("utf-16le");

interface Lap {
  carId: number;
  driverIndex: number;
  laptime: number;
  isValidForBest: boolean;
  splits: number[];
}
interface Line {
  car: { carId: number; carModel: number; carGroup: string; drivers: { playerId: string }[] };
  currentDriverIndex: number;
  timing: {
    lastLap: number;
    lastSplits: number[];
    bestLap: number;
    bestSplits: number[];
    totalTime: number;
    lapCount: number;
    lastSplitId: number;
  };
  driverTotalTimes: number[];
}
interface AccJson {
  sessionType: string;
  trackName: string;
  sessionResult: { bestlap: number; bestSplits: number[]; type: number; leaderBoardLines: Line[] };
  laps: Lap[];
  penalties: { carId: number; penalty: string }[];
  post_race_penalties: { carId: number; penalty: string }[];
}

function files(count: number, opts: GenOptions = OPTS): GeneratedFile[] {
  return [...generateAccFiles(count, opts)];
}

const sample = files(120);
const texts = sample.map((f) => utf16.decode(f.bytes));
const parsed = texts.map((t) => JSON.parse(t) as AccJson);

Deno.test("generateAccFiles() is deterministic: same seed and options, same bytes", () => {
  const again = files(120);
  assert.equal(again.length, 120);
  again.forEach((f, i) => {
    assert.equal(f.name, sample[i]!.name);
    assert.deepEqual(f.bytes, sample[i]!.bytes);
  });
  const other = files(5, { ...OPTS, seed: 43 });
  assert.notDeepEqual(other[0]!.bytes, sample[0]!.bytes);
});

Deno.test("generateAccFiles() writes UTF-16LE without a BOM, LF endings and 4-space indentation", () => {
  for (const [i, f] of sample.entries()) {
    assert.equal(f.bytes.length % 2, 0);
    assert.ok(!(f.bytes[0] === 0xff && f.bytes[1] === 0xfe), "no BOM");
    assert.equal(f.bytes[0], 0x7b); // "{"
    assert.equal(f.bytes[1], 0);
    const text = texts[i]!;
    assert.ok(!text.includes("\r"));
    assert.ok(!text.endsWith("\n"), "no trailing newline, like the server");
    assert.match(text, /^\{\n {4}"sessionType": "/);
  }
});

Deno.test("generateAccFiles() writes sessionType twice at top level, first and after serverName", () => {
  for (const [i, text] of texts.entries()) {
    const json = parsed[i]!;
    assert.equal(text.split('"sessionType"').length - 1, 2);
    const top = text.split("\n").filter((l) => /^ {4}"/.test(l)).map((l) => l.trim().split('"')[1]);
    assert.deepEqual(top, [
      "sessionType",
      "trackName",
      "sessionIndex",
      "raceWeekendIndex",
      "metaData",
      "serverName",
      "sessionType",
      "sessionResult",
      "laps",
      "penalties",
      "post_race_penalties",
    ]);
    assert.equal(text.split("\n")[1], `    "sessionType": "${json.sessionType}",`);
    assert.ok(text.includes(`\n    "sessionType": "${json.sessionType}",\n    "sessionResult": {`));
  }
});

Deno.test("generateAccFiles() output is JSON.stringify(…, null, 4) plus the duplicate key and floats", () => {
  for (const [i, text] of texts.entries()) {
    const json = parsed[i]!;
    // JSON.parse keeps the first position of a duplicate key, so drop the second occurrence.
    const single = text.replace(
      `\n    "sessionType": "${json.sessionType}",\n    "sessionResult"`,
      '\n    "sessionResult"',
    );
    const floatsAsInts = single.replace(/^( +)(\d+)\.0(,?)$/gm, "$1$2$3");
    assert.equal(JSON.stringify(json, null, 4), floatsAsInts);
  }
});

Deno.test("generateAccFiles() writes driverTotalTimes as floats in races, [] in FP and Q", () => {
  let floats = 0;
  for (const [i, json] of parsed.entries()) {
    const race = json.sessionResult.type === 1;
    for (const line of json.sessionResult.leaderBoardLines) {
      if (!race) assert.deepEqual(line.driverTotalTimes, []);
      else assert.equal(line.driverTotalTimes.length, line.car.drivers.length);
    }
    if (race) floats += (texts[i]!.match(/^ {20}\d+\.\d+,?$/gm) ?? []).length;
  }
  assert.ok(floats > 100);
});

Deno.test("generateAccFiles() timing matches the laps: bestLap = min valid lap, sentinels when none", () => {
  let noTime = 0;
  for (const json of parsed) {
    const { leaderBoardLines: lines } = json.sessionResult;
    let sessionBest = NO_TIME;
    for (const line of lines) {
      const { timing } = line;
      const laps = json.laps.filter((l) => l.carId === line.car.carId);
      const valid = laps.filter((l) => l.isValidForBest);
      const best = valid.length ? Math.min(...valid.map((l) => l.laptime)) : NO_TIME;
      assert.equal(timing.bestLap, best);
      assert.deepEqual(
        timing.bestSplits,
        [0, 1, 2].map((k) => valid.length ? Math.min(...valid.map((l) => l.splits[k]!)) : NO_TIME),
      );
      assert.equal(timing.lapCount, laps.length);
      const last = laps.at(-1);
      assert.equal(timing.lastLap, last?.laptime ?? NO_TIME);
      assert.deepEqual(timing.lastSplits, last?.splits ?? []);
      if (!last) {
        assert.equal(timing.lastSplitId, 4294967295);
        assert.equal(timing.totalTime, NO_TIME);
      }
      if (best === NO_TIME) noTime++;
      sessionBest = Math.min(sessionBest, best);
      for (const lap of laps) {
        assert.ok(lap.driverIndex >= 0 && lap.driverIndex < line.car.drivers.length);
        const diff = lap.laptime - lap.splits.reduce((a, b) => a + b, 0);
        assert.ok(diff === 0 || diff === 1, `laptime - sum(splits) = ${diff}`);
      }
    }
    assert.equal(json.sessionResult.bestlap, sessionBest);
  }
  assert.ok(noTime > 0, "some cars without a valid lap");
});

Deno.test("generateAccFiles() classifies races by laps then totalTime, FP/Q by best lap", () => {
  for (const json of parsed) {
    const lines = json.sessionResult.leaderBoardLines;
    const race = json.sessionType.startsWith("R");
    assert.equal(json.sessionResult.type, race ? 1 : 0);
    for (let i = 1; i < lines.length; i++) {
      const [a, b] = [lines[i - 1]!.timing, lines[i]!.timing];
      if (race) {
        assert.ok(a.lapCount > b.lapCount || (a.lapCount === b.lapCount && a.totalTime <= b.totalTime));
      } else {
        assert.ok(a.bestLap <= b.bestLap);
      }
    }
    if (!race) {
      // The out-lap of every car is invalid in FP and Q.
      const seen = new Set<number>();
      for (const lap of json.laps) {
        if (!seen.has(lap.carId)) assert.equal(lap.isValidForBest, false);
        seen.add(lap.carId);
      }
    } else {
      const first = new Map<number, number>();
      for (const lap of json.laps) if (!first.has(lap.carId)) first.set(lap.carId, lap.laptime);
      for (const ms of first.values()) assert.ok(ms >= 300_000 && ms <= 640_000, `race lap 1 ${ms}`);
    }
  }
});

Deno.test("generateAccFiles() names files YYMMDD_HHMMSS_<type>.json, unique and increasing", () => {
  const types = new Set<string>();
  let previous = "";
  for (const [i, f] of sample.entries()) {
    assert.match(f.name, NAME);
    const type = f.name.slice(14, -5);
    assert.equal(type, parsed[i]!.sessionType);
    types.add(type[0]!);
    assert.ok(f.name.slice(0, 13) > previous.slice(0, 13), `${f.name} after ${previous}`);
    previous = f.name;
    assert.equal(f.laps, parsed[i]!.laps.length);
    assert.equal(f.cars, parsed[i]!.sessionResult.leaderBoardLines.length);
  }
  assert.deepEqual([...types].sort(), ["F", "Q", "R"]);
  assert.equal(files(1, { ...OPTS, start: new Date("2025-03-04T05:06:07Z") })[0]!.name.slice(0, 6), "250304");
});

Deno.test("generateAccFiles() uses real track ids, the car table and the options' ranges", () => {
  const tracks = new Set(
    files(200, { ...OPTS, tracks: 3 }).map((f) => utf16.decode(f.bytes).match(/"trackName": "(\w+)"/)![1]),
  );
  assert.deepEqual([...tracks].sort(), ["barcelona", "brands_hatch", "cota"]);
  const many = new Set(parsed.map((j) => j.trackName));
  assert.ok([...many].some((t) => /^bench_track_(2[6-9]|30)$/.test(t)));
  for (const json of parsed) {
    for (const line of json.sessionResult.leaderBoardLines) {
      const { carModel, carGroup } = line.car;
      assert.equal(carGroup, carModel >= 50 ? "GT4" : "GT3");
      assert.ok(
        carModel >= 50
          ? carModel <= 61 && carModel !== 54
          : carModel <= 36 && ![9, 18, 26, 27, 28, 29].includes(carModel),
      );
      for (const d of line.car.drivers) assert.match(d.playerId, /^S7656119\d{10}$/);
    }
  }
  const small = files(40, { seed: 1, drivers: 50, tracks: 1, carsPerSession: [2, 4], lapsPerCar: [1, 2] });
  for (const f of small) {
    assert.ok(f.cars >= 2 && f.cars <= 4);
    const json = JSON.parse(utf16.decode(f.bytes)) as AccJson;
    for (const line of json.sessionResult.leaderBoardLines) assert.ok(line.timing.lapCount <= 2);
  }
});

Deno.test("generateAccFiles() covers the driver pool with a skew", () => {
  const counts = new Map<string, number>();
  for (const f of generateAccFiles(300, { seed: 3, drivers: 2_000, tracks: 10 })) {
    const json = JSON.parse(utf16.decode(f.bytes)) as AccJson;
    for (const line of json.sessionResult.leaderBoardLines) {
      for (const d of line.car.drivers) counts.set(d.playerId, (counts.get(d.playerId) ?? 0) + 1);
      // A driver appears once per session at most.
    }
    const ids = json.sessionResult.leaderBoardLines.flatMap((l) => l.car.drivers.map((d) => d.playerId));
    assert.equal(new Set(ids).size, ids.length);
  }
  const sorted = [...counts.values()].sort((a, b) => b - a);
  assert.ok(counts.size > 1_900, `${counts.size} distinct drivers`);
  assert.ok(sorted[0]! > 10 * sorted[sorted.length >> 1]!, "some drivers are far more active");
});

Deno.test("generateAccFiles() files parse with accFormat to status parsed", () => {
  for (const [i, f] of sample.slice(0, 50).entries()) {
    const outcome = accFormat.parse(texts[i]!, { name: f.name });
    assert.equal(outcome.status, "parsed", outcome.status === "parsed" ? "" : outcome.reason);
    if (outcome.status !== "parsed") continue;
    assert.equal(outcome.session.cars.length, f.cars);
    assert.equal(outcome.session.laps.length, f.laps);
  }
});

Deno.test("generateAccFiles() writes empty sessions like the server when no car is entered", () => {
  const [f] = files(1, { ...OPTS, carsPerSession: [0, 0] });
  const json = JSON.parse(utf16.decode(f!.bytes));
  assert.deepEqual(json.sessionResult.leaderBoardLines, []);
  assert.deepEqual(json.laps, []);
  assert.equal(json.raceWeekendIndex, -1);
  assert.equal(json.sessionResult.bestlap, 0);
  assert.deepEqual(json.sessionResult.bestSplits, [0, 0, 0]);
  assert.throws(() => files(1, { ...OPTS, lapsPerCar: [5, 2] }), RangeError);
});
