/**
 * A person's GUIDs count once beyond stats and leaderboards (kv/etl/people.ts, EtlWho): weapons,
 * consistency, trends, nemesis, matchup, duo, awards of a player, the session table and its MVP,
 * on generated rounds with endstats where one player changes GUID mid-evening (a reinstall) and
 * an admin merges the two. A matchup or duo of the two GUIDs is refused, on Discord and the site.
 */
import { mergeReinstalled, NEW, OLD, reinstallEvening } from "@/tests/etl/_reinstall.ts";
import assert from "node:assert/strict";
import { etSet } from "@/discord/et/commands.ts";
import { etAwards } from "@/discord/et/more.ts";
import { mvpOfRounds } from "@/games/etl/mvp.ts";
import { consistency, duo, matchup, nemesis, playerTrends, playerWeapons } from "@/kv/etl/analytics.ts";
import { getRoundAwards, listEndstats } from "@/kv/etl/endstats.ts";
import { getSession } from "@/kv/etl/sessions.ts";
import { getSessionView } from "@/kv/etl/views.ts";
import { kvReader } from "@/kv/reader.ts";
import { autocompleteBody, commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, testDeps } from "@/tests/discord/_app.ts";
import { testApp } from "@/tests/_app.ts";

const setup = () => reinstallEvening({ endstats: true });
const merge = mergeReinstalled;

/** Sums two maps of counts. */
const added = (a: { guid: string; n: number }[], b: { guid: string; n: number }[]) => {
  const m = new Map<string, number>();
  for (const x of [...a, ...b]) m.set(x.guid, (m.get(x.guid) ?? 0) + x.n);
  return m;
};

