import assert from "node:assert/strict";
import { emptyLiveState, type LiveBatch, reduceLive } from "@/games/ac/live.ts";

const AT = Date.parse("2026-01-05T12:00:00Z");
const session = (seq: number, isNew = true, name = "Practice") => ({
  seq,
  at: AT,
  type: "session",
  isNew,
  track: "monza",
  layout: "",
  name,
  sessionType: 1,
  elapsedMs: 30_000,
});
const lap = (seq: number, carId: number, lapMs: number, cuts = 0) => ({
  seq,
  at: AT + seq,
  type: "lap",
  carId,
  lapMs,
  cuts,
  board: [],
});
const batch = (events: LiveBatch["events"], stream = "a") => ({ stream, events });

Deno.test("reduceLive() applies each event once, and a new stream from its own numbers", () => {
  const one = reduceLive(
    emptyLiveState(),
    batch([
      session(1),
      { seq: 2, at: AT, type: "connect", carId: 1, driver: "A", guid: "g", model: "m" },
      lap(3, 1, 90_000),
    ]),
  );
  assert.equal(one.state.session?.startedAt, new Date(AT - 30_000).toISOString());
  const again = reduceLive(one.state, batch([lap(3, 1, 90_000), lap(4, 1, 89_000)]));
  assert.equal(again.applied, 1);
  assert.deepEqual(again.state.cars.map((c) => [c.laps, c.bestLapMs]), [[2, 89_000]]);
  // The agent lost its queue file: a new stream starts at 1 again and is taken.
  const fresh = reduceLive(again.state, batch([lap(1, 1, 88_000)], "b"));
  assert.equal(fresh.applied, 1);
  assert.equal(fresh.state.cars[0]!.bestLapMs, 88_000);
});

Deno.test("reduceLive(): cut, untimed and implausible laps are no best; unknown drivers count for nothing", () => {
  const r = reduceLive(
    emptyLiveState(),
    batch([
      session(1),
      { seq: 2, at: AT, type: "connect", carId: 1, driver: "A", guid: "g", model: "m" },
      lap(3, 1, 95_000, 1),
      lap(4, 1, 999),
      lap(5, 1, 999999999),
      lap(6, 7, 91_000),
      { seq: 7, at: AT, type: "chat", carId: 1, text: "gg" },
      { seq: 8, at: AT, type: "lap", carId: "x" },
    ]),
  );
  const a = r.state.cars.find((c) => c.carId === 1)!;
  assert.deepEqual([a.laps, a.bestLapMs, a.lastLapMs, a.lastCuts], [3, null, null, 0]);
  assert.deepEqual(r.laps.map((l) => [l.lapMs, l.countsForBest]), [
    [95_000, false],
    [999, false],
    [999999999, false],
    [91_000, false],
  ]);
  assert.equal(r.state.lastSeq, 8, "a malformed event is skipped, not retried");
});

Deno.test("reduceLive(): a new session starts the times over, an answer about the same one does not", () => {
  const a = reduceLive(
    emptyLiveState(),
    batch([
      session(1),
      { seq: 2, at: AT, type: "connect", carId: 1, driver: "A", guid: "g", model: "m" },
      lap(3, 1, 90_000),
    ]),
  ).state;
  const same = reduceLive(a, batch([session(4, false)])).state;
  assert.equal(same.cars[0]!.bestLapMs, 90_000);
  const next = reduceLive(same, batch([session(5, true, "Qualify")])).state;
  assert.deepEqual([next.cars[0]!.laps, next.cars[0]!.bestLapMs, next.cars[0]!.connected], [0, null, true]);
  const ended = reduceLive(next, batch([{ seq: 6, at: AT + 9, type: "end", resultsFile: "x.json" }])).state;
  assert.equal(ended.session?.endedAt, new Date(AT + 9).toISOString());
});
