import assert from "node:assert/strict";
import { parseConfigFile } from "@/config.ts";
import { applyLapRule, DEFAULT_LAP_LIMITS, implausibleReason, type RuledLap } from "@/games/racing/laps.ts";

Deno.test("implausibleReason() rules out laps at or under the floor and over the ceiling", () => {
  for (const ms of [-5000, 0, 1.5, 999, 1000, 3_600_001, 2 ** 31, 2 ** 32 + 5, NaN, Infinity]) {
    assert.ok(implausibleReason(ms), String(ms));
  }
  for (const ms of [1001, 59_999, 102_123, 3_600_000]) assert.equal(implausibleReason(ms), null, String(ms));
  assert.match(implausibleReason(-5000)!, /-5000 ms is at or under the 1000 ms floor/);
  assert.match(implausibleReason(2 ** 31)!, /2147483648 ms is over the 3600000 ms ceiling/);
  assert.equal(implausibleReason(500, { floorMs: 100, ceilingMs: 1000 }), null, "limits are configurable");
  assert.deepEqual(DEFAULT_LAP_LIMITS, { floorMs: 1000, ceilingMs: 3_600_000 });
});

Deno.test("applyLapRule() makes impossible laps invalid with a reason and corrects the car's stated best", () => {
  const lap = (car: number, lapMs: number, valid = true): RuledLap => ({
    car,
    lapMs,
    valid,
    countsForBest: valid,
  });
  const session = {
    cars: [{ bestLapMs: -5000 }, { bestLapMs: 101_000 }, { bestLapMs: 0 }],
    laps: [
      lap(0, -5000),
      lap(0, 102_000),
      lap(0, 101_500, false),
      lap(1, 101_000),
      lap(2, 0),
      lap(2, 2 ** 31),
    ],
  };
  assert.equal(applyLapRule(session), 3);
  assert.deepEqual(session.laps.map((l) => l.countsForBest), [false, true, false, true, false, false]);
  assert.match(session.laps[0]!.implausible!, /floor/);
  assert.equal(session.laps[0]!.valid, false);
  assert.equal(session.laps[1]!.implausible, undefined);
  assert.deepEqual(session.cars.map((c) => c.bestLapMs), [102_000, 101_000, null]);
});

Deno.test("config `laps` sets the floor and ceiling; a floor at or over the ceiling is refused", () => {
  assert.deepEqual(parseConfigFile({}, "c.json").laps, DEFAULT_LAP_LIMITS);
  assert.deepEqual(parseConfigFile({ laps: { floorMs: 20_000 } }, "c.json").laps, {
    floorMs: 20_000,
    ceilingMs: 3_600_000,
  });
  assert.throws(() => parseConfigFile({ laps: { floorMs: 5000, ceilingMs: 5000 } }, "c.json"), /floorMs/);
});
