import assert from "node:assert/strict";
import { eventBoard, seasonBoards } from "@/kv/ta/boards.ts";
import { sampleTest } from "@/tests/_samples.ts";
import {
  acFile,
  configOf,
  importFiles,
  SEASON_1,
  seasonSamples,
  ta,
  taConfig,
  taConfigFile,
} from "@/tests/ta/_ta.ts";

const JOSEPH = "76561198029578060", CALLUM = "76561198020046073", SEB = "76561198074322763";
const brief = (b: { entries: { driver: { id: string; name: string }; lapMs: number; car: string }[] }) =>
  b.entries.map((e) => [e.driver.name, e.lapMs, e.car]);

sampleTest(
  "seasonBoards() ranks the real AC samples by event: window, track, layout, cuts and cars",
  async () => {
    using kv = await Deno.openKv(":memory:");
    const config = taConfig();
    await importFiles(kv, config, seasonSamples());
    const boards = await seasonBoards(kv, ta(config), ta(config).seasons[0]!);
    assert.deepEqual(boards.map((b) => b.event.key).slice(0, 3), ["preseason", "event1", "event2"]);
    const [pre, e1, e2] = boards;
    // Barbagallo (no layout) at 14:08/14:16 Chicago: before event1's 15:00 start.
    assert.deepEqual(brief(pre!), [["Joseph Elton", 57057, "rss_formula_rss_4"], [
      "Callum Jones",
      60194,
      "rss_formula_rss_4",
    ]]);
    // Red Bull Ring national at 15:03/15:10; the qualifying laps with cuts never count.
    assert.deepEqual(brief(e1!), [["Joseph Elton", 51060, "rss_formula_rss_4"], [
      "Callum Jones",
      52819,
      "rss_formula_rss_4",
    ]]);
    // Suzuka: the two Nissan drivers (124698, 126325) are not on the list; Joseph's best in a listed car.
    assert.deepEqual(brief(e2!), [
      ["Joseph Elton", 122151, "ks_mercedes_amg_gt3"],
      ["Callum Jones", 125978, "ks_mclaren_650_gt3"],
      ["Seb", 130991, "ks_mclaren_650_gt3"],
    ]);
    assert.deepEqual(e2!.entries.map((e) => [e.rank, e.driver.id]), [[1, JOSEPH], [2, CALLUM], [3, SEB]]);
    assert.equal(new Date(e2!.entries[0]!.setAtMs).toISOString(), "2019-03-02T16:27:00.000Z", "Berlin 17:27");
    assert.ok(boards.slice(3).every((b) => b.entries.length === 0));
  },
);

sampleTest("seasonBoards() ignores files from other servers", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  await importFiles(kv, config, seasonSamples(), "ac-other");
  const boards = await seasonBoards(kv, ta(config), ta(config).seasons[0]!);
  assert.ok(boards.every((b) => b.entries.length === 0));
});

Deno.test("eventBoard() puts laps at the switch where the schedule and the grace say", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  // event2 starts 2019-03-01 00:00 Chicago = 06:00Z = 07:00 on the Berlin server's clock.
  const rbr = (at: string, guid: string, ms: number) =>
    acFile({
      at,
      track: "ks_red_bull_ring",
      layout: "layout_national",
      laps: [{ guid, car: "rss_formula_rss_4", ms }],
    });
  const suz = (at: string, guid: string, ms: number) =>
    acFile({ at, track: "suzuka", layout: "suzukagp", laps: [{ guid, car: "ks_mclaren_650_gt3", ms }] });
  await importFiles(kv, config, [
    rbr("2019-03-01T06:59", "1001", 50000), // the last minute of event1
    rbr("2019-03-01T07:30", "1002", 50001), // 30 minutes after the switch: still event1's
    rbr("2019-03-01T07:31", "1003", 49000), // 31 minutes: nobody's
    suz("2019-03-01T06:59", "1004", 120000), // next week's track before it starts: nobody's
    suz("2019-03-01T07:00", "1005", 121000), // the first minute of event2
    acFile({
      at: "2019-03-01T07:05",
      track: "ks_red_bull_ring",
      laps: [{ guid: "1006", car: "rss_formula_rss_4", ms: 40000 }],
    }),
  ]);
  const t = ta(config), season = t.seasons[0]!;
  const e1 = await eventBoard(kv, t, season, "event1");
  assert.deepEqual(e1!.entries.map((e) => [e.driver.id, e.lapMs]), [["1001", 50000], ["1002", 50001]]);
  const e2 = await eventBoard(kv, t, season, "event2");
  assert.deepEqual(e2!.entries.map((e) => [e.driver.id, e.lapMs]), [["1005", 121000]]);
  assert.equal(await eventBoard(kv, t, season, "event99"), null);
});

