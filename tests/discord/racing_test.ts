import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { core } from "@/discord/core/commands.ts";
import { racing, racingEnabled } from "@/discord/racing/commands.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { autocompleteBody, commandBody, componentBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, testDeps } from "@/tests/discord/_app.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);
const STR = 3;
const opt = (name: string, value: unknown, type = STR) => ({ name, type, value });

async function setup() {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: true, now: () => NOW });
  const files = [
    {
      name: "260101_200000_Q.json",
      track: "monza",
      cars: [
        { playerId: "S1", first: "Ann", last: "Fast", laps: [110_000, 100_100] },
        { playerId: "S2", first: "Bob", last: "Slow", laps: [101_000] },
        { playerId: "S3", first: "@everyone", last: "**x** <script>", carModel: 53, laps: [109_000] },
      ],
    },
    {
      name: "260102_200000_Q.json",
      track: "monza_2020",
      cars: [{ playerId: "S2", first: "Bob", last: "Quick", laps: [99_000] }],
    },
    {
      name: "260103_200000_R.json",
      track: "monza",
      type: "R",
      cars: Array.from(
        { length: 15 },
        (_, i) => ({ playerId: `R${i}`, first: "Racer", last: `${i}`, laps: [110_000, 102_000 + i * 100] }),
      ),
    },
    {
      name: "260104_200000_R.json",
      track: "spa",
      type: "R",
      cars: [{ playerId: "S1", first: "Ann", last: "Fast", laps: [140_000, 139_000] }],
    },
  ];
  for (const f of files) {
    const r = await imp.importOne({ name: f.name, bytes: accFile(f) });
    assert.equal(r.status, "imported", r.reason);
  }
  const app = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex)), [core, racing]);
  const call = async (body: unknown) => {
    const res = await signer.post(app, body, { timestamp: NOW_S });
    assert.equal(res.status, 200, await res.clone().text());
    return await res.json();
  };
  return { kv, call, [Symbol.dispose]: () => kv.close() };
}

Deno.test("/records <track>: top 3 of Q and R with gaps, car, Discord timestamps, names escaped", async () => {
  using s = await setup();
  const res = await s.call(commandBody("records", [opt("track", "acc/monza")]));
  assert.equal(res.type, 4);
  assert.deepEqual(res.data.allowed_mentions, { parse: [] });
  const e = res.data.embeds[0];
  assert.equal(e.title, "🏆 Track Records: Monza (ACC)");
  const q = e.fields[0];
  assert.equal(q.name, "🏁 Qualifying (3 drivers)");
  const lines = q.value.split("\n");
  assert.match(lines[0], /^🥇 \*\*1:39\.000\*\* — Bob Quick \(.+\) • <t:\d+:f>$/);
  assert.match(lines[1], /^🥈 1:40\.100 \(\+1\.100\) — Ann Fast/);
  assert.match(lines[2], /^🥉 1:49\.000 \(\+10\.000\) — @everyone \\\*\\\*x\\\*\\\* \\<script\\>/);
  assert.equal(e.fields[1].name, "🏎️ Race (15 drivers)");
  assert.equal(e.fields[1].value.split("\n").length, 3);
});

Deno.test("/records accepts a typed track name and refuses an unknown one in one sentence", async () => {
  using s = await setup();
  const ok = await s.call(commandBody("records", [opt("track", "Spa-Francorchamps")]));
  assert.match(ok.data.embeds[0].title, /Spa/);
  const bad = await s.call(commandBody("records", [opt("track", "Nordschleife")]));
  assert.equal(bad.data.flags, 64);
  assert.match(bad.data.content, /No track matches "Nordschleife"/);
});

Deno.test("/records <track> <kind>: top 10 with page buttons; a click answers type 7 with the next page", async () => {
  using s = await setup();
  const res = await s.call(commandBody("records", [opt("track", "acc/monza"), opt("kind", "R")]));
  const e = res.data.embeds[0];
  assert.equal(e.description.split("\n").length, 10);
  assert.match(e.footer.text, /15 drivers · page 1 of 2/);
  const [prev, , next] = res.data.components[0].components;
  assert.equal(prev.disabled, true);
  assert.equal(next.custom_id, "rec:acc/monza|R|all|1");
  const page2 = await s.call(componentBody(next.custom_id));
  assert.equal(page2.type, 7);
  const lines = page2.data.embeds[0].description.split("\n");
  assert.equal(lines.length, 5);
  assert.match(lines[0], /^11\. 1:43\.000 \(\+1\.000\) — Racer 10/);
  assert.equal(page2.data.components[0].components[2].disabled, true);
  const stale = await s.call(componentBody("rec:garbage"));
  assert.match(stale.data.content, /older version/);
});

