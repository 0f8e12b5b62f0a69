/**
 * ET:Legacy GUIDs merged into one person count once (kv/etl/people.ts): leaderboards, ranks,
 * player pages, `/et stats|top|compare` and the API, on a generated league; split and undo give
 * back exactly what was there; nothing is announced. Also `/et top` and `/et stats` in pages.
 */
import assert from "node:assert/strict";
import { core } from "@/discord/core/commands.ts";
import { etSet } from "@/discord/et/commands.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { playerRanks } from "@/kv/etl/analytics.ts";
import { getPlayerView, leaderboard } from "@/kv/etl/views.ts";
import { outboxPrefix } from "@/kv/keys.ts";
import { mergeIdentities, splitIdentity, undoPeopleChange } from "@/kv/people/merge.ts";
import { commandBody, componentBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, testDeps } from "@/tests/discord/_app.ts";
import { testApp } from "@/tests/_app.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);
const SUB = 1, STR = 3;
const sub = (name: string, options: Record<string, string> = {}) => [
  { name, type: SUB, options: Object.entries(options).map(([n, value]) => ({ name: n, type: STR, value })) },
];
let clock = NOW.getTime();
const meta = () => ({ by: "admin", now: new Date(clock += 60_000) });
const etl = (id: string) => ({ kind: "etl" as const, id });

/** 30 players over 120 rounds; the second batch on renamed maps, so a player has 14 maps. */
async function setup() {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: true, now: () => NOW });
  const enc = new TextEncoder();
  const first = [...generateEtlFiles(60, { seed: 5, players: 30, perRound: 12 })];
  const second = [
    ...generateEtlFiles(60, { seed: 6, players: 30, perRound: 12, start: new Date("2025-03-01T20:00:00Z") }),
  ]
    .map((f) => {
      const map = /-\d{6}-(.+)-round-\d\.txt$/.exec(f.name)![1]!;
      return {
        name: f.name.replace(`-${map}-`, `-${map}_b-`),
        text: f.text.replace(`\\${map}\\`, `\\${map}_b\\`),
      };
    });
  for (const f of [...first, ...second]) {
    const r = await imp.importOne({ name: f.name, bytes: enc.encode(f.text) });
    assert.equal(r.status, "imported", r.reason);
  }
  const app = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex)), [core, etSet]);
  const call = async (body: unknown) => {
    const res = await signer.post(app, body, { timestamp: NOW_S });
    assert.equal(res.status, 200, await res.clone().text());
    return await res.json();
  };
  return { kv, call, [Symbol.dispose]: () => kv.close() };
}

const outboxCount = async (kv: Deno.Kv) =>
  (await Array.fromAsync(kv.list({ prefix: outboxPrefix() }))).length;
const board = async (kv: Deno.Kv, metric = "kills", period: "all" | "90d" = "all") =>
  (await leaderboard(kv, metric, { period, now: new Date("2025-03-20T00:00:00Z"), limit: 500 })).rows;

