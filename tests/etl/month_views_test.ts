/**
 * The ET:Legacy pages and /api/etl over the generated month (fixtures/etl_month.ts): what
 * tests/etl/site_test.ts and api_test.ts check over the real samples, with the values the
 * generator knows (rounds, sessions, pairs, per-player counts).
 */
import assert from "node:assert/strict";
import { testApp } from "@/tests/_app.ts";
import { biggestSession, importMonth, MONTH, pairedR2, roundIdOf, sessionOf } from "@/tests/etl/_month.ts";

const STORED = MONTH.files.filter((f) => f.slomix.success);
const IRON = MONTH.regulars[0]!; // E7000001, "^1Iron^7Fist"

async function month(): Promise<{ kv: Deno.Kv; app: ReturnType<typeof testApp> } & Disposable> {
  const kv = await Deno.openKv(":memory:");
  await importMonth(kv);
  return { kv, app: testApp(kv), [Symbol.dispose]: () => kv.close() };
}

Deno.test("the ET:Legacy pages over the generated month", async (t) => {
  using m = await month();
  const get = async (path: string, status = 200) => {
    const res = await m.app.request(path);
    const html = await res.text();
    assert.equal(res.status, status, `${path}: ${html.slice(0, 300)}`);
    return html;
  };
  const big = biggestSession();
  await t.step("sessions, a session with its maps, score and players", async () => {
    const list = await get("/etl");
    for (const s of MONTH.sessions) assert.match(list, new RegExp(`href="/etl/sessions/${s.id}"`), s.id);
    const s = await get(`/etl/sessions/${big.id}`);
    const maps = STORED.filter((f) => sessionOf(f) === big).map((f) =>
      f.name.slice(18).replace(/-round-\d\.txt$/, "")
    );
    for (const map of new Set(maps)) assert.match(s, new RegExp(map), map);
    assert.match(s, /class="etn"/);
    assert.match(s, new RegExp(`href="/etl/players/${IRON.guid}"`));
    await get("/etl/sessions/2099-01-01-000000", 404);
  });
  await t.step("a round, a player with the form chart, leaderboards", async () => {
    const r = await get(`/etl/rounds/${roundIdOf(pairedR2())}`);
    assert.match(r, /round 2 alone/);
    const p = await get(`/etl/players/${IRON.guid}`);
    assert.match(p, /<svg/);
    assert.match(p, /class="etc1">Iron/, "the name in its colours (^1)");
    assert.match(p, /class="etc\d+"/);
    const lb = await get("/etl/leaderboards?metric=kd");
    assert.match(lb, /K\/D/);
    await get("/etl/leaderboards?metric=nope", 404);
    await get("/etl/players/FFFFFFFF", 404);
  });
});

