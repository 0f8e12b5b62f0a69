/**
 * The map MVP (issue 18): each map of a session carries the MVP of its counted rounds, R1 and R2
 * summed as the map post does (games/etl/mvp.ts), on the session view, in
 * `/api/etl/sessions/:id` and on the session page; a round an admin excludes drops out of it.
 */
import assert from "node:assert/strict";
import { mvpOfRounds } from "@/games/etl/mvp.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { setRoundOverride } from "@/kv/etl/exclusion.ts";
import { getSession, listSessions } from "@/kv/etl/sessions.ts";
import { getSessionView } from "@/kv/etl/views.ts";
import { testApp } from "@/tests/_app.ts";

const NOW = new Date("2025-02-01T12:00:00Z");

Deno.test("ET:Legacy map MVP: per map over its counted rounds, in the view, the API and the page", async () => {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: false, now: () => NOW });
  const enc = new TextEncoder();
  for (const f of generateEtlFiles(12, { seed: 11, players: 16, perRound: 12, mapsPerNight: 3 })) {
    const r = await imp.importOne({ name: f.name, bytes: enc.encode(f.text) });
    assert.equal(r.status, "imported", r.reason);
  }
  const [brief] = await listSessions(kv);
  const detail = (await getSession(kv, brief!.id))!;
  const view = (await getSessionView(kv, brief!.id))!;
  assert.equal(view.maps.length, 3);
  view.maps.forEach((m, i) => {
    const d = detail.maps[i]!;
    const want = mvpOfRounds([d.r1!.players, d.r2!.players]);
    assert.ok(want, "a generated map has a scoring player");
    assert.deepEqual(m.mvp, want);
    // The sums: the MVP's kills over both rounds, not one round's.
    const kills = [d.r1!, d.r2!].flatMap((r) => r.players).filter((p) => p.guid === want.guid)
      .reduce((n, p) => n + p.kills, 0);
    assert.ok(kills > 0);
  });

  const api = testApp(kv);
  const body = await (await api.request(`/api/etl/sessions/${brief!.id}`)).json();
  assert.deepEqual(body.maps.map((m: { mvp: unknown }) => m.mvp), view.maps.map((m) => m.mvp));
  const page = await (await api.request(`/etl/sessions/${brief!.id}`)).text();
  for (const m of view.maps) {
    assert.ok(
      page.includes(`<a href="/etl/players/${m.mvp!.guid}">${m.mvp!.name} (${m.mvp!.score.toFixed(1)})</a>`),
      `the page names ${m.map}'s MVP`,
    );
  }

  // Exclude the first map's R2: its MVP is R1's alone; exclude R1 too: no MVP for that map.
  const first = detail.maps[0]!;
  assert.equal((await setRoundOverride(kv, first.r2!.id, "exclude", { now: NOW })).status, "done");
  const one = (await getSessionView(kv, brief!.id))!;
  assert.deepEqual(one.maps[0]!.mvp, mvpOfRounds([first.r1!.players]));
  assert.deepEqual(one.maps.slice(1).map((m) => m.mvp), view.maps.slice(1).map((m) => m.mvp));
  await setRoundOverride(kv, first.r1!.id, "exclude", { now: NOW });
  assert.equal((await getSessionView(kv, brief!.id))!.maps[0]!.mvp, null);
  const res = await api.request(`/api/etl/sessions/${brief!.id}`);
  assert.equal((await res.json()).maps[0].mvp, null);
});