Deno.test("ET:Legacy people: weapons, consistency, trends, nemesis, matchup, duo, awards add a person's GUIDs", async () => {
  using s = await setup();
  const { kv } = s;
  const session = (await getSession(kv, s.sessionId))!;
  const others = [...new Set(session.rounds.flatMap((r) => r.players.map((p) => p.guid)))]
    .filter((g) => g !== OLD && g !== NEW);
  assert.equal(others.length, 4);
  const before = {
    weapons: [await playerWeapons(kv, OLD), await playerWeapons(kv, NEW)],
    cons: [await consistency(kv, OLD), await consistency(kv, NEW)],
    trends: [await playerTrends(kv, OLD), await playerTrends(kv, NEW)],
    nemesis: [await nemesis(kv, OLD), await nemesis(kv, NEW)],
    ofOthers: await Promise.all(others.map((g) => nemesis(kv, g))),
    matchups: await Promise.all(
      others.map(async (g) => [await matchup(kv, g, OLD), await matchup(kv, g, NEW)]),
    ),
    duos: await Promise.all(others.map(async (g) => [await duo(kv, g, OLD), await duo(kv, g, NEW)])),
  };
  await merge(kv);

  // Weapons: per weapon, both GUIDs' figures added; by either GUID.
  const w = await playerWeapons(kv, NEW);
  assert.deepEqual(await playerWeapons(kv, OLD), w);
  for (const row of w) {
    const [a, b] = before.weapons.map((ws) => ws.find((x) => x.id === row.id));
    for (const k of ["kills", "deaths", "hits", "shots", "headshots"] as const) {
      assert.equal(row[k], (a?.[k] ?? 0) + (b?.[k] ?? 0), `${row.weapon} ${k}`);
    }
  }
  assert.equal(w.length, new Set(before.weapons.flat().map((x) => x.id)).size);

  // Consistency over both GUIDs' rounds; trends: one session, both GUIDs' rows in it.
  const c = await consistency(kv, OLD);
  assert.equal(c.rounds, before.cons[0]!.rounds + before.cons[1]!.rounds);
  assert.deepEqual(await consistency(kv, NEW), c);
  const [t] = await playerTrends(kv, NEW);
  assert.equal(t!.rounds, before.trends[0]![0]!.rounds + before.trends[1]![0]!.rounds);
  assert.equal(t!.kills, before.trends[0]![0]!.kills + before.trends[1]![0]!.kills);
  assert.equal(t!.deaths, before.trends[0]![0]!.deaths + before.trends[1]![0]!.deaths);

  // Nemesis: the person's lists add both GUIDs' (4 opponents: nothing cut at 5).
  const n = await nemesis(kv, NEW);
  assert.equal(n.rounds, before.nemesis[0]!.rounds + before.nemesis[1]!.rounds);
  const by = added(before.nemesis[0]!.killedBy, before.nemesis[1]!.killedBy);
  assert.deepEqual(new Map(n.killedBy.map((x) => [x.guid, x.n])), by);
  assert.deepEqual(
    new Map(n.killed.map((x) => [x.guid, x.n])),
    added(before.nemesis[0]!.killed, before.nemesis[1]!.killed),
  );
  // Others' lists name the person once, under the person's name, with both GUIDs' kills.
  let named = 0;
  for (const [i, g] of others.entries()) {
    const theirs = await nemesis(kv, g);
    const b = before.ofOthers[i]!;
    const pick = <T extends { guid: string }>(xs: readonly T[]) =>
      xs.filter((x) => x.guid === OLD || x.guid === NEW);
    for (const [list, was] of [[theirs.killedBy, b.killedBy], [theirs.killed, b.killed]] as const) {
      const person = pick(list);
      const sum = pick(was).reduce((m, x) => m + x.n, 0);
      if (sum === 0) continue;
      assert.equal(person.length, 1, "the person once");
      assert.equal(person[0]!.n, sum);
      assert.equal(person[0]!.name, "Re Installed");
      named++;
    }
  }
  assert.ok(named > 0, "some opponent's lists name the person");

  // Matchup and duo against each other player: both GUIDs' rounds and VS kills added.
  for (const [i, g] of others.entries()) {
    const [m0, m1] = before.matchups[i]!;
    const m = await matchup(kv, g, NEW);
    assert.ok(m0!.against + m0!.together > 0 && m1!.against + m1!.together > 0, "both GUIDs met them");
    assert.equal(m.against, m0!.against + m1!.against);
    assert.equal(m.together, m0!.together + m1!.together);
    assert.equal(m.winsA, m0!.winsA + m1!.winsA);
    assert.equal(m.winsB, m0!.winsB + m1!.winsB);
    assert.equal(m.b.kills, m0!.b.kills + m1!.b.kills);
    assert.equal(m.vs.aKillsB, m0!.vs.aKillsB + m1!.vs.aKillsB);
    assert.equal(m.vs.bKillsA, m0!.vs.bKillsA + m1!.vs.bKillsA);
    assert.deepEqual(await matchup(kv, g, OLD), m);
    const [d0, d1] = before.duos[i]!;
    const d = await duo(kv, OLD, g);
    assert.equal(d.rounds, d0!.rounds + d1!.rounds);
    assert.equal(d.won, d0!.won + d1!.won);
    assert.equal(d.combined.kills, d0!.combined.kills + d1!.combined.kills);
  }

  // /et awards <player>: every award either GUID won, counted once each.
  let won = 0;
  for (const e of await listEndstats(kvReader(kv))) {
    won += (await getRoundAwards(kvReader(kv), e.roundId))!.awards.filter((a) =>
      a.guid === OLD || a.guid === NEW
    ).length;
  }
  assert.ok(won > 0);
  const aw = await etAwards(kv, OLD);
  assert.ok(aw.ok);
  assert.equal(aw.embeds[0]!.title, "🏅 Re Installed: awards");
  const counted = aw.embeds[0]!.description!.split("\n").reduce(
    (m, l) => m + Number(/^(\d+)×/.exec(l)![1]),
    0,
  );
  assert.equal(counted, won);
});

