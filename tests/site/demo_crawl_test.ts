/** The demo league: every section filled, the navigation only lists what a hub has, every link answers 200. */
import assert from "node:assert/strict";
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";
import { demoConfig, fillDemo } from "@/fixtures/demo_league.ts";
import { crawl } from "@/tests/_crawl.ts";

const NOW = new Date("2026-03-18T15:30:00Z");

Deno.test("the demo: a crawl of every page from / answers 200, and every section has content", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = demoConfig(loadConfig((n) => (n === "PODIUM_KV" ? ":memory:" : undefined)), NOW);
  const summary = await fillDemo(kv, config, NOW, { small: true });
  assert.equal(summary.rejected, 0);
  const app = createApp({ kv, config, now: () => NOW });
  const bodies = new Map<string, string>();
  const visits = await crawl(async (path) => {
    const res = await app.request(path);
    const body = await res.text();
    bodies.set(path, body);
    return { status: res.status, type: res.headers.get("content-type") ?? "", body };
  });
  const bad = visits.filter((v) => v.status !== 200);
  assert.deepEqual(bad, [], `every link answers 200 (${visits.length} visited)`);
  for (const p of ["/tracks", "/etl", "/ta", "/numbers", "/search", "/api/tracks"]) {
    assert.ok(visits.some((v) => v.path === p), `${p} is linked from the site`);
  }
  for (const prefix of ["/tracks/", "/drivers/", "/sessions/", "/etl/", "/ta/", "/numbers/"]) {
    assert.ok(visits.some((v) => v.path.startsWith(prefix)), `pages under ${prefix} were reached`);
  }
  const home = bodies.get("/")!;
  for (const label of ["Tracks", "ET:Legacy", "Time attack", "Car numbers"]) {
    assert.match(home, new RegExp(`<a href="[^"]+"[^>]*>${label}</a>`), `nav has ${label}`);
  }
  assert.match(bodies.get("/ta")!, /\(now\)/, "an event is live now");
  assert.match(bodies.get("/etl")!, /<table|<ol/, "ET:Legacy sessions are listed");
  assert.doesNotMatch(bodies.get("/numbers")!, /No iRacing league has been set up yet/);
});

Deno.test("navigation lists only the sections a hub has; an empty hub's links all answer 200", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = loadConfig((n) => (n === "PODIUM_KV" ? ":memory:" : undefined));
  const app = createApp({ kv, config, now: () => NOW });
  const home = await (await app.request("/")).text();
  for (const href of ["/ta", "/etl", "/numbers"]) {
    assert.doesNotMatch(home, new RegExp(`href="${href}"`), `no ${href} link on a hub without it`);
  }
  const visits = await crawl(async (path) => {
    const res = await app.request(path);
    return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
  });
  assert.deepEqual(visits.filter((v) => v.status !== 200), []);
});
