/**
 * A person's GUIDs count once in the teams (kv/etl/teams.ts with kv/etl/people.ts EtlWho): the
 * score's rosters and names, `/et teams` (one entry, rounds over both GUIDs, a team name
 * configured on either GUID); round pages keep a row per GUID under the person's name. Generated
 * rounds where one player changes GUID mid-evening (a reinstall) and an admin merges the two.
 */
import { mergeReinstalled, NAME, NEW, OLD, reinstallEvening } from "@/tests/etl/_reinstall.ts";
import assert from "node:assert/strict";
import { etTeams } from "@/discord/et/more.ts";
import { getRoundView, getSessionView } from "@/kv/etl/views.ts";

const setup = () => reinstallEvening();
const merge = mergeReinstalled;

const ok = (r: Awaited<ReturnType<typeof etTeams>>) => {
  assert.ok(r.ok, "answered");
  return r.embeds[0]!;
};

Deno.test("ET:Legacy people: the score's rosters and /et teams list a merged person once, under the person's name", async () => {
  using s = await setup();
  const { kv } = s;
  const before = (await getSessionView(kv, s.sessionId))!;
  const guidsBefore = before.score.teams.flatMap((t) => t.guids);
  assert.ok(guidsBefore.includes(OLD) && guidsBefore.includes(NEW), "two entries before the merge");
  assert.ok(!before.score.teams.flatMap((t) => t.names).includes(NAME));
  await merge(kv);

  const after = (await getSessionView(kv, s.sessionId))!;
  const guids = after.score.teams.flatMap((t) => t.guids);
  assert.equal(guids.length, 5, "5 players, 5 roster entries");
  assert.equal(new Set(guids).size, 5);
  assert.ok(guids.includes(OLD), "the GUID first seen in the session stands for the person");
  assert.ok(!guids.includes(NEW));
  const names = after.score.teams.flatMap((t) => t.names);
  assert.equal(names.filter((n) => n === NAME).length, 1);
  for (const t of after.score.teams) assert.equal(t.names.length, t.guids.length);
  assert.equal(
    after.score.teams[0].points + after.score.teams[1].points,
    before.score.teams[0].points + before.score.teams[1].points,
  );

  // /et teams: one line for the person, with the rounds of both GUIDs.
  const me = after.players.find((p) => p.guids.includes(NEW))!;
  assert.deepEqual(me.guids, [OLD, NEW]);
  const e = ok(await etTeams(kv, undefined, {}));
  const lines = e.fields!.flatMap((f) => f.value.split("\n"));
  assert.equal(lines.length, 5);
  assert.deepEqual(lines.filter((l) => l.includes(NAME)), [`${NAME} (${me.totals.rounds} rounds)`]);
  assert.equal(lines.filter((l) => l.includes("(")).length, 5);

  // A team name configured on either of the person's GUIDs names the person's team.
  for (const g of [OLD, NEW]) {
    const named = ok(await etTeams(kv, undefined, { [g]: "Night Owls" }));
    const mine = named.fields!.find((f) => f.value.includes(NAME))!;
    assert.match(mine.name, /^Night Owls · /, g);
  }
});

Deno.test("ET:Legacy people: a round page keeps a row per GUID under the person's name", async () => {
  using s = await setup();
  const { kv } = s;
  const before = (await getSessionView(kv, s.sessionId))!;
  const [early, late] = [before.roundIds[0]!, before.roundIds.at(-1)!];
  const rowsBefore = [(await getRoundView(kv, early))!, (await getRoundView(kv, late))!];
  await merge(kv);
  for (const [i, id] of [early, late].entries()) {
    const r = (await getRoundView(kv, id))!;
    assert.equal(r.players.length, rowsBefore[i]!.players.length);
    const row = r.players.find((p) => p.guid === (i === 0 ? OLD : NEW))!;
    assert.equal(row.name, NAME);
    assert.equal(row.nameRaw, NAME);
    assert.equal(row.kills, rowsBefore[i]!.players.find((p) => p.guid === row.guid)!.kills);
    if (r.mvp?.guid === row.guid) assert.equal(r.mvp.name, NAME);
  }
});
