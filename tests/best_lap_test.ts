/**
 * The sectors of the best lap come from the best lap, the car's best sectors are labelled as such,
 * and a crew's fastest lap is credited to the driver who drove it: on the session page, the home
 * page, the API and the race post. On a generated file and on the real Spa Q2 file.
 */
import assert from "node:assert/strict";
import { accFormat } from "@/games/acc/parser.ts";
import { decodeText } from "@/ingest/decode.ts";
import { Importer } from "@/ingest/importer.ts";
import { raceResultEmbed } from "@/discord/racing/announce_embeds.ts";
import { getSession } from "@/kv/racing/sessions.ts";
import { kvReader } from "@/kv/reader.ts";
import { accFile, accFileText } from "@/tests/_acc_file.ts";
import { testApp } from "@/tests/_app.ts";
import { readSample, sampleTest } from "@/tests/_samples.ts";

/** A two-driver car: Ann drives laps 1 and 2 (the best sectors), Bob drives lap 3 (the best lap). */
const CREW = {
  playerId: "S76561190000000801",
  first: "Ann",
  last: "First",
  crew: [{ first: "Bob", last: "Second", playerId: "S76561190000000802" }],
  laps: [91_000, 90_600, 90_500],
  lapDrivers: [0, 0, 1],
  splits: [[29_900, 30_500, 30_600], [30_300, 29_800, 30_500], [30_100, 30_000, 30_400]],
};
const SOLO = { playerId: "S76561190000000803", first: "Cid", last: "Solo", laps: [91_500] };

function parsedFixture(type = "Q") {
  const out = accFormat.parse(accFileText({ track: "spa", type, cars: [CREW, SOLO] }), {
    name: `260101_200000_${type}.json`,
  });
  if (out.status !== "parsed") throw new Error(out.reason);
  return out.session;
}

Deno.test("accFormat.parse() keeps the best lap's sectors apart from the best sectors, and who drove it", () => {
  const [car] = parsedFixture().cars;
  assert.equal(car!.bestLapMs, 90_500);
  assert.deepEqual(car!.bestLapSplitsMs, [30_100, 30_000, 30_400], "the sectors of lap 3");
  assert.deepEqual(car!.bestSplitsMs, [29_900, 29_800, 30_400], "the best of each sector");
  assert.equal(car!.bestLapDriver, 1);
});

Deno.test("Session page, home page, API and race post credit the crew's fastest lap to its driver", async () => {
  await using kv = await Deno.openKv(":memory:");
  const importer = new Importer(kv, { announce: false, now: () => new Date("2026-01-02T12:00:00Z") });
  const report = await importer.importOne({
    name: "260101_200000_R.json",
    bytes: accFile({ track: "spa", type: "R", cars: [CREW, SOLO] }),
  });
  assert.equal(report.status, "imported", report.reason);
  const q = await importer.importOne({
    name: "260101_190000_Q.json",
    bytes: accFile({ track: "spa", type: "Q", cars: [CREW, SOLO] }),
  });
  assert.equal(q.status, "imported", q.reason);
  const id = report.sessionId!;
  const app = testApp(kv);
  const page = await (await app.request(`/sessions/${id}`)).text();
  assert.match(page, /<dt>By<\/dt>\s*<dd><a href="\/drivers\/S76561190000000802">Bob Second<\/a>/);
  assert.match(page, /Sectors of the best lap/);
  assert.match(page, /Best sectors \(any lap\)/);
  assert.ok(page.includes("30.100 · 30.000 · 30.400"), "the best lap's own sectors");
  assert.ok(page.includes("29.900 · 29.800 · 30.400"), "the best sectors, labelled");
  const api = await (await app.request(`/api/sessions/${id}`)).json();
  assert.equal(api.cars[0].drivers[api.cars[0].bestLapDriver].name, "Bob Second");
  const stored = await getSession(kvReader(kv), id);
  const post = raceResultEmbed({
    type: "race_result",
    game: "acc",
    track: "spa",
    trackName: "Spa",
    sessionType: "R",
    sessionId: id,
    finishedAt: stored!.finishedAt,
  }, stored!);
  assert.match(post.description!, /Fastest lap: 1:30\.500 by Bob Second/);
  const home = await (await app.request("/")).text();
  // The qualifying's line names its fastest driver: Bob, who drove the 1:30.500.
  assert.match(
    home,
    /<a href="\/drivers\/S76561190000000802">Bob Second<\/a><span class="time muted after opt">1:30\.500/,
  );
});

sampleTest(
  "Spa Q2 (sample): P2's best lap reads 40.447 + 59.797 + 36.260; P1's lap is credited to its fourth driver",
  () => {
    const text = decodeText(readSample("acc/simdesk/230602_205740_Q2.json"));
    const out = accFormat.parse(text, { name: "230602_205740_Q2.json" });
    if (out.status !== "parsed") throw new Error(out.reason);
    const [p1, p2] = out.session.cars;
    assert.deepEqual(p2!.bestLapSplitsMs, [40_447, 59_797, 36_260]);
    assert.deepEqual(p2!.bestSplitsMs, [40_372, 59_797, 36_260]);
    assert.equal(p1!.bestLapDriver, 3);
    assert.notEqual(p1!.drivers[3]!.id, p1!.drivers[0]!.id);
  },
);
