import assert from "node:assert/strict";
import { ConfigError, loadConfig, parseConfigFile } from "@/config.ts";
import {
  candidateEvents,
  currentSeason,
  eventAt,
  eventForLap,
  GRACE_MS,
  seasonEvents,
  wallClockToMs,
} from "@/kv/ta/schedule.ts";
import { SEASON_1, ta, taConfig, taConfigFile } from "@/tests/ta/_ta.ts";

const iso = (ms: number | null) => ms === null ? null : new Date(ms).toISOString();

Deno.test("seasonEvents() turns wall-clock starts in the season's zone into windows", () => {
  const events = seasonEvents(ta(taConfig()).seasons[0]!);
  assert.equal(events.length, 11);
  const [pre, e1, e2] = events;
  assert.equal(iso(pre!.startMs), "2019-02-01T06:00:00.000Z");
  assert.equal(iso(pre!.endMs), "2019-02-15T21:00:00.000Z", "preseason ends when event1 starts");
  assert.equal(iso(e1!.startMs), "2019-02-15T21:00:00.000Z");
  assert.equal(e1!.name, "Week 1");
  assert.equal(e2!.name, "event2", "the key when there is no name");
  assert.equal(pre!.counts, false);
  assert.equal(e1!.counts, true);
  assert.equal(events.at(-1)!.endMs, null, "the last event without an end stays open");
  // event4 starts 2019-03-15 00:00 CDT: after the 2019-03-10 change, -05:00.
  assert.equal(iso(events[4]!.startMs), "2019-03-15T05:00:00.000Z");
});

Deno.test("seasonEvents() orders by start: event10 comes after event2", () => {
  const events = seasonEvents(ta(taConfig()).seasons[0]!);
  const keys = events.map((e) => e.key);
  assert.ok(keys.indexOf("event10") > keys.indexOf("event2"));
  assert.equal(keys.at(-1), "event10");
});

Deno.test("wallClockToMs() starts an event set at 02:30 on a spring-forward night at 03:30", () => {
  // 2026-03-08 in Chicago: 02:00 CST jumps to 03:00 CDT; 02:30 never shows on a clock.
  assert.equal(iso(wallClockToMs("2026-03-08T02:30", "America/Chicago")), "2026-03-08T08:30:00.000Z");
  assert.equal(iso(wallClockToMs("2026-03-08T01:59", "America/Chicago")), "2026-03-08T07:59:00.000Z");
  // 2026-11-01: 01:30 happens twice; the first (CDT) is taken.
  assert.equal(iso(wallClockToMs("2026-11-01T01:30", "America/Chicago")), "2026-11-01T06:30:00.000Z");
  assert.equal(iso(wallClockToMs("2026-11-01", "America/Chicago")), "2026-11-01T05:00:00.000Z");
});

Deno.test("eventAt() finds the event of an instant, with an own end leaving a gap", () => {
  const config = taConfig([{
    season: 2,
    timeZone: "America/Chicago",
    events: [
      { key: "a", start: "2026-03-01T00:00", end: "2026-03-07T20:00", track: "t", cars: ["c"] },
      { key: "b", start: "2026-03-08T02:30", track: "t", layout: "x", cars: ["c"] },
    ],
  }]);
  const events = seasonEvents(ta(config).seasons[0]!);
  const at = (s: string) => eventAt(events, Date.parse(s))?.key ?? null;
  assert.equal(at("2026-03-01T05:59:59Z"), null, "before the season");
  assert.equal(at("2026-03-01T06:00:00Z"), "a");
  assert.equal(at("2026-03-08T01:59:59Z"), "a");
  assert.equal(at("2026-03-08T02:00:00Z"), null, "between a's own end and b's start");
  assert.equal(at("2026-03-08T08:29:59Z"), null);
  assert.equal(at("2026-03-08T08:30:00Z"), "b", "02:30 skipped: b starts at 03:30 CDT");
  assert.equal(at("2030-01-01T00:00:00Z"), "b");
});

