/**
 * Time attack over the project's own season (fixtures/gen_ta.ts: a hidden preseason, past weekly
 * events with their laps, one live now, two to come): what the tests on the real AC samples check
 * (boards, standings, the API and the pages), on files a fresh clone generates.
 */
import assert from "node:assert/strict";
import { createApp } from "@/app.ts";
import { type Config, loadConfig, parseConfigFile } from "@/config.ts";
import { Importer } from "@/ingest/importer.ts";
import { seasonBoards } from "@/kv/ta/boards.ts";
import { computeStandings } from "@/kv/ta/standings.ts";
import { taSeason } from "@/fixtures/gen_ta.ts";

const NOW = new Date("2026-03-18T15:30:00Z");
const SEASON = taSeason(NOW);

function config(): Config {
  const base = loadConfig((n) => (n === "PODIUM_KV" ? ":memory:" : undefined));
  const file = parseConfigFile({
    servers: [SEASON.server, { id: "ac-other", game: "ac" }],
    timeAttack: SEASON.timeAttack,
  }, "season.json");
  return { ...base, ...file, discord: { ...file.discord, credentials: null } };
}

async function imported(serverId?: string): Promise<{ kv: Deno.Kv; config: Config }> {
  const kv = await Deno.openKv(":memory:");
  const c = config();
  const imp = new Importer(kv, { announce: false, now: () => NOW, timeZoneOf: () => "UTC" });
  for (const f of SEASON.files) {
    const r = await imp.importOne(serverId ? { ...f, serverId } : f);
    assert.equal(r.status, "imported", `${f.name}: ${r.reason}`);
  }
  return { kv, config: c };
}

/** Each driver's cut-free laps in a file, by GUID. */
function cleanLaps(bytes: Uint8Array): Map<string, number[]> {
  const json = JSON.parse(new TextDecoder().decode(bytes));
  const out = new Map<string, number[]>();
  for (const l of json.Laps) {
    if (l.Cuts === 0) out.set(l.DriverGuid, [...(out.get(l.DriverGuid) ?? []), l.LapTime]);
  }
  return out;
}

Deno.test("seasonBoards() on a generated season: past events ranked from their own laps, later ones empty", async () => {
  const { kv, config: c } = await imported();
  try {
    const ta = c.timeAttack!;
    const boards = await seasonBoards(kv, ta, ta.seasons[0]!);
    const keys = boards.map((b) => b.event.key);
    assert.deepEqual(keys.slice(0, 3), ["preseason", "week1", "week2"]);
    // The generator drives one weekend (two files) per event, the live one included.
    for (const [i, b] of boards.entries()) {
      const files = SEASON.files.slice(2 * i, 2 * i + 2);
      if (files.length === 0) {
        assert.equal(b.entries.length, 0, `${b.event.key} has not started`);
        continue;
      }
      assert.ok(b.entries.length > 0, b.event.key);
      const laps = files.map((f) => cleanLaps(f.bytes));
      const ids = new Set<string>();
      for (const [j, e] of b.entries.entries()) {
        assert.equal(e.rank, j + 1);
        if (j > 0) assert.ok(e.lapMs >= b.entries[j - 1]!.lapMs, "in lap-time order");
        assert.ok(!ids.has(e.driver.id), "one entry per driver");
        ids.add(e.driver.id);
        assert.ok(
          laps.some((m) => m.get(e.driver.id)?.includes(e.lapMs)),
          `${b.event.key}: a cut-free lap of ${e.driver.id}`,
        );
      }
    }
  } finally {
    kv.close();
  }
});

Deno.test("seasonBoards() ignores the same files from another server; standings score no preseason", async () => {
  const other = await imported("ac-other");
  try {
    const ta = other.config.timeAttack!;
    assert.ok((await seasonBoards(other.kv, ta, ta.seasons[0]!)).every((b) => b.entries.length === 0));
  } finally {
    other.kv.close();
  }
  const { kv, config: c } = await imported();
  try {
    const s = c.timeAttack!.seasons[0]!;
    const st = computeStandings(s, await seasonBoards(kv, c.timeAttack!, s));
    assert.equal(st.counted, s.events.filter((e) => e.counts).length - s.dropWeeks);
    assert.ok(st.entries.length > 0);
    for (const e of st.entries) assert.ok(!("preseason" in e.events), e.driver.name);
    for (let i = 1; i < st.entries.length; i++) assert.ok(st.entries[i]!.points <= st.entries[i - 1]!.points);
  } finally {
    kv.close();
  }
});

Deno.test("GET /ta, /api/ta/seasons/1/events/:key and /standings on a generated season", async () => {
  const { kv, config: c } = await imported();
  try {
    const app = createApp({ kv, config: c, now: () => NOW });
    const page = await app.request("/ta");
    assert.equal(page.status, 200);
    const text = (await page.text()).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    assert.match(text, /Week 5 \(now\)/, "the live event is marked");
    const ev = await app.request("/api/ta/seasons/1/events/week2");
    assert.equal(ev.status, 200);
    const body = await ev.json();
    assert.equal(body.key, "week2");
    assert.ok(body.entries.length > 0);
    const st = await app.request("/api/ta/seasons/1/standings");
    assert.equal(st.status, 200);
    assert.ok((await st.json()).entries.length > 0);
  } finally {
    kv.close();
  }
});
