/**
 * Driver pages of entrants without a valid lap (issue 16: 103 of 430 pages were empty): their
 * sessions and results are listed, with a sentence saying why there is no personal best.
 */
import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { driverSessions } from "@/kv/racing/driver_sessions.ts";
import { listDriverTracks } from "@/kv/racing/drivers.ts";
import { kvReader } from "@/kv/reader.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { testApp } from "@/tests/_app.ts";
import { getSession } from "@/kv/racing/sessions.ts";
import { listSamples, readSample, sampleTest } from "@/tests/_samples.ts";

const FAST = "S76561190000000101", INVALID = "S76561190000000102", NOLAPS = "S76561190000000103";
const HOSTILE = "S76561190000000104";

async function store(kv: Deno.Kv) {
  const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
  const files = [
    {
      name: "251101_200000_Q.json",
      bytes: accFile({
        track: "monza",
        type: "Q",
        cars: [
          { playerId: FAST, first: "Fast", last: "Driver", laps: [108_000, 107_500] },
          { playerId: INVALID, first: "Off", last: "Track", laps: [109_000, 110_000], invalid: [0, 1] },
          { playerId: NOLAPS, first: "Never", last: "Started", carModel: 25, laps: [] },
        ],
      }),
    },
    {
      name: "251101_210000_R.json",
      bytes: accFile({
        track: "monza",
        type: "R",
        cars: [
          { playerId: FAST, first: "Fast", last: "Driver", laps: [109_000, 108_200, 108_100] },
          { playerId: INVALID, first: "Off", last: "Track", laps: [111_000], invalid: [0] },
          { playerId: NOLAPS, first: "Never", last: "Started", carModel: 25, laps: [] },
          { playerId: HOSTILE, first: "<img src=x onerror=alert(1)>", last: "&amp;", laps: [], dsq: true },
        ],
      }),
    },
    {
      name: "251102_200000_Q.json",
      bytes: accFile({
        track: "spa",
        type: "Q",
        cars: [{ playerId: FAST, first: "Fast", last: "Driver", laps: [140_000] }],
      }),
    },
  ];
  for (const f of files) assert.equal((await imp.importOne(f)).status, "imported", f.name);
}

Deno.test("A driver without a valid lap has a page: their sessions, positions, cars and laps, and why no PB", async (t) => {
  using kv = await Deno.openKv(":memory:");
  await store(kv);
  const app = testApp(kv);
  const page = async (id: string) => {
    const res = await app.request(`/drivers/${id}`);
    assert.equal(res.status, 200, id);
    return await res.text();
  };

  await t.step("never completed a lap", async () => {
    const body = await page(NOLAPS);
    assert.match(body, /<h1>Never Started<\/h1>/);
    assert.match(body, /has no valid lap in the imported sessions/);
    assert.match(body, /<dt>Sessions<\/dt>\s*<dd>2<\/dd>/);
    const rows = body.split("<tbody>").at(-1)!;
    assert.equal(rows.match(/0 \(none completed\)/g)?.length, 2);
    assert.match(rows, /Race/);
    assert.match(rows, /Qualifying/);
    assert.match(rows, /P3 <span class="muted">of 4<\/span>/, "third of the race's four cars");
    assert.match(rows, /no valid lap/);
    assert.match(rows, /href="\/sessions\/acc-20251101-210000-r-/);
  });

  await t.step("only invalid laps", async () => {
    const body = await page(INVALID);
    assert.match(body, /has no valid lap/);
    assert.match(body, /<td class="num">2<\/td>/, "two laps in qualifying, none valid");
    assert.match(body, /<td class="num">1<\/td>/);
  });

  await t.step("a driver with PBs keeps them and gets the sessions too, newest first", async () => {
    const body = await page(FAST);
    assert.doesNotMatch(body, /has no valid lap/);
    assert.match(body, /<h2 id="pbs">Personal bests<\/h2>/);
    const sessions = body.slice(body.indexOf('id="driven"'));
    const spa = sessions.indexOf("/sessions/acc-20251102"),
      race = sessions.indexOf("/sessions/acc-20251101-21");
    assert.ok(spa > 0 && race > spa, "spa (newest) before the Monza race");
    assert.match(sessions, /1:48\.100/);
  });

  await t.step("counts read as words that agree: one car, one lap, one session", async () => {
    const body = await page(FAST);
    const spa = /href="(\/sessions\/acc-20251102[^"]+)"/.exec(body)![1]!;
    const session = await (await app.request(spa)).text();
    assert.match(session, /1 car · 1 lap/);
    assert.match(await (await app.request("/tracks/acc/spa")).text(), /ACC · 1 session \(/);
  });

  await t.step("a disqualified entrant with markup in their name", async () => {
    const body = await page(HOSTILE);
    assert.ok(!body.includes("<img src=x"));
    assert.ok(body.includes("&lt;img src=x onerror=alert(1)&gt;"));
    assert.match(body, /DSQ <span class="muted">of 4<\/span>/);
  });

  await t.step("driverSessions() reads only the tracks and span the stats name", async () => {
    const r = await driverSessions(kv, [NOLAPS], await listDriverTracks(kvReader(kv), NOLAPS), 1);
    assert.equal(r.sessions.length, 1);
    assert.equal(r.sessions[0]!.kind, "R");
    assert.equal(r.more, true);
    assert.equal(r.sessions[0]!.laps, 0);
    assert.equal(r.sessions[0]!.bestLapMs, null);
  });
});

sampleTest(
  "Every entrant of the real ACC and AC samples has a driver page listing their sessions",
  async () => {
    using kv = await Deno.openKv(":memory:");
    const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
    const files = [...listSamples("acc"), ...listSamples("ac")].filter((p) => p.endsWith(".json"));
    const sessionIds: string[] = [];
    for (const rel of files) {
      const rep = await imp.importOne({ name: rel.slice(rel.lastIndexOf("/") + 1), bytes: readSample(rel) });
      if (rep.status === "imported" && rep.sessionId) sessionIds.push(rep.sessionId);
    }
    const entrants = new Map<string, Set<string>>();
    let withoutLap = 0;
    for (const id of sessionIds) {
      const s = (await getSession(kvReader(kv), id))!;
      for (const car of s.cars) {
        for (const d of car.drivers) entrants.set(d.id, (entrants.get(d.id) ?? new Set()).add(id));
        if (car.bestLapMs === null) withoutLap++;
      }
    }
    assert.ok(withoutLap > 0, "the samples have cars without a valid lap");
    const app = testApp(kv);
    let noPb = 0;
    for (const [id, n] of entrants) {
      const res = await app.request(`/drivers/${encodeURIComponent(id)}`);
      if (res.status === 302) continue; // grouped into a person by the samples' names
      assert.equal(res.status, 200, id);
      const body = await res.text();
      const rows = body.slice(body.indexOf('id="driven"')).split("<tbody>")[1]?.split("</tbody>")[0] ?? "";
      assert.ok(body.includes('id="driven"'), `${id}: sessions listed`);
      assert.equal(rows.split("<tr>").length - 1, Math.min(n.size, 20), `${id}: one row per session`);
      if (body.includes("has no valid lap")) noPb++;
    }
    assert.ok(noPb > 0, "some entrants have no PB and say so");
  },
);