Deno.test("candidateEvents() gives the restart's last file 30 minutes of grace, on the old track only", () => {
  const events = seasonEvents(ta(taConfig()).seasons[0]!);
  const e1 = events[1]!, e2 = events[2]!;
  const switchAt = e2.startMs; // event1 ends here
  const keys = (track: string, atMs: number) => candidateEvents(events, track, atMs).map((e) => e.key);
  assert.deepEqual(keys("ks_red_bull_ring@layout_national", switchAt - 1), ["event1"]);
  assert.deepEqual(keys("ks_red_bull_ring@layout_national", switchAt + GRACE_MS), ["event1"]);
  assert.deepEqual(keys("ks_red_bull_ring@layout_national", switchAt + GRACE_MS + 1), []);
  assert.deepEqual(keys("KS_RED_BULL_RING@LAYOUT_NATIONAL", switchAt + 60_000), ["event1"], "case ignored");
  assert.deepEqual(keys("ks_red_bull_ring", switchAt - 1), [], "another layout never counts");
  assert.deepEqual(keys("suzuka@suzukagp", switchAt), ["event2"]);
  assert.deepEqual(keys("suzuka@suzukagp", switchAt - 1), [], "a lap on next week's track before it starts");
  assert.equal(e1.endMs, switchAt);
});

Deno.test("eventForLap() offers a lap in the grace to the old event first, then by car", () => {
  const config = taConfig([{
    season: 3,
    timeZone: "UTC",
    events: [
      { key: "old", start: "2026-01-01T00:00", track: "monza", cars: ["car_a"] },
      { key: "new", start: "2026-01-08T00:00", track: "monza", cars: ["car_b", "car_a"] },
    ],
  }]);
  const events = seasonEvents(ta(config).seasons[0]!);
  const cands = candidateEvents(events, "monza", Date.parse("2026-01-08T00:10:00Z"));
  assert.deepEqual(cands.map((e) => e.key), ["old", "new"]);
  assert.equal(eventForLap(cands, "car_a")?.key, "old");
  assert.equal(eventForLap(cands, "CAR_B")?.key, "new");
  assert.equal(eventForLap(cands, "car_c"), null, "a car on no list never counts");
});

Deno.test("currentSeason() picks the season that has started last", () => {
  const s2 = { ...SEASON_1, season: 2, events: [{ ...SEASON_1.events[0]!, start: "2020-01-01T00:00" }] };
  const t = ta(taConfig([SEASON_1, s2]));
  assert.equal(currentSeason(t, Date.parse("2019-01-01T00:00:00Z")).season, 1, "none started: the first");
  assert.equal(currentSeason(t, Date.parse("2019-06-01T00:00:00Z")).season, 1);
  assert.equal(currentSeason(t, Date.parse("2020-06-01T00:00:00Z")).season, 2);
});

Deno.test("parseConfigFile() checks the timeAttack section and names the field", () => {
  const bad = (mutate: (f: ReturnType<typeof taConfigFile>) => void, re: RegExp) => {
    const f = structuredClone(taConfigFile());
    mutate(f);
    assert.throws(
      () => parseConfigFile(f, "c.json"),
      (e: Error) => e instanceof ConfigError && re.test(e.message),
    );
  };
  const ev = (f: ReturnType<typeof taConfigFile>) =>
    f.timeAttack.seasons[0]!.events as Record<string, unknown>[];
  bad((f) => f.timeAttack.server = "nope", /timeAttack\.server: "nope" is not one of servers/);
  bad((f) => f.servers[0]!.game = "acc", /is an acc server, not ac/);
  bad((f) => ev(f)[1]!.start = "2019-02-15 15:00", /events\[1\]\.start: a wall-clock time/);
  bad((f) => ev(f)[1]!.start = "2019-02-30T15:00", /events\[1\]\.start: not a real date/);
  bad((f) => ev(f)[1]!.start = "2019-01-15T15:00", /events\[0\]: list events in start order/);
  bad((f) => ev(f)[0]!.end = "2019-02-16T00:00", /events\[0\]\.end: "preseason" ends after "event1" starts/);
  bad((f) => ev(f)[2]!.key = "event1", /event keys must be unique/);
  bad((f) => ev(f)[2]!.cars = [], /list at least one car/);
  bad((f) => f.timeAttack.seasons[0]!.points = { rule: "square" }, /points/);
  bad((f) => f.timeAttack.seasons[0]!.timeZone = "Chicago", /IANA/);
  const table = structuredClone(taConfigFile());
  table.timeAttack.seasons[0]!.points = { table: [25, 18, 15] };
  const parsed = parseConfigFile(table, "c.json").timeAttack!.seasons[0]!;
  assert.deepEqual(parsed.points, { table: [25, 18, 15] });
  assert.equal(parsed.events[1]!.layout, "layout_national");
  assert.equal(parsed.events[0]!.layout, "");
});

