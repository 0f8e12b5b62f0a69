import assert from "node:assert/strict";
import { createApp } from "@/app.ts";
import type { Config } from "@/config.ts";
import { testApp } from "@/tests/_app.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { acFile, importFiles, seasonSamples, taConfig } from "@/tests/ta/_ta.ts";

function app(kv: Deno.Kv, config: Config) {
  return createApp({ kv, config, now: () => new Date("2019-03-05T12:00:00Z") });
}

async function getJson(a: ReturnType<typeof app>, path: string) {
  const res = await a.request(path);
  // deno-lint-ignore no-explicit-any
  const body: any = await res.json();
  return { status: res.status, body };
}

Deno.test("GET /api/ta/seasons/:season gives the schedule with ISO instants", async () => {
  using kv = await Deno.openKv(":memory:");
  const { status, body } = await getJson(app(kv, taConfig()), "/api/ta/seasons/1");
  assert.equal(status, 200);
  assert.equal(body.season, 1);
  assert.equal(body.timeZone, "America/Chicago");
  assert.equal(body.events.length, 11);
  assert.deepEqual(body.events[1], {
    key: "event1",
    name: "Week 1",
    track: "ks_red_bull_ring",
    layout: "layout_national",
    cars: ["rss_formula_rss_4"],
    trackName: "Red Bull Ring National",
    country: "Austria",
    flag: "🇦🇹",
    carNames: [{ id: "rss_formula_rss_4", name: "Rss Formula Rss 4", brand: null }],
    start: "2019-02-15T21:00:00.000Z",
    end: "2019-03-01T06:00:00.000Z",
    counts: true,
    listed: true,
    week: 1,
  });
  assert.equal(body.events[0].counts, false);
  assert.equal(body.events[0].listed, false, "the preseason is not listed, yet in the API");
  assert.equal(body.events[0].week, null);
  assert.equal(body.events[10].key, "event10");
  assert.equal(body.events[10].end, null);
});

sampleTest("GET /api/ta/seasons/:season/events/:key and /standings on the real samples", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  await importFiles(kv, config, seasonSamples());
  const a = app(kv, config);
  const ev = await getJson(a, "/api/ta/seasons/1/events/event2");
  assert.equal(ev.status, 200);
  assert.deepEqual(Object.keys(ev.body), [
    "season",
    "key",
    "track",
    "layout",
    "cars",
    "trackName",
    "country",
    "flag",
    "carNames",
    "start",
    "end",
    "entries",
  ]);
  assert.deepEqual(ev.body.carNames[1], {
    id: "ks_mercedes_amg_gt3",
    name: "Mercedes-AMG GT3",
    brand: "Mercedes-AMG",
  });
  assert.equal(ev.body.entries.length, 3);
  assert.deepEqual(ev.body.entries[0], {
    rank: 1,
    driver: { id: "76561198029578060", name: "Joseph Elton" },
    lapMs: 122151,
    lap: "2:02.151",
    car: "ks_mercedes_amg_gt3",
    carName: "Mercedes-AMG GT3",
    setAt: "2019-03-02T16:27:00.000Z",
  });
  const st = await getJson(a, "/api/ta/seasons/1/standings");
  assert.equal(st.status, 200);
  assert.equal(st.body.counted, 9);
  assert.deepEqual(st.body.entries[1], {
    rank: 2,
    driver: { id: "76561198020046073", name: "Callum Jones" },
    points: 195.57,
    events: { event1: 97.64, event2: 97.93 },
  });
  // A later file changes the answer at once (the kept answer is dropped on import).
  await importFiles(kv, config, [
    acFile({
      at: "2019-03-03T20:00",
      track: "suzuka",
      layout: "suzukagp",
      laps: [{ guid: "76561198074322763", name: "Seb", car: "ks_mclaren_650_gt3", ms: 121000 }],
    }),
  ]);
  const again = await getJson(a, "/api/ta/seasons/1/events/event2");
  assert.equal(again.body.entries[0].driver.name, "Seb");
});

Deno.test("GET /api/ta answers 404 and 400 with a sentence", async () => {
  using kv = await Deno.openKv(":memory:");
  const a = app(kv, taConfig());
  const unknown = await getJson(a, "/api/ta/seasons/7");
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error, /Unknown season 7; seasons: 1/);
  assert.equal((await getJson(a, "/api/ta/seasons/one")).status, 400);
  const ev = await getJson(a, "/api/ta/seasons/1/events/event99");
  assert.equal(ev.status, 404);
  assert.match(ev.body.error, /Unknown event "event99" in season 1/);
  const off = await getJson(testApp(kv), "/api/ta/seasons/1");
  assert.equal(off.status, 404);
  assert.match(off.body.error, /not configured/);
});
