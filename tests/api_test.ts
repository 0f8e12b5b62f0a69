import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { testApp } from "@/tests/_app.ts";
import { countingKv } from "@/tests/_counting_kv.ts";

async function seeded() {
  const kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: true, now: () => new Date("2026-01-05T00:00:00Z") });
  const files = [
    {
      name: "260101_200000_Q.json",
      track: "monza",
      cars: [
        { playerId: "S1", first: "Ann", last: "Fast", laps: [110_000, 100_100] },
        { playerId: "S2", first: "Bob", last: "Slow", laps: [101_000] },
        { playerId: "S3", first: "Cy", last: "Four", carModel: 53, laps: [109_000] },
      ],
    },
    {
      name: "260102_200000_Q.json",
      track: "monza_2020",
      cars: [{ playerId: "S2", first: "Bob", last: "Quick", laps: [100_000] }],
    },
    {
      name: "260103_200000_R.json",
      track: "spa",
      type: "R",
      cars: [{ playerId: "S1", first: "Ann", last: "Fast", laps: [500_000, 140_000] }],
    },
  ];
  for (const f of files) {
    const r = await imp.importOne({ name: f.name, bytes: accFile(f) });
    assert.equal(r.status, "imported", r.reason);
  }
  return kv;
}

/** Imports one more file after the seed, as a later session would arrive. */
async function importLater(kv: Deno.Kv, name: string, file: Parameters<typeof accFile>[0]): Promise<void> {
  const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-06T00:00:00Z") });
  const r = await imp.importOne({ name, bytes: accFile(file) });
  assert.equal(r.status, "imported", r.reason);
}

async function getJson(app: ReturnType<typeof testApp>, path: string) {
  const res = await app.request(path);
  // deno-lint-ignore no-explicit-any
  const body: any = await res.json();
  return { status: res.status, body, type: res.headers.get("content-type") };
}

Deno.test("GET /api/health answers ok", async () => {
  using kv = await Deno.openKv(":memory:");
  const { status, body } = await getJson(testApp(kv), "/api/health");
  assert.equal(status, 200);
  assert.equal(body.status, "ok");
});

Deno.test("GET /api/tracks lists tracks with session counts; year-suffixed ids count as the base track", async () => {
  using kv = await seeded();
  const { status, body } = await getJson(testApp(kv), "/api/tracks");
  assert.equal(status, 200);
  assert.deepEqual(body, [
    {
      game: "acc",
      track: "monza",
      name: "Monza",
      sessions: 2,
      lastSessionAt: "2026-01-02T20:00:00.000Z",
    },
    {
      game: "acc",
      track: "spa",
      name: "Spa-Francorchamps",
      sessions: 1,
      lastSessionAt: "2026-01-03T20:00:00.000Z",
    },
  ]);
});

Deno.test("GET /api/records ranks one best lap per driver, with the driver's current name", async () => {
  using kv = await seeded();
  const { status, body } = await getJson(testApp(kv), "/api/records?game=acc&track=monza&kind=Q");
  assert.equal(status, 200);
  assert.equal(body.of, 3);
  assert.deepEqual(
    body.entries.map((e: { rank: number; lap: string; driver: { id: string; name: string } }) => [
      e.rank,
      e.lap,
      e.driver.id,
      e.driver.name,
    ]),
    [
      [1, "1:40.000", "S2", "Bob Quick"],
      [2, "1:40.100", "S1", "Ann Fast"],
      [3, "1:49.000", "S3", "Cy Four"],
    ],
  );
  const e = body.entries[0];
  assert.deepEqual(Object.keys(e).sort(), [
    "car",
    "driver",
    "lap",
    "lapMs",
    "rank",
    "sessionId",
    "setAt",
    "splitsMs",
  ]);
  assert.equal(e.car.class, "GT3");
  assert.equal(e.splitsMs.length, 3);
});