Deno.test("/pb <track> [player]: time, rank N of M, gap, sectors against the record, theoretical best", async () => {
  using s = await setup();
  const res = await s.call(commandBody("pb", [opt("track", "acc/monza"), opt("player", "S1")]));
  const e = res.data.embeds[0];
  assert.equal(e.title, "🎯 Personal Best: Ann Fast");
  const q = e.fields[0].value;
  assert.match(q, /⏱️ Time: \*\*1:40\.100\*\*/);
  assert.match(q, /📊 Rank: 🥈 #2 of 3/);
  assert.match(q, /🏆 vs Record: \+1\.100 \(Bob Quick\)/);
  assert.match(q, /🔄 Sessions: 1/);
  assert.match(q, /📅 Set: <t:\d+:f> \(<t:\d+:R>\)/);
  assert.match(q, /🧮 Theoretical best: 1:40\.100/);
  const sectors = e.fields[1];
  assert.equal(sectors.name, "⚡ Sector Breakdown (Q)");
  assert.match(sectors.value, /^S1: 33\.366 \(\+0\.366\)/);
  assert.match(sectors.value, /💪 Weakest: S3/);
});

Deno.test("/pb without a player uses the member's link, and says how to link when there is none", async () => {
  using s = await setup();
  const who = { userId: "200000000000000042" };
  const none = await s.call(commandBody("pb", [opt("track", "acc/spa")], who));
  assert.match(none.data.content, /link yours first with \/link/);
  await s.call(commandBody("link", [opt("game", "acc"), opt("player", "S1")], who));
  const mine = await s.call(commandBody("pb", [opt("track", "acc/spa")], who));
  assert.equal(mine.data.embeds[0].title, "🎯 Personal Best: Ann Fast");
  assert.match(mine.data.embeds[0].fields[0].value, /🏆 Holds the record/);
});

Deno.test("/leaders, /tracks, /recent answer from the stored data", async () => {
  using s = await setup();
  const lead = (await s.call(commandBody("leaders"))).data.embeds[0];
  assert.deepEqual(lead.fields.map((f: { name: string }) => f.name), [
    "Monza (ACC)",
    "Spa-Francorchamps (ACC)",
  ]);
  assert.match(lead.fields[0].value, /🏁 Q: \*\*1:39\.000\*\* — Bob Quick/);
  const tracks = (await s.call(commandBody("tracks"))).data.embeds[0];
  assert.match(tracks.description, /\*\*Monza\*\* \(ACC\) — 3 sessions \(Q 2, R 1\), last <t:\d+:R>/);
  const recent = (await s.call(commandBody("recent", [opt("count", 2, 4)]))).data.embeds[0];
  const lines = recent.description.split("\n");
  assert.match(lines[0], /Spa-Francorchamps/);
  assert.match(lines[1], /🥇 Winner: Ann Fast/);
  assert.match(lines[2], /Monza/);
  assert.equal(lines.length, 4);
});

Deno.test("/status is for admins: outbox depth and the last import", async () => {
  using s = await setup();
  const refused = await s.call(commandBody("status"));
  assert.match(refused.data.content, /Only league admins/);
  const res = await s.call(commandBody("status", [], { permissions: "32" }));
  assert.equal(res.data.flags, 64);
  assert.match(res.data.embeds[0].description, /📬 Announcements waiting: \*\*\d+\*\*/);
  assert.match(res.data.embeds[0].description, /📥 Last import: <t:\d+:f>/);
});

Deno.test("Autocomplete: tracks and players by prefix, at most 25, answered at once", async () => {
  using s = await setup();
  const t = await s.call(
    autocompleteBody("records", [{ name: "track", type: STR, value: "mon", focused: true }]),
  );
  assert.equal(t.type, 8);
  assert.deepEqual(t.data.choices, [{ name: "Monza (ACC)", value: "acc/monza" }]);
  const p = await s.call(autocompleteBody("pb", [opt("track", "acc/monza"), {
    name: "player",
    type: STR,
    value: "rac",
    focused: true,
  }]));
  assert.equal(p.data.choices.length, 15);
  const c = await s.call(autocompleteBody("records", [opt("track", "acc/monza"), {
    name: "class",
    type: STR,
    value: "",
    focused: true,
  }]));
  assert.ok(c.data.choices.length >= 1);
});

Deno.test("racingEnabled(): on with no servers or any ACC/AC server", () => {
  assert.equal(racingEnabled({ servers: [] }), true);
  assert.equal(racingEnabled({ servers: [{ game: "acc" }] }), true);
  assert.equal(racingEnabled({ servers: [{ game: "etl" }] }), false);
});

Deno.test("/pb accepts a typed driver name and names the driver who has no lap there", async () => {
  using s = await setup();
  const byName = await s.call(commandBody("pb", [opt("track", "acc/monza"), opt("player", "Ann Fast")]));
  assert.equal(byName.data.embeds[0].title, "🎯 Personal Best: Ann Fast");
  const none = await s.call(commandBody("pb", [opt("track", "acc/spa"), opt("player", "Bob Quick")]));
  assert.equal(none.data.flags, 64);
  assert.match(none.data.content, /Bob Quick has no qualifying or race lap at Spa/);
});

/** An AC result file at Monza (the AC track id "monza", no layout), one driver. */
function acMonza(): Uint8Array {
  const guid = "76561190000000777";
  const lap = {
    DriverName: "Ac Driver",
    DriverGuid: guid,
    CarId: 0,
    CarModel: "ks_mazda_mx5_cup",
    Timestamp: 1000,
    LapTime: 120_000,
    Sectors: [40_000, 40_000, 40_000],
    Cuts: 0,
    BallastKG: 0,
    Tyre: "SM",
    Restrictor: 0,
  };
  return new TextEncoder().encode(JSON.stringify({
    TrackName: "monza",
    TrackConfig: "",
    Type: "QUALIFY",
    DurationSecs: 600,
    RaceLaps: 0,
    Cars: [{
      CarId: 0,
      Driver: { Name: "Ac Driver", Team: "", Nation: "", Guid: guid, GuidsList: [guid] },
      Model: "ks_mazda_mx5_cup",
      Skin: "",
      BallastKG: 0,
      Restrictor: 0,
    }],
    Result: [{
      DriverName: "Ac Driver",
      DriverGuid: guid,
      CarId: 0,
      CarModel: "ks_mazda_mx5_cup",
      BestLap: 120_000,
      TotalTime: 120_000,
      BallastKG: 0,
      Restrictor: 0,
    }],
    Laps: [lap],
    Events: [],
  }));
}

Deno.test("/records track:Monza with a Monza in ACC and in AC asks which, naming both", async () => {
  using s = await setup();
  const imp = new Importer(s.kv, { announce: false, now: () => NOW });
  const r = await imp.importOne({ name: "2026_1_5_20_0_QUALIFY.json", bytes: acMonza() });
  assert.equal(r.status, "imported", r.reason);
  const res = await s.call(commandBody("records", [opt("track", "Monza")]));
  assert.equal(res.data.flags, 64);
  assert.match(
    res.data.content,
    /"Monza" is a track in more than one game: pick `acc\/monza` \(ACC\) or `ac\/monza` \(Assetto Corsa\)/,
  );
  const ac = await s.call(commandBody("records", [opt("track", "ac/monza")]));
  assert.equal(ac.data.embeds[0].title, "🏆 Track Records: Monza (Assetto Corsa)");
});

Deno.test("A forged pager button (page 99, page 999) shows the last page and says so", async () => {
  using s = await setup();
  for (const forged of ["rec:acc/monza|R|all|99", "rec:acc/monza|R|all|999", "rec:acc/monza|R|all|-5"]) {
    const res = await s.call(componentBody(forged));
    assert.equal(res.type, 7);
    const last = forged.endsWith("-5") ? 1 : 2;
    assert.match(res.data.embeds[0].footer.text, new RegExp(`15 drivers · page ${last} of 2$`), forged);
    assert.equal(res.data.components[0].components[1].label, `${last} / 2`);
  }
  const leaders = await s.call(componentBody("lead:*|all|999"));
  assert.match(leaders.data.embeds[0].footer.text, /page 1 of 1$/);
});
