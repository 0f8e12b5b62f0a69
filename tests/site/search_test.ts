/**
 * Site search beyond racing (issue 16): ET:Legacy players and maps and time-attack events are
 * found, escaped, shown with their game, and the group holding the best match comes first.
 */
import assert from "node:assert/strict";
import { createApp } from "@/app.ts";
import { type Config, loadConfig, parseConfigFile } from "@/config.ts";
import { generateEtlFiles, render, rng, roundLine } from "@/fixtures/gen_etl.ts";
import { taSeason } from "@/fixtures/gen_ta.ts";
import { Importer } from "@/ingest/importer.ts";
import { matchScore } from "@/lib/text.ts";

const NOW = new Date("2026-03-18T15:30:00Z");
const HOSTILE_ETL = "<img src=x onerror=alert(1)>Rambo";

function config(): Config {
  const season = taSeason(NOW);
  const ta = season.timeAttack as { seasons: { events: { key: string; name: string }[] }[] };
  ta.seasons[0]!.events.find((e) => e.key === "week3")!.name = "Week 3 <b>Sprint</b>";
  const base = loadConfig((n) => (n === "PODIUM_KV" ? ":memory:" : undefined));
  const file = parseConfigFile({ servers: [season.server], timeAttack: ta }, "season.json");
  return { ...base, ...file, discord: { ...file.discord, credentials: null } };
}

async function store(kv: Deno.Kv) {
  const imp = new Importer(kv, { announce: false, now: () => NOW });
  const enc = new TextEncoder();
  for (const f of taSeason(NOW).files) assert.equal((await imp.importOne(f)).status, "imported");
  for (const f of generateEtlFiles(6, { seed: 3, players: 10, perRound: 6 })) {
    assert.equal((await imp.importOne({ name: f.name, bytes: enc.encode(f.text) })).status, "imported");
  }
  const r = rng(9);
  const text = "^a#^7bench\\supply\\legacy6\\1\\1\\1\\12:00\\5:00\n" +
    render("ABCDEF01", HOSTILE_ETL, 0, 1, roundLine(r, 5)) +
    render("ABCDEF02", "^1Gold^7finger", 0, 2, roundLine(r, 5));
  const rep = await imp.importOne({ name: "2025-03-01-210000-supply-round-1.txt", bytes: enc.encode(text) });
  assert.equal(rep.status, "imported", rep.reason);
}

Deno.test("matchScore(): whole name, start, every typed word starting a word; separators ignored", () => {
  assert.equal(matchScore("sw_goldrush_te", "sw_goldrush_te"), 0);
  assert.equal(matchScore("sw_goldrush_te", "SW Goldrush"), 1);
  assert.equal(matchScore("sw_goldrush_te", "gold"), 2);
  assert.equal(matchScore("sw_goldrush_te", "rush"), null);
  assert.equal(matchScore("Red Bull Ring National", "ring nat"), 2);
  assert.equal(matchScore("anything", "  "), null);
});

Deno.test("/search finds ET:Legacy players and maps and time-attack events, escaped, with the game", async (t) => {
  using kv = await Deno.openKv(":memory:");
  await store(kv);
  const app = createApp({ kv, config: config(), now: () => NOW });
  const search = async (q: string) => {
    const res = await app.request(`/search?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200);
    return await res.text();
  };
  const headings = (body: string) =>
    [...body.matchAll(/<h2 id="hits-[^"]+">([^<]+)<\/h2>/g)].map((m) => m[1]);

  await t.step("an ET:Legacy map by a word of its name, linked to its page", async () => {
    const body = await search("gold");
    assert.match(
      body,
      /<a href="\/etl\/maps\/sw_goldrush_te">sw_goldrush_te<\/a><span class="tag after">ET:Legacy<\/span>/,
    );
    // A player whose name has a word starting with "gold" is found too.
    assert.match(body, /<a href="\/etl\/players\/ABCDEF02">Goldfinger<\/a>/);
    const map = await app.request("/etl/maps/sw_goldrush_te");
    assert.equal(map.status, 200);
    const page = await map.text();
    assert.match(page, /<h1>sw_goldrush_te<\/h1>/);
    assert.match(page, /href="\/etl\/rounds\/[^"]+sw_goldrush_te-r1"/);
    assert.equal((await app.request("/etl/maps/nowhere")).status, 404);
  });

  await t.step("an exact map name puts the maps first", async () => {
    const body = await search("supply");
    assert.equal(headings(body)[0], "ET:Legacy maps");
  });

  await t.step("ET:Legacy players by name and by GUID; a hostile name is escaped", async () => {
    const byName = await search("player");
    assert.ok(headings(byName).includes("ET:Legacy players"));
    assert.match(byName, /<a href="\/etl\/players\/[0-9A-F]{8}">Player\d+<\/a>/);
    const byGuid = await search("abcdef01");
    assert.equal(headings(byGuid)[0], "ET:Legacy players");
    assert.ok(byGuid.includes("&lt;img src=x onerror=alert(1)&gt;Rambo"));
    assert.ok(!byGuid.includes("<img src=x"));
    const rambo = await search("<img");
    assert.ok(!rambo.includes("<img src=x"));
    assert.ok(rambo.includes("Results for “&lt;img”"));
  });

  await t.step("time-attack events by name, key and track, linked to their board, escaped", async () => {
    const week2 = await search("week 2");
    assert.equal(headings(week2)[0], "Time-attack events");
    assert.match(
      week2,
      /<a href="\/ta\/1\/events\/week2">Week 2<\/a><span class="tag after">AC<\/span><span class="tag after">Time attack<\/span>/,
    );
    const sprint = await search("sprint");
    assert.ok(sprint.includes(`<a href="/ta/1/events/week3">Week 3 &lt;b&gt;Sprint&lt;/b&gt;</a>`));
    const vallelunga = await search("vallelunga");
    assert.match(vallelunga, /href="\/ta\/1\/events\/preseason"/);
    assert.match(vallelunga, /href="\/tracks\/ac\//, "the racing track is found too");
  });

  await t.step("nothing found says so", async () => {
    assert.match(await search("zzzzqq"), /Nothing matches “zzzzqq”/);
  });
});