Deno.test("GET /api/records filters by class and limits", async () => {
  using kv = await seeded();
  const app = testApp(kv);
  const gt4 = await getJson(app, "/api/records?game=acc&track=monza&kind=Q&class=GT4");
  assert.deepEqual(gt4.body.entries.map((e: { driver: { id: string } }) => e.driver.id), ["S3"]);
  const top1 = await getJson(app, "/api/records?game=acc&track=monza&kind=Q&limit=1");
  assert.equal(top1.body.entries.length, 1);
  const year = await getJson(app, "/api/records?game=acc&track=monza_2020&kind=Q&limit=1");
  assert.equal(year.body.track, "monza", "a year-suffixed ACC id names the base track");
  assert.deepEqual(year.body.entries, top1.body.entries);
});

Deno.test("GET /api/records answers 400 naming the parameter, 404 for an unknown track", async () => {
  using kv = await seeded();
  const app = testApp(kv);
  for (
    const [q, param] of [
      ["game=iracing&track=monza&kind=Q", "game"],
      ["game=acc&kind=Q", "track"],
      ["game=acc&track=monza&kind=FP", "kind"],
      ["game=acc&track=monza&kind=Q&limit=0", "limit"],
      ["game=acc&track=monza&kind=Q&limit=ten", "limit"],
    ]
  ) {
    const { status, body, type } = await getJson(app, `/api/records?${q}`);
    assert.equal(status, 400, q);
    assert.match(type!, /application\/json/);
    assert.match(body.error, new RegExp(`"${param}"`), q);
  }
  const missing = await getJson(app, "/api/records?game=acc&track=nowhere&kind=Q");
  assert.equal(missing.status, 404);
  assert.match(missing.body.error, /Unknown track "nowhere"/);
});

Deno.test("GET /api/drivers/:id lists PBs with rank, gap to record, sessions and history", async () => {
  using kv = await seeded();
  const { status, body } = await getJson(testApp(kv), "/api/drivers/S1");
  assert.equal(status, 200);
  assert.equal(body.driver.id, "S1");
  const monza = body.pbs.find((p: { track: string; class: string }) =>
    p.track === "monza" && p.class === "all"
  );
  assert.equal(monza.kind, "Q");
  assert.equal(monza.lapMs, 100_100);
  assert.equal(monza.rank, 2);
  assert.equal(monza.of, 3);
  assert.equal(monza.vsRecordMs, 100);
  assert.equal(monza.sessions, 1);
  assert.deepEqual(monza.history.map((h: { lapMs: number }) => h.lapMs), [100_100]);
  const spa = body.pbs.find((p: { track: string; class: string }) => p.track === "spa" && p.class === "all");
  assert.equal(spa.kind, "R");
  assert.equal(spa.lapMs, 140_000, "race lap 1 (formation) never counts");
});

Deno.test("GET /api/drivers/:id and /api/sessions/:id answer 404 for unknown ids", async () => {
  using kv = await seeded();
  const app = testApp(kv);
  assert.equal((await getJson(app, "/api/drivers/S999")).status, 404);
  const s = await getJson(app, "/api/sessions/nope");
  assert.equal(s.status, 404);
  assert.match(s.body.error, /Unknown session "nope"/);
});

Deno.test("GET /api/sessions/:id returns the classification, and laps on request", async () => {
  using kv = await seeded();
  const app = testApp(kv);
  const rec = await getJson(app, "/api/records?game=acc&track=spa&kind=R");
  const id = rec.body.entries[0].sessionId;
  const { status, body } = await getJson(app, `/api/sessions/${id}`);
  assert.equal(status, 200);
  assert.equal(body.kind, "R");
  assert.equal(body.track, "spa");
  assert.equal(body.cars.length, 1);
  assert.equal(body.cars[0].position, 1);
  assert.equal(body.laps, undefined);
  const withLaps = await getJson(app, `/api/sessions/${id}?laps=1`);
  assert.deepEqual(withLaps.body.laps.map((l: { lapMs: number }) => l.lapMs), [500_000, 140_000]);
});

Deno.test("Unknown routes answer a JSON 404", async () => {
  using kv = await Deno.openKv(":memory:");
  const { status, body } = await getJson(testApp(kv), "/api/nothing");
  assert.equal(status, 404);
  assert.match(body.error, /No route/);
});