Deno.test("ET:Legacy: a person's GUIDs count once; split and undo give back exactly what was there", async () => {
  using s = await setup();
  const before = await board(s.kv);
  const before90 = await board(s.kv, "kills", "90d");
  const ranksBefore = await playerRanks(s.kv, before[0]!.guid);
  const [a, b] = [before[0]!, before[1]!];
  const [va, vb] = [(await getPlayerView(s.kv, a.guid))!, (await getPlayerView(s.kv, b.guid))!];
  const posts = await outboxCount(s.kv);

  await mergeIdentities(s.kv, { identities: [etl(a.guid), etl(b.guid)], name: "Both Of Us" }, meta());
  assert.equal(await outboxCount(s.kv), posts, "a merge announces nothing");
  const merged = await board(s.kv);
  assert.equal(merged.length, before.length - 1);
  assert.deepEqual(merged[0], {
    rank: 1,
    guid: a.guid,
    personId: merged[0]!.personId,
    guids: [a.guid, b.guid],
    name: "Both Of Us",
    nameRaw: "Both Of Us",
    value: a.value + b.value,
    display: String(a.value + b.value),
    rounds: a.rounds + b.rounds,
  });
  assert.equal(merged.filter((r) => r.guid === b.guid || r.guids?.includes(b.guid)).length, 1);
  // Everybody else moved up one place, in the same order.
  assert.deepEqual(merged.slice(1).map((r) => r.guid), before.slice(2).map((r) => r.guid));
  // A period board too: one row for the person, the sum of both GUIDs' rounds in the period.
  const m90 = await board(s.kv, "kills", "90d");
  const [a90, b90] = [before90.find((r) => r.guid === a.guid), before90.find((r) => r.guid === b.guid)];
  assert.equal(m90.length, before90.length - 1);
  assert.equal(m90.find((r) => r.personId)!.value, (a90?.value ?? 0) + (b90?.value ?? 0));

  // The player page by either GUID: the person, every round of both.
  const pb = (await getPlayerView(s.kv, b.guid))!;
  assert.equal(pb.guid, a.guid);
  assert.equal(pb.name, "Both Of Us");
  assert.deepEqual(pb.guids, [a.guid, b.guid]);
  assert.equal(pb.totals.kills, va.totals.kills + vb.totals.kills);
  assert.equal(pb.totals.rounds, va.totals.rounds + vb.totals.rounds);
  assert.equal(pb.maps.reduce((n, m) => n + m.totals.rounds, 0), pb.totals.rounds);
  assert.deepEqual(await getPlayerView(s.kv, a.guid), pb);
  const times = pb.rounds.map((r) => Date.parse(r.playedAt));
  assert.deepEqual(times, [...times].sort((x, y) => y - x), "recent rounds newest first over both GUIDs");
  // Ranks: the person's place, by either GUID.
  const ranks = (await playerRanks(s.kv, b.guid))!;
  assert.deepEqual(ranks, await playerRanks(s.kv, a.guid));
  assert.equal(ranks.find((r) => r.metric === "kills")!.rank, 1);
  assert.equal(ranks.find((r) => r.metric === "kills")!.of, before.length - 1);

  // The API answers the same.
  const api = testApp(s.kv);
  const res = await api.request(`/api/etl/players/${b.guid.toLowerCase()}`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.name, "Both Of Us");
  assert.equal(body.totals.kills, pb.totals.kills);
  const lb = await (await api.request("/api/etl/leaderboard?metric=kills&limit=3")).json();
  assert.equal(lb.rows[0].name, "Both Of Us");
  assert.deepEqual(lb.rows[0].guids, [a.guid, b.guid]);
  // And the site: the player page by the second GUID, and the leaderboard.
  const page = await (await api.request(`/etl/players/${b.guid}`)).text();
  assert.match(page, /Both Of Us/);
  assert.match(page, new RegExp(`ET:Legacy player · ${a.guid}, ${b.guid}<`));
  const site = await (await api.request("/etl/leaderboards?metric=kills")).text();
  assert.equal(site.split(`href="/etl/players/${a.guid}"`).length - 1, 1);
  assert.equal(site.includes(`href="/etl/players/${b.guid}"`), false);

  // Split: each GUID alone again, exactly as before; undo the split: one person again.
  await splitIdentity(s.kv, etl(b.guid), meta());
  assert.deepEqual(await board(s.kv), before);
  assert.deepEqual(await board(s.kv, "kills", "90d"), before90);
  assert.deepEqual(await getPlayerView(s.kv, b.guid), vb);
  assert.deepEqual(await playerRanks(s.kv, a.guid), ranksBefore);
  await undoPeopleChange(s.kv, null, meta());
  assert.deepEqual(await board(s.kv), merged);
  // Undo that undo (the split again), then the merge itself: nothing of the person is left.
  await undoPeopleChange(s.kv, null, meta());
  assert.deepEqual(await board(s.kv), before);
  assert.equal(await outboxCount(s.kv), posts, "merges, splits and undos announce nothing");
});