Deno.test("ET:Legacy people: the session table, MVP and autocomplete count the person once; matchup of one person refused", async () => {
  using s = await setup();
  const { kv } = s;
  const before = (await getSessionView(kv, s.sessionId))!;
  const [o, n] = [before.players.find((p) => p.guid === OLD)!, before.players.find((p) => p.guid === NEW)!];
  await merge(kv);
  const after = (await getSessionView(kv, s.sessionId))!;
  assert.equal(after.players.length, before.players.length - 1);
  const me = after.players.filter((p) => p.guids.includes(OLD) || p.guids.includes(NEW));
  assert.equal(me.length, 1);
  assert.deepEqual(me[0]!.guids, [OLD, NEW]);
  assert.equal(me[0]!.guid, OLD);
  assert.equal(me[0]!.name, "Re Installed");
  for (const k of ["kills", "deaths", "damageGiven", "rounds", "timePlayedS"] as const) {
    assert.equal(me[0]!.totals[k], o.totals[k] + n.totals[k], k);
  }
  // The MVP: the formula on the person's sums, as one player.
  const detail = (await getSession(kv, s.sessionId))!;
  const rows = detail.rounds.map((r) =>
    r.players.map((p) =>
      p.guid === NEW
        ? { ...p, guid: OLD, name: "Re Installed" }
        : p.guid === OLD
        ? { ...p, name: "Re Installed" }
        : p
    )
  );
  assert.deepEqual(after.mvp, mvpOfRounds(rows));
  // Maps: each within one GUID's part of the evening, the person's name.
  for (const m of after.maps.filter((m) => m.mvp?.guid === OLD)) assert.equal(m.mvp!.name, "Re Installed");

  // The API and the page say the same.
  const app = testApp(kv);
  const api = await (await app.request(`/api/etl/sessions/${s.sessionId}`)).json();
  assert.equal(api.players.length, after.players.length);
  assert.deepEqual(api.players.find((p: { guid: string }) => p.guid === OLD).guids, [OLD, NEW]);
  const page = await (await app.request(`/etl/sessions/${s.sessionId}`)).text();
  assert.equal(page.includes(`href="/etl/players/${NEW}"`), false, "the person's row links their first GUID");
  assert.match(page, /Re Installed/);

  // A matchup of the two GUIDs: refused, in one sentence, on the site and on Discord.
  const site = await app.request(`/etl/matchup?a=${OLD}&b=${NEW}`);
  assert.equal(site.status, 404);
  assert.match(await site.text(), /Those two GUIDs are one person \(merged by an admin\)/);
  const other = after.players.find((p) => !p.guids.includes(OLD))!.guid;
  const ok = await app.request(`/etl/matchup?a=${other}&b=${NEW}`);
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /Re Installed/);
  const signer = await makeSigner();
  const bot = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex)), [etSet]);
  for (const cmd of ["matchup", "duo"]) {
    const res = await signer.post(
      bot,
      commandBody("et", [{
        name: cmd,
        type: 1,
        options: [{ name: "a", type: 3, value: OLD }, { name: "b", type: 3, value: NEW }],
      }]),
      { timestamp: Math.floor(NOW.getTime() / 1000) },
    );
    const body = await res.json();
    assert.match(
      JSON.stringify(body.data),
      /Those two are one person \(merged by an admin\); pick two different players/,
      cmd,
    );
  }

  // Autocomplete of a player option: the person once, under the person's name, by either GUID's
  // name, the person's name or the second GUID; the value is the person's first GUID.
  const choices = async (value: string) => {
    const res = await signer.post(
      bot,
      autocompleteBody("et", [{
        name: "stats",
        type: 1,
        options: [{ name: "player", type: 3, value, focused: true }],
      }]),
      { timestamp: Math.floor(NOW.getTime() / 1000) },
    );
    return (await res.json()).data.choices as { name: string; value: string }[];
  };
  const all = await choices("");
  assert.equal(all.length, after.players.length);
  const mine = all.filter((c) => c.value === OLD || c.value === NEW);
  assert.deepEqual(mine, [{ name: `Re Installed · ${OLD} +1 GUID`, value: OLD }]);
  const playedAs = detail.rounds[0]!.players.find((p) => p.guid === OLD)!.name;
  for (const typed of ["re inst", playedAs, NEW.toLowerCase()]) {
    assert.deepEqual((await choices(typed)).filter((c) => c.value === OLD || c.value === NEW), mine, typed);
  }
  // Typed without autocomplete, the person's name names the person.
  const stats = await signer.post(
    bot,
    commandBody("et", [{
      name: "stats",
      type: 1,
      options: [{ name: "player", type: 3, value: "Re Installed" }],
    }]),
    { timestamp: Math.floor(NOW.getTime() / 1000) },
  );
  assert.equal((await stats.json()).data.embeds[0].title, "Re Installed");
});