Deno.test("eventBoard() puts last week's file, imported today, in last week's event", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  const t = ta(config), season = t.seasons[0]!;
  const suz = (at: string, guid: string, ms: number) =>
    acFile({ at, track: "suzuka", layout: "suzukagp", laps: [{ guid, car: "ks_mercedes_amg_gt3", ms }] });
  const vall = acFile({
    at: "2019-03-09T12:00",
    track: "ks_vallelunga",
    layout: "layout_3",
    laps: [{ guid: "2001", car: "ks_mazda_mx5_cup", ms: 90000 }],
  });
  await importFiles(kv, config, [suz("2019-03-05T20:00", "2001", 125000), vall]);
  // Today is event3's week; the file from event2's week arrives now, with a faster lap.
  await importFiles(kv, config, [suz("2019-03-06T21:15", "2002", 124000)]);
  const e2 = await eventBoard(kv, t, season, "event2");
  assert.deepEqual(e2!.entries.map((e) => [e.driver.id, e.lapMs]), [["2002", 124000], ["2001", 125000]]);
  const e3 = await eventBoard(kv, t, season, "event3");
  assert.deepEqual(e3!.entries.map((e) => [e.driver.id, e.lapMs]), [["2001", 90000]]);
});

Deno.test("eventBoard() keeps one entry per GUID with the newest name and the car of the best lap", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  const t = ta(config), season = t.seasons[0]!;
  await importFiles(kv, config, [
    acFile({
      at: "2019-03-02T10:00",
      track: "suzuka",
      layout: "suzukagp",
      laps: [
        { guid: "3001", name: "Old Name", car: "ks_mclaren_650_gt3", ms: 126000 },
        { guid: "3001", name: "Old Name", car: "ks_mclaren_650_gt3", ms: 119000, cuts: 2 },
        { guid: "3002", car: "ks_nissan_gtr_gt3", ms: 110000 },
      ],
    }),
    acFile({
      at: "2019-03-03T10:00",
      track: "suzuka",
      layout: "suzukagp",
      laps: [{ guid: "3001", name: "New Name", car: "ks_mercedes_amg_gt3", ms: 125500 }],
    }),
    acFile({
      at: "2019-03-04T10:00",
      track: "suzuka",
      layout: "suzukagp",
      laps: [{ guid: "3001", name: "Newest Name", car: "ks_mclaren_650_gt3", ms: 127000 }],
    }),
  ]);
  const e2 = await eventBoard(kv, t, season, "event2");
  assert.deepEqual(brief(e2!), [["Newest Name", 125500, "ks_mercedes_amg_gt3"]]);
});

Deno.test("eventBoard() across DST: an event starting 02:30 on a spring-forward night, a fall-back file", async () => {
  using kv = await Deno.openKv(":memory:");
  const file = taConfigFile([{
    season: 4,
    timeZone: "America/Chicago",
    events: [
      { key: "before", start: "2026-03-01T00:00", track: "monza", cars: ["car"] },
      { key: "spring", start: "2026-03-08T02:30", track: "imola", cars: ["car"] },
      { key: "autumn", start: "2026-11-01T01:30", track: "spa", cars: ["car"] },
    ],
  }]);
  file.servers[0]!.timeZone = "America/Chicago";
  const config = configOf(file);
  const t = ta(config), season = t.seasons[0]!;
  const lap = (at: string, track: string, guid: string) =>
    acFile({ at, track, laps: [{ guid, car: "car", ms: 100000 }] });
  await importFiles(kv, config, [
    lap("2026-03-08T01:59", "monza", "a1"), // CST, before the switch
    lap("2026-03-08T03:29", "monza", "a2"), // CDT, one minute before the switch at 03:30 CDT
    lap("2026-03-08T02:45", "monza", "a3"), // a name in the skipped hour: 03:45 CDT, in the grace
    lap("2026-03-08T04:00", "monza", "a4"), // 30 minutes after the switch: the grace's last minute
    lap("2026-03-08T04:01", "monza", "a5"), // 31 minutes after: nobody's
    lap("2026-03-08T03:30", "imola", "b1"), // the first minute of "spring"
    lap("2026-03-08T01:45", "imola", "b0"), // before it starts
    lap("2026-11-01T01:45", "spa", "c1"), // 01:45 twice; the first (CDT) is after 01:30 CDT
    lap("2026-11-01T01:29", "spa", "c0"),
  ]);
  const boards = await seasonBoards(kv, t, season);
  const ids = (k: string) => boards.find((b) => b.event.key === k)!.entries.map((e) => e.driver.id).sort();
  assert.deepEqual(ids("before"), ["a1", "a2", "a3", "a4"]);
  assert.deepEqual(ids("spring"), ["b1"]);
  assert.deepEqual(ids("autumn"), ["c1"]);
  assert.equal(new Date(boards[2]!.event.startMs).toISOString(), "2026-11-01T06:30:00.000Z");
});

Deno.test("seasonBoards() follows a config change: the same laps, a new schedule", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  await importFiles(kv, config, [
    acFile({
      at: "2019-03-02T10:00",
      track: "suzuka",
      layout: "suzukagp",
      laps: [{ guid: "1", car: "ks_nissan_gtr_gt3", ms: 120_000 }],
    }),
  ]);
  const t = ta(config);
  assert.equal((await eventBoard(kv, t, t.seasons[0]!, "event2"))!.entries.length, 0);
  const changed = structuredClone(SEASON_1);
  changed.events[2]!.cars = [...changed.events[2]!.cars, "ks_nissan_gtr_gt3"];
  const t2 = ta(taConfig([changed]));
  assert.equal((await eventBoard(kv, t2, t2.seasons[0]!, "event2"))!.entries.length, 1);
});