Deno.test("The API is readable from any origin, errors included, and sends no-sniff headers", async () => {
  using kv = await Deno.openKv(":memory:");
  const app = testApp(kv);
  for (const path of ["/api/health", "/api/records?game=acc", "/api/drivers/nobody"]) {
    const res = await app.request(path, { headers: { Origin: "https://league.example" } });
    await res.body?.cancel();
    assert.equal(res.headers.get("access-control-allow-origin"), "*", path);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
  }
  const preflight = await app.request("/api/records", {
    method: "OPTIONS",
    headers: {
      Origin: "https://league.example",
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": "accept",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /GET/);
  assert.equal(preflight.headers.get("access-control-allow-headers"), "accept");
});

Deno.test("Pages get the full set of security headers", async () => {
  using kv = await Deno.openKv(":memory:");
  const res = await testApp(kv).request("/");
  await res.body?.cancel();
  assert.equal(res.headers.get("x-frame-options"), "SAMEORIGIN");
  assert.equal(res.headers.get("referrer-policy"), "no-referrer");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("access-control-allow-origin"), null);
});

Deno.test("GET /api/drivers/:id ranks stay right when a track changes after they were cached", async () => {
  using kv = await seeded();
  const app = testApp(kv);
  const pb = async () => {
    const { body } = await getJson(app, "/api/drivers/S1");
    return body.pbs.find((p: { track: string; class: string }) => p.track === "monza" && p.class === "all");
  };
  assert.deepEqual([(await pb()).rank, (await pb()).of], [2, 3]);
  await importLater(kv, "260104_200000_Q.json", {
    track: "monza",
    cars: [{ playerId: "S9", laps: [99_000] }, { playerId: "S8", laps: [100_050] }],
  });
  const after = await pb();
  assert.deepEqual([after.rank, after.of, after.vsRecordMs], [4, 5, 1_100]);
});

Deno.test("GET /robots.txt is served from static/", async () => {
  using kv = await Deno.openKv(":memory:");
  const res = await testApp(kv).request("/robots.txt");
  assert.equal(res.status, 200);
  assert.match(await res.text(), /User-agent: \*/);
});

/**
 * An app over a seeded store whose reads are counted; `repeat` loads `path` twice and gives the
 * first answer and the reads the second load made (the two answers must be equal).
 */
function countedApp(kv: Deno.Kv) {
  const counting = countingKv(kv);
  const app = testApp(counting.kv);
  const load = async (path: string) => (await getJson(app, path)).body;
  const repeat = async (path: string) => {
    const first = await load(path);
    const before = counting.reads();
    assert.deepEqual(await load(path), first);
    return { first, reads: counting.reads() - before };
  };
  return { load, repeat };
}

Deno.test("GET /api/records answers a repeat from memory after one read, and an import shows at once", async () => {
  using kv = await seeded();
  const { load, repeat } = countedApp(kv);
  const path = "/api/records?game=acc&track=monza&kind=Q";
  const { first, reads } = await repeat(path);
  assert.equal(first.entries[0].driver.id, "S2");
  assert.equal(reads, 1, "a repeat reads only the changes key");
  await importLater(kv, "260104_200000_Q.json", {
    track: "monza",
    cars: [{ playerId: "S9", laps: [99_000] }],
  });
  const after = await load(path);
  assert.deepEqual([after.entries[0].driver.id, after.of], ["S9", 4]);
});

Deno.test("GET /api/drivers/:id needs no rank reads while nothing changed, and re-checks tracks after any import", async () => {
  using kv = await seeded();
  const { load, repeat } = countedApp(kv);
  const page = () => load("/api/drivers/S1");
  const { first, reads } = await repeat("/api/drivers/S1");
  assert.equal(reads, 3, "a warm page reads the driver's tracks, the changes key and whose person they are");
  // An import elsewhere changes the changes key but not monza: ranks stay right.
  await importLater(kv, "260104_200000_Q.json", {
    track: "spa",
    cars: [{ playerId: "S7", laps: [130_000] }],
  });
  assert.deepEqual((await page()).pbs, first.pbs);
  await importLater(kv, "260105_200000_Q.json", {
    track: "monza",
    cars: [{ playerId: "S9", laps: [99_000] }],
  });
  const pb = (await page()).pbs.find((p: { track: string; class: string }) =>
    p.track === "monza" && p.class === "all"
  );
  assert.deepEqual([pb.rank, pb.of], [3, 4]);
});