Deno.test("loadConfig() stops at start when the server switch's private key is not set", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = taConfigFile(undefined, {
      serverSwitch: {
        host: "127.0.0.1",
        user: "ac",
        privateKeyEnv: "TA_SSH_KEY",
        hostKeyFingerprint: "SHA256:" + "A".repeat(43),
        cfgDir: "/srv/ac/cfg",
        restartCommand: "systemctl restart acserver",
      },
    });
    await Deno.writeTextFile(`${dir}/podium.json`, JSON.stringify(file));
    const env = (vars: Record<string, string>) => (n: string) =>
      ({ PODIUM_CONFIG: `${dir}/podium.json`, ...vars })[n];
    assert.throws(
      () => loadConfig(env({})),
      (e: Error) =>
        e instanceof ConfigError && /serverSwitch needs its SSH private key in TA_SSH_KEY/.test(e.message),
    );
    const ok = loadConfig(env({ TA_SSH_KEY: "key" }));
    assert.equal(ok.timeAttack!.serverSwitch!.port, 22);
    assert.equal(ok.timeAttack!.serverSwitch!.slots, 24);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("seasonEvents() leaves hidden events out of the week numbers, by listed or hideFromSchedule", () => {
  // Generated: a preseason, a test event, a listed preseason-named showcase, and four weeks.
  const keys = ["preseason", "test-a", "preseason-show", "w1", "w2", "w3", "postseason"];
  const season = (extra: Record<string, unknown>, listed: Record<string, boolean> = {}) =>
    parseConfigFile(
      taConfigFile([{
        season: 7,
        timeZone: "UTC",
        ...extra,
        events: keys.map((key, i) => ({
          key,
          start: `2030-01-${String(i * 2 + 1).padStart(2, "0")}T00:00`,
          track: "ks_brands_hatch",
          layout: "gp",
          cars: ["ks_audi_tt_cup"],
          ...(key in listed ? { listed: listed[key] } : {}),
        })),
      }]),
      "c.json",
    ).timeAttack!.seasons[0]!;
  const shown = (s: ReturnType<typeof season>) =>
    seasonEvents(s).map((e) => e.listed ? `${e.key}:${e.week}` : `-${e.key}`).join(" ");
  assert.equal(shown(season({})), "-preseason test-a:1 -preseason-show w1:2 w2:3 w3:4 postseason:5");
  assert.equal(
    shown(season({ hideFromSchedule: ["PRESEASON", "test", "post"] }, { "preseason-show": true, w2: false })),
    "-preseason -test-a preseason-show:1 w1:2 -w2 w3:3 -postseason",
  );
  assert.equal(
    shown(season({ hideFromSchedule: [] })),
    "preseason:1 test-a:2 preseason-show:3 w1:4 w2:5 w3:6 postseason:7",
  );
});

Deno.test("parseConfigFile() checks names and emoji", () => {
  const f = (extra: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
    ...taConfigFile([SEASON_1], extra),
    ...top,
  });
  const ok = parseConfigFile(
    f({ emoji: { brands: { McLaren: "<:mcl:123456789012345678>", Porsche: "🏁" } } }, {
      names: { tracks: { "Suzuka@SuzukaGP": { name: "Suzuka GP", country: "Japan" } }, cars: {} },
    }),
    "c.json",
  );
  assert.deepEqual(ok.timeAttack!.emoji, {
    cars: {},
    brands: { mclaren: "<:mcl:123456789012345678>", porsche: "🏁" },
  });
  assert.deepEqual(ok.names.tracks, { "suzuka@suzukagp": { name: "Suzuka GP", country: "Japan" } });
  assert.throws(
    () => parseConfigFile(f({ emoji: { cars: { x: "@everyone" } } }), "c.json"),
    /timeAttack\.emoji\.cars\.x: a custom emoji as Discord writes it/,
  );
  assert.throws(
    () => parseConfigFile(f({}, { names: { tracks: { x: { name: "" } } } }), "c.json"),
    /names\.tracks\.x\.name/,
  );
});
