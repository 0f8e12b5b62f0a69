import assert from "node:assert/strict";
import { parseAwardValue, parseEndstatsText } from "@/games/etl/endstats.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { endstatsFor } from "@/fixtures/gen_etl_endstats.ts";
import { Importer } from "@/ingest/importer.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { getRoundAwards } from "@/kv/etl/endstats.ts";
import { kvReader } from "@/kv/reader.ts";
import { readSample, sampleTest } from "@/tests/_samples.ts";
import { testApp } from "@/tests/_app.ts";

const enc = new TextEncoder();
const NOW = () => new Date("2026-01-05T12:00:00Z");

Deno.test("parseEndstatsText() reads award lines with units, VS blocks and CRLF", () => {
  const text = [
    "Most damage given\tvid\t3214",
    "Best K/D ratio\tbronze.\t1.625",
    "Most playtime denied\tv_kt_r\t113 seconds",
    "Highest light weapons accuracy\t^1Super^7Boyy\t50.47 percent",
    "Most weird new award\tsomeone\tthree",
    "",
    "vid",
    "carniee\t4\t0",
    "SuperBoyy\t3\t2",
    "broken line",
  ].join("\r\n") + "\r\n";
  const es = parseEndstatsText(text, "2026-01-12-224606-te_escape2-round-2-endstats.txt");
  assert.equal(es.map, "te_escape2");
  assert.equal(es.round, 2);
  assert.equal(es.stamp, "2026-01-12-224606");
  assert.deepEqual(es.awards.map((a) => [a.award, a.name, a.value, a.unit]), [
    ["Most damage given", "vid", 3214, null],
    ["Best K/D ratio", "bronze.", 1.625, null],
    ["Most playtime denied", "v_kt_r", 113, "seconds"],
    ["Highest light weapons accuracy", "SuperBoyy", 50.47, "percent"],
    ["Most weird new award", "someone", null, null],
  ]);
  // "broken line" alone heads a block that has no rows: nothing lost, nothing invented.
  assert.deepEqual(es.vs, [
    { of: "vid", name: "carniee", kills: 4, deaths: 0 },
    { of: "vid", name: "SuperBoyy", kills: 3, deaths: 2 },
  ]);
  assert.deepEqual(parseAwardValue("2 kills in 1.25s"), { value: 2, unit: "kills in 1.25s" });
  assert.throws(
    () => parseEndstatsText("", "2026-01-12-224606-te_escape2-round-2-endstats.txt"),
    /nothing to store/,
  );
  assert.throws(() => parseEndstatsText("a\tb\tc", "x-endstats.txt"), /is not named/);
});

async function importAll(kv: Deno.Kv, files: { name: string; text: string }[], announce = true) {
  const imp = new Importer(kv, { announce, now: NOW });
  const out = [];
  for (const f of files) out.push(await imp.importOne({ name: f.name, bytes: enc.encode(f.text) }));
  return out;
}

for (const order of ["after", "before"] as const) {
  Deno.test(`endstats stored ${order} its round: same awards, GUIDs, one awards post after the round post`, async () => {
    const kv = await Deno.openKv(":memory:");
    try {
      const [r1] = [...generateEtlFiles(1, { seed: 3, perRound: 6, players: 20 })];
      const es = endstatsFor(r1!.name, r1!.text);
      const files = order === "after" ? [r1!, es] : [es, r1!];
      const reports = await importAll(kv, files);
      assert.deepEqual(reports.map((r) => r.status), ["imported", "imported"]);
      const id = reports[0]!.sessionId!;
      const aw = await getRoundAwards(kvReader(kv), id);
      assert.ok(aw);
      assert.equal(aw.roundStored, true);
      assert.equal(aw.awards.length, 7);
      assert.ok(
        aw.awards.every((a) => a.guid !== null && /^[0-9A-F]{8}$/.test(a.guid)),
        JSON.stringify(aw.awards),
      );
      assert.ok(aw.vs.length > 0 && aw.vs.every((v) => v.guid && v.ofGuid));
      const types = (await listOutbox<{ type: string }>(kv)).map((i) => i.announcement.type);
      assert.deepEqual(types.filter((t) => t === "etl_round" || t === "etl_awards"), [
        "etl_round",
        "etl_awards",
      ]);
      // The same bytes again change nothing.
      assert.equal((await importAll(kv, [es]))[0]!.status, "duplicate");
    } finally {
      kv.close();
    }
  });
}

Deno.test("endstats without a round: stored, served with null GUIDs, not posted", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const [r1] = [...generateEtlFiles(1, { seed: 5, perRound: 6, players: 20 })];
    const es = endstatsFor(r1!.name, r1!.text, { vs: false });
    const [rep] = await importAll(kv, [es]);
    assert.equal(rep!.status, "imported");
    const res = await testApp(kv).request(`/api/etl/rounds/${rep!.sessionId}/awards`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.roundId, rep!.sessionId);
    assert.equal(body.awards[0].award, "Most damage given");
    assert.equal(body.awards[0].guid, null);
    assert.equal(typeof body.awards[0].value, "number");
    assert.deepEqual(body.vs, []);
    assert.equal((await listOutbox(kv)).length, 0);
    assert.equal((await testApp(kv).request("/api/etl/rounds/nope/awards")).status, 404);
  } finally {
    kv.close();
  }
});

sampleTest("endstats on a real round, before and after it: names resolve to the sample's GUIDs", async () => {
  const name = "2025-10-20-213931-etl_adlernest-round-1.txt";
  const text = new TextDecoder().decode(readSample(`etl/${name}`));
  for (const order of ["before", "after"]) {
    const kv = await Deno.openKv(":memory:");
    try {
      const es = endstatsFor(name, text, { seed: 2 });
      const files = order === "after" ? [{ name, text }, es] : [es, { name, text }];
      await importAll(kv, files, false);
      const aw = await getRoundAwards(kvReader(kv), "2025-10-20-213931-etl_adlernest-r1");
      assert.ok(aw, order);
      assert.ok(aw.awards.every((a) => a.guid !== null), `${order}: ${JSON.stringify(aw.awards)}`);
      const bronze = aw.vs.find((v) => v.of === "bronze.");
      assert.equal(bronze?.ofGuid, "2B5938F5");
    } finally {
      kv.close();
    }
  }
});

Deno.test("the round page shows the awards, the VS rows and why a round is not counted, escaped", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const [r1] = [...generateEtlFiles(1, { seed: 3, perRound: 6, players: 20 })];
    const es = endstatsFor(r1!.name, r1!.text);
    es.text = es.text.replace("Most revives\t", "Most revives <b>x</b>\t");
    const [rep] = await importAll(kv, [r1!, es], false);
    const html = await (await testApp(kv).request(`/etl/rounds/${rep!.sessionId}`)).text();
    assert.match(html, /<h2 id="round-awards">Awards<\/h2>/);
    assert.match(html, /Most damage given/);
    assert.match(html, /Most revives &lt;b&gt;x&lt;\/b&gt;/);
    assert.match(html, /Kills and deaths against each opponent/);
    assert.match(html, /MVP: <a href="\/etl\/players\//);
  } finally {
    kv.close();
  }
});
