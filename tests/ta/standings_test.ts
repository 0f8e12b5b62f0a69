import assert from "node:assert/strict";
import type { TaSeasonConfig } from "@/config.ts";
import type { EventBoard } from "@/kv/ta/boards.ts";
import { seasonBoards } from "@/kv/ta/boards.ts";
import { seasonEvents } from "@/kv/ta/schedule.ts";
import { computeStandings, eventPoints, round2 } from "@/kv/ta/standings.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { importFiles, seasonSamples, ta, taConfig } from "@/tests/ta/_ta.ts";

/** A season of `n` scoring events e1..en (plus a preseason) and boards from lap lists. */
function season(n: number, opts: Partial<TaSeasonConfig> = {}): TaSeasonConfig {
  const t = ta(taConfig([{
    season: 1,
    timeZone: "UTC",
    dropWeeks: opts.dropWeeks ?? 0,
    points: opts.points ?? { rule: "ratio" },
    events: [
      { key: "pre", start: "2026-01-01T00:00", track: "t", cars: ["c"], counts: false },
      ...Array.from({ length: n }, (_, i) => ({
        key: `event${i + 1}`,
        start: `${Temporal.PlainDate.from("2026-01-05").add({ days: 7 * i })}T00:00`,
        track: "t",
        cars: ["c"],
      })),
    ],
  }]));
  return t.seasons[0]!;
}

function boards(s: TaSeasonConfig, laps: Record<string, Record<string, number>>): EventBoard[] {
  return seasonEvents(s).map((event) => {
    const byDriver = Object.entries(laps[event.key] ?? {}).sort((a, b) => a[1] - b[1]);
    return {
      event,
      entries: byDriver.map(([id, lapMs], i) => ({
        rank: i + 1,
        driver: { id, name: id.toUpperCase() },
        lapMs,
        car: "c",
        setAtMs: 0,
        sessionId: "s",
      })),
    };
  });
}

Deno.test("eventPoints() is the original's round(101 x winner / driver, 2), or a table by position", () => {
  assert.equal(eventPoints({ rule: "ratio" }, 1, 95228, 95228), 101);
  assert.equal(eventPoints({ rule: "ratio" }, 2, 95334, 95228), 100.89); // 100.8877...
  assert.equal(eventPoints({ rule: "ratio" }, 2, 101000, 100000), 100);
  assert.equal(eventPoints({ table: [25, 18, 15] }, 2, 1, 1), 18);
  assert.equal(eventPoints({ table: [25, 18, 15] }, 4, 1, 1), 0, "past the table's end");
  assert.equal(round2(1.005), 1.01);
});

Deno.test("computeStandings() counts the best scores, drops the rest and skips non-scoring events", () => {
  const s = season(3, { dropWeeks: 1 });
  const st = computeStandings(
    s,
    boards(s, {
      pre: { a: 50000, b: 40000 },
      event1: { a: 100000, b: 101000 },
      event2: { a: 100000, b: 110000 },
      event3: { b: 100000, a: 120000 },
    }),
  );
  assert.equal(st.counted, 2);
  assert.deepEqual(st.eventKeys, ["event1", "event2", "event3"]);
  const a = st.entries[0]!, b = st.entries[1]!;
  assert.equal(a.driver.id, "a");
  assert.deepEqual(a.events, { event1: 101, event2: 101, event3: 84.17 });
  assert.deepEqual(a.dropped, ["event3"]);
  assert.equal(a.points, 202);
  assert.deepEqual(b.events, { event1: 100, event2: 91.82, event3: 101 });
  assert.deepEqual(b.dropped, ["event2"]);
  assert.equal(b.points, 201);
  assert.equal(a.wins, 2);
  assert.ok(!("pre" in a.events));
});

Deno.test("computeStandings() breaks a tie on the mean gap over shared events, then on wins", () => {
  const s = season(4, { points: { table: [10, 5] } });
  // a and b both score 15; over the events both drove, a's mean gap is smaller.
  const st = computeStandings(
    s,
    boards(s, {
      event1: { a: 100000, b: 100500 }, // a 10, b 5: gaps a 0, b 0.5 %
      event2: { b: 100000, a: 100100 }, // b 10, a 5: gaps b 0, a 0.1 %
      event3: { c: 90000, d: 99000 }, // c 10, d 5
      event4: { d: 90000, c: 91000 }, // d 10, c 5
    }),
  );
  assert.deepEqual(st.entries.map((e) => [e.driver.id, e.points, e.rank]), [
    ["a", 15, 1],
    ["b", 15, 2],
    ["c", 15, 2], // nothing in common with b, as many wins: shares b's rank
    // c's mean gap over events 3 and 4 is 0.55 %, d's 5 %
    ["d", 15, 4],
  ]);
  // With no event in common, the tie goes to more wins, then shares the rank.
  const s2 = season(3, { points: { table: [10, 5] } });
  const st2 = computeStandings(
    s2,
    boards(s2, {
      event1: { x: 1000, z: 1100 },
      event2: { y: 1000, q: 1200 },
      event3: { q: 1000, w: 1200 },
    }),
  );
  assert.deepEqual(st2.entries.map((e) => [e.driver.id, e.points, e.rank]), [
    ["q", 15, 1],
    ["x", 10, 2],
    ["y", 10, 2],
    ["w", 5, 4],
    ["z", 5, 4],
  ]);
});

Deno.test("computeStandings() lists event10 after event2", () => {
  const s = season(10);
  const laps: Record<string, Record<string, number>> = {};
  for (let i = 1; i <= 10; i++) laps[`event${i}`] = { a: 1000 + i };
  const st = computeStandings(s, boards(s, laps));
  assert.deepEqual(st.eventKeys, Array.from({ length: 10 }, (_, i) => `event${i + 1}`));
  assert.deepEqual(Object.keys(st.entries[0]!.events).slice(-2), ["event9", "event10"]);
  assert.equal(st.counted, 10);
});

sampleTest("computeStandings() on the real samples: preseason scores nothing", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  await importFiles(kv, config, seasonSamples());
  const s = ta(config).seasons[0]!;
  const st = computeStandings(s, await seasonBoards(kv, ta(config), s));
  assert.equal(st.counted, 9, "10 scoring events, 1 drop week");
  assert.deepEqual(st.entries.map((e) => [e.driver.name, e.points, e.events]), [
    ["Joseph Elton", 202, { event1: 101, event2: 101 }],
    ["Callum Jones", 195.57, { event1: 97.64, event2: 97.93 }],
    ["Seb", 94.18, { event2: 94.18 }],
  ]);
});
