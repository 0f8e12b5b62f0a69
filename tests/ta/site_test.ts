/** The time-attack pages through `app.request()`: schedule, an event's leaderboard, standings, 404s, escaping. */
import assert from "node:assert/strict";
import { createApp } from "@/app.ts";
import type { Config } from "@/config.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { acFile, importFiles, seasonSamples, taConfig } from "@/tests/ta/_ta.ts";

function app(kv: Deno.Kv, config: Config) {
  return createApp({
    kv,
    config,
    now: () => new Date("2019-03-05T12:00:00Z"),
    discord: null,
    delivery: null,
  });
}

async function html(a: ReturnType<typeof app>, path: string) {
  const res = await a.request(path);
  return { status: res.status, body: await res.text() };
}

sampleTest("GET /ta shows the schedule, each event's leaderboard and the standings", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  await importFiles(kv, config, [
    ...seasonSamples(),
    acFile({
      at: "2019-03-03T10:00",
      track: "suzuka",
      layout: "suzukagp",
      laps: [{ guid: "666", name: "<script>alert(1)</script>", car: "ks_mclaren_650_gt3", ms: 140000 }],
    }),
  ]);
  const a = app(kv, config);
  const sc = await html(a, "/ta");
  assert.equal(sc.status, 200);
  assert.match(sc.body, /<h1>Time attack, season 1<\/h1>/);
  assert.match(sc.body, /href="\/ta\/1\/events\/event2">event2<\/a> \(now\)/);
  assert.match(sc.body, /Fri, Mar 1, 2019, 00:00 CST/);
  assert.match(sc.body, /Fri, Mar 15, 2019, 00:00 CDT/, "after the DST change");
  assert.match(sc.body, /best 9 of 10 scoring events count/);
  assert.doesNotMatch(sc.body, /preseason|Barbagallo/i, "the preseason is not listed");
  assert.match(sc.body, /<td class="num">1<\/td><th scope="row"><a href="\/ta\/1\/events\/event1">Week 1/);
  assert.match(
    sc.body,
    /<span title="ks_red_bull_ring \/ layout_national">🇦🇹 Red Bull Ring National<\/span>/,
  );
  assert.match(sc.body, /<td>McLaren 650S GT3, Mercedes-AMG GT3<\/td>/);
  assert.equal((await html(a, "/ta/1/events/preseason")).status, 200, "its leaderboard stays");
  assert.ok(sc.body.indexOf("event10") > sc.body.indexOf("event2"), "event10 after event2");
  assert.match(sc.body, /href="\/ta\/1\/standings"/);
  assert.match(sc.body, /href="\/ta"/, "in the main navigation");
  assert.equal((await html(a, "/ta/1")).status, 200);

  const ev = await html(a, "/ta/1/events/event2");
  assert.equal(ev.status, 200);
  assert.match(ev.body, /<h1>event2<\/h1>/);
  assert.match(ev.body, /href="\/drivers\/76561198029578060">Joseph Elton<\/a>/);
  assert.match(ev.body, /2:02\.151/);
  assert.match(ev.body, /00:00 CST to Fri, Mar 8, 2019, 00:00 CST/);
  assert.match(ev.body, /\+3\.827/);
  assert.match(ev.body, /<td class="opt" title="ks_mercedes_amg_gt3">Mercedes-AMG GT3<\/td>/);
  assert.doesNotMatch(ev.body, /<script>alert/);
  assert.match(ev.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);

  const st = await html(a, "/ta/1/standings");
  assert.equal(st.status, 200);
  assert.match(st.body, /The best 9 event scores count/);
  assert.match(st.body, /Joseph Elton<\/a><\/th><td class="num">202\.00<\/td>/);
  assert.match(st.body, /<th scope="col" class="num opt">Week 1<\/th>/);
});

Deno.test("GET /ta answers 404 pages for what does not exist", async () => {
  using kv = await Deno.openKv(":memory:");
  const a = app(kv, taConfig());
  for (const path of ["/ta/9", "/ta/x", "/ta/1/events/nope", "/ta/2/standings"]) {
    const r = await html(a, path);
    assert.equal(r.status, 404, path);
  }
  const off = app(kv, { ...taConfig(), timeAttack: undefined });
  const r = await html(off, "/ta");
  assert.equal(r.status, 404);
  assert.match(r.body, /Time attack is not set up/);
});
