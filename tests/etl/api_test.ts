import assert from "node:assert/strict";
import { sampleTest } from "@/tests/_samples.ts";
import { testApp } from "@/tests/_app.ts";
import { etlSampleNames, importSamples } from "@/tests/etl/_etl.ts";

sampleTest("/api/etl over the real samples", async (t) => {
  const kv = await Deno.openKv(":memory:");
  try {
    await importSamples(kv, etlSampleNames());
    const app = testApp(kv);
    const get = async (path: string, status = 200) => {
      const res = await app.request(path);
      const body = await res.json();
      assert.equal(res.status, status, `${path}: ${JSON.stringify(body)}`);
      return body;
    };

    await t.step("rounds: newest first, cursor paging to a null cursor, 96 in all", async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { rounds: { id: string; playedAt: string }[]; cursor: string | null } = await get(
          `/api/etl/rounds?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        seen.push(...page.rounds.map((r) => r.id));
        cursor = page.cursor;
      } while (cursor);
      assert.equal(seen.length, 96);
      assert.equal(new Set(seen).size, 96);
      // Every round's session on a page equals the one its own page says.
      const page = await get("/api/etl/rounds?limit=96");
      for (const r of page.rounds.slice(0, 30)) {
        assert.equal(r.sessionId, (await get(`/api/etl/rounds/${r.id}`)).sessionId, r.id);
      }
      assert.match(seen[0]!, /^2025-10-26-/);
      assert.ok(seen[0]! > seen[95]!);
      const last = await get("/api/etl/rounds?limit=96");
      assert.equal(last.cursor, null);
      await get("/api/etl/rounds?limit=0", 400);
      await get("/api/etl/rounds?cursor=@@@", 400);
    });

    await t.step("round by id: sourceFile, the session and the differential", async () => {
      const r = await get("/api/etl/rounds/2025-10-20-214539-etl_adlernest-r2");
      assert.equal(r.sourceFile, "2025-10-20-214539-etl_adlernest-round-2.txt");
      assert.equal(r.map, "etl_adlernest");
      assert.equal(r.round, 2);
      assert.equal(r.differential, true);
      assert.equal(r.sessionId, "2025-10-20-213931");
      const p = r.players.find((x: { guid: string }) => x.guid === "2B5938F5");
      assert.deepEqual(
        [p.kills, p.deaths, p.damageGiven, p.damageReceived, p.headshots, p.timePlayedS, p.name],
        [7, 11, 1522, 1527, 8, 318, "bronze."],
      );
      await get("/api/etl/rounds/nope", 404);
    });

    await t.step("rounds of one session", async () => {
      const page = await get("/api/etl/rounds?session=2025-10-20-213931&limit=5");
      assert.equal(page.rounds.length, 5);
      assert.ok(page.rounds.every((r: { sessionId: string }) => r.sessionId === "2025-10-20-213931"));
      assert.equal(page.cursor, "5");
      await get("/api/etl/rounds?session=2099-01-01-000000", 404);
    });

    await t.step("sessions and a session: maps, score, players", async () => {
      const { sessions } = await get("/api/etl/sessions?limit=100");
      assert.equal(sessions.length, 27);
      assert.equal(sessions[0].id, "2025-10-26-213907");
      const s = await get("/api/etl/sessions/2025-10-19-212643");
      assert.equal(s.rounds, 24);
      assert.equal(s.maps.filter((m: { result: unknown }) => m.result).length, 12);
      assert.equal(s.score.teams[0].points + s.score.teams[1].points, 24);
      assert.ok(s.players.length >= 6);
      await get("/api/etl/sessions/2025-10-19-000000", 404);
    });

    await t.step("player: newest name, totals, per map, recent rounds", async () => {
      const p = await get("/api/etl/players/2b5938f5");
      assert.equal(p.guid, "2B5938F5");
      assert.ok(p.totals.rounds > 0);
      assert.ok(p.maps.length > 0);
      assert.ok(p.metrics.kd > 0);
      await get("/api/etl/players/FFFFFFFF", 404);
    });

    await t.step("leaderboard by metric, with its floor", async () => {
      const lb = await get("/api/etl/leaderboard?metric=kills&limit=5");
      assert.equal(lb.rows.length, 5);
      for (let i = 1; i < lb.rows.length; i++) assert.ok(lb.rows[i - 1].value >= lb.rows[i].value);
      const kd = await get("/api/etl/leaderboard?metric=kd");
      assert.ok(kd.rows.every((r: { rounds: number }) => r.rounds >= 10));
      const week = await get("/api/etl/leaderboard?metric=dpm&period=7d");
      assert.equal(week.rows.length, 0); // the test clock is in 2026; the samples end in 2025
      await get("/api/etl/leaderboard?metric=nope", 400);
      await get("/api/etl/leaderboard", 400);
      const metrics = await get("/api/etl/metrics");
      assert.ok(metrics.some((m: { id: string }) => m.id === "accuracy"));
    });
  } finally {
    kv.close();
  }
});