Deno.test("/api/etl over the generated month", async (t) => {
  using m = await month();
  const get = async (path: string, status = 200) => {
    const res = await m.app.request(path);
    const body = await res.json();
    assert.equal(res.status, status, `${path}: ${JSON.stringify(body)}`);
    return body;
  };
  const total = STORED.length;

  await t.step(`rounds: newest first, cursor paging to a null cursor, ${total} in all`, async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { rounds: { id: string }[]; cursor: string | null } = await get(
        `/api/etl/rounds?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...page.rounds.map((r) => r.id));
      cursor = page.cursor;
    } while (cursor);
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    assert.deepEqual(new Set(seen), new Set(STORED.map(roundIdOf)));
    // Every round's session on a page equals the one its own page says, and the generator's.
    const page = await get(`/api/etl/rounds?limit=${total}`);
    for (const r of page.rounds) {
      const f = STORED.find((x) => roundIdOf(x) === r.id)!;
      assert.equal(r.sessionId, (await get(`/api/etl/rounds/${r.id}`)).sessionId, r.id);
      assert.equal(r.sessionId, sessionOf(f).id, r.id);
    }
    assert.equal(seen[0], roundIdOf(STORED.at(-1)!));
    assert.ok(seen[0]! > seen.at(-1)!);
    assert.equal(page.cursor, null);
    await get("/api/etl/rounds?limit=0", 400);
    await get("/api/etl/rounds?cursor=@@@", 400);
  });

  await t.step("round by id: sourceFile, the session and the differential", async () => {
    const f = pairedR2();
    const r = await get(`/api/etl/rounds/${roundIdOf(f)}`);
    assert.equal(r.sourceFile, f.name);
    assert.equal(r.map, f.name.slice(18).replace(/-round-2\.txt$/, ""));
    assert.equal(r.round, 2);
    assert.equal(r.differential, true);
    assert.equal(r.sessionId, sessionOf(f).id);
    const want = f.slomix.success ? f.slomix.players[IRON.guid]! : assert.fail("stored");
    const p = r.players.find((x: { guid: string }) => x.guid === IRON.guid);
    assert.deepEqual(
      [p.kills, p.deaths, p.damageGiven, p.damageReceived, p.headshots, p.timePlayedS, p.name],
      [
        want.kills,
        want.deaths,
        want.damage_given,
        want.damage_received,
        want.headshots,
        // Slomix truncates f22*60; the true time is a whole number of 6-second steps.
        Math.round(want.time_played_seconds / 6) * 6,
        IRON.name,
      ],
    );
    await get("/api/etl/rounds/nope", 404);
  });

  await t.step("rounds of one session", async () => {
    const s = biggestSession();
    const page = await get(`/api/etl/rounds?session=${s.id}&limit=5`);
    assert.equal(page.rounds.length, 5);
    assert.ok(page.rounds.every((r: { sessionId: string }) => r.sessionId === s.id));
    assert.equal(page.cursor, "5");
    await get("/api/etl/rounds?session=2099-01-01-000000", 404);
  });

  await t.step("sessions and a session: maps, score, players", async () => {
    const { sessions } = await get("/api/etl/sessions?limit=100");
    assert.deepEqual(sessions.map((s: { id: string }) => s.id), MONTH.sessions.map((s) => s.id).reverse());
    for (const want of MONTH.sessions) {
      const s = await get(`/api/etl/sessions/${want.id}`);
      assert.equal(s.rounds, want.rounds, want.id);
      assert.equal(s.maps.filter((m: { result: unknown }) => m.result).length, want.scored, want.id);
      if (want.scored > 0) assert.equal(s.score.teams[0].points + s.score.teams[1].points, 2 * want.scored);
    }
    const s = await get(`/api/etl/sessions/${biggestSession().id}`);
    assert.ok(s.players.length >= 6);
    await get("/api/etl/sessions/2025-03-05-000000", 404);
  });

  await t.step("player: newest name, totals, per map, recent rounds", async () => {
    const p = await get(`/api/etl/players/${IRON.guid.toLowerCase()}`);
    assert.equal(p.guid, IRON.guid);
    assert.equal(p.name, IRON.name);
    assert.ok(p.totals.rounds > 0);
    assert.ok(p.maps.length > 0);
    assert.ok(p.metrics.kd > 0);
    // Renamed for one R2 (SmetarskiMedic, then SmetarskiLoto), then back: the newest name wins.
    const renamed = await get("/api/etl/players/E7000006");
    assert.equal(renamed.name, STORED.findLast((f) => "E7000006" in f.names)!.names["E7000006"]);
    assert.ok(STORED.some((f) => f.names["E7000006"] === "SmetarskiLoto"));
    await get("/api/etl/players/FFFFFFFF", 404);
  });

  await t.step("leaderboard by metric, with its floor", async () => {
    const lb = await get("/api/etl/leaderboard?metric=kills&limit=5");
    assert.equal(lb.rows.length, 5);
    for (let i = 1; i < lb.rows.length; i++) assert.ok(lb.rows[i - 1].value >= lb.rows[i].value);
    const kd = await get("/api/etl/leaderboard?metric=kd");
    assert.ok(kd.rows.length > 0);
    assert.ok(kd.rows.every((r: { rounds: number }) => r.rounds >= 10));
    const week = await get("/api/etl/leaderboard?metric=dpm&period=7d");
    assert.equal(week.rows.length, 0); // the test clock is in 2026; the month is in 2025
    await get("/api/etl/leaderboard?metric=nope", 400);
    await get("/api/etl/leaderboard", 400);
    const metrics = await get("/api/etl/metrics");
    assert.ok(metrics.some((m: { id: string }) => m.id === "accuracy"));
  });
});