Deno.test("/et stats, /et top, /et compare: the person once, through signed interactions; pages", async () => {
  using s = await setup();
  const before = await board(s.kv);
  const [a, b] = [before[0]!, before[1]!];
  // The merge as an admin makes it: /admin merge, signed like any command.
  const merged = await s.call(
    commandBody(
      "admin",
      sub("merge", { identity: `etl:${a.guid}`, with: `etl:${b.guid}`, name: "Both <@1> Of Us" }),
      { userId: "200000000000000099", permissions: "8" },
    ),
  );
  assert.match(merged.data.content, /^Merged: \*\*Both \\<@1\\> Of Us\*\*/);

  const stats = await s.call(commandBody("et", sub("stats", { player: b.guid })));
  const e = stats.data.embeds[0];
  assert.equal(e.title, "Both \\<@1\\> Of Us");
  assert.equal(e.footer.text, `2 GUIDs: ${a.guid}, ${b.guid}`);
  // 14 maps: 8 a page, page buttons carrying the person's first GUID.
  const maps = e.fields.find((f: { name: string }) => f.name.startsWith("Maps"));
  assert.equal(maps.name, "Maps (14, page 1 of 2)");
  assert.equal(maps.value.split("\n").length, 8);
  assert.equal(stats.data.components[0].components[2].custom_id, `ets:${a.guid}|1`);
  const p2 = await s.call(componentBody(`ets:${a.guid}|1`));
  assert.equal(p2.type, 7);
  const maps2 = p2.data.embeds[0].fields.find((f: { name: string }) => f.name.startsWith("Maps"));
  assert.equal(maps2.name, "Maps (14, page 2 of 2)");
  assert.equal(maps2.value.split("\n").length, 6);
  const forged = await s.call(componentBody(`ets:${b.guid}|99`));
  assert.equal(forged.data.embeds[0].fields.at(-1).name, "Maps (14, page 2 of 2)");

  // /et top: every player once (two GUIDs are one person), 10 a page.
  const players = before.length - 1, pages = Math.ceil(players / 10);
  assert.ok(pages >= 3);
  const top = await s.call(commandBody("et", sub("top", { metric: "kills" })));
  const lines = top.data.embeds[0].description.split("\n");
  assert.match(lines[0], /^🥇 \*\*Both \\<@1\\> Of Us\*\* /);
  assert.equal(lines.length, 10);
  assert.match(top.data.embeds[0].footer.text, new RegExp(`${players} players · page 1 of ${pages}$`));
  const seen: string[] = [];
  let res = top;
  for (let page = 1; page <= pages; page++) {
    seen.push(...res.data.embeds[0].description.split("\n"));
    const next = res.data.components[0].components[2];
    assert.equal(next.disabled, page === pages);
    if (page < pages) {
      assert.equal(next.custom_id, `ett:kills|all|${page}`);
      res = await s.call(componentBody(next.custom_id));
      assert.match(res.data.embeds[0].footer.text, new RegExp(`page ${page + 1} of ${pages}$`));
    }
  }
  assert.equal(seen.length, players);
  assert.equal(seen.filter((l) => l.includes("Of Us")).length, 1);
  assert.match(seen[players - 1]!, new RegExp(`^${players}\\. `));
  const far = await s.call(componentBody("ett:kills|all|999"));
  assert.match(far.data.embeds[0].footer.text, new RegExp(`page ${pages} of ${pages}$`));
  const bad = await s.call(componentBody("ett:kills|all"));
  assert.equal(bad.data.flags, 64);

  // The two GUIDs are one person now: comparing them is refused in one sentence.
  const cmp = await s.call(commandBody("et", sub("compare", { p1: a.guid, p2: b.guid })));
  assert.match(cmp.data.content, /one person/);
  const rank = await s.call(commandBody("et", sub("rank", { player: b.guid })));
  assert.match(rank.data.embeds[0].title, /Both \\<@1\\> Of Us: ranks/);
  assert.match(rank.data.embeds[0].description, new RegExp(`\`Kills +\` #1 of ${players}`));
});
