/**
 * A person's GUIDs count once in the teams (kv/etl/teams.ts with kv/etl/people.ts EtlWho): the
 * score's rosters and names, `/et teams` (one entry, rounds over both GUIDs, a team name
 * configured on either GUID); round pages keep a row per GUID under the person's name. Generated
 * rounds where one player changes GUID mid-evening (a reinstall) and an admin merges the two.
 */
import assert from "node:assert/strict";
import { etTeams } from "@/discord/et/more.ts";
import { generateEtlFiles, stampOf } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { listSessions } from "@/kv/etl/sessions.ts";
import { getRoundView, getSessionView } from "@/kv/etl/views.ts";
import { mergeIdentities } from "@/kv/people/merge.ts";
import { NOW } from "@/tests/discord/_app.ts";

const OLD = "10001EEF", NEW = "ABCDEF01", NAME = "Re Installed";
const stampMs = (name: string) => {
  const m = /^(\d{4})-(\d\d)-(\d\d)-(\d\d)(\d\d)(\d\d)/.exec(name)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
};

/** 5 players, one evening: 10 rounds under OLD, then 10 more where that player is NEW. */
async function setup() {
  const kv = await Deno.openKv(":memory:");
  const first = [...generateEtlFiles(10, { seed: 6, players: 5, perRound: 8, mapsPerNight: 5 })];
  const start = stampMs(first.at(-1)!.name) + 5 * 60_000;
  const second = [
    ...generateEtlFiles(10, { seed: 7, players: 5, perRound: 8, mapsPerNight: 5, start: new Date(start) }),
  ].map((f) => ({ ...f, text: f.text.replaceAll(`\n${OLD}\\`, `\n${NEW}\\`) }));
  assert.ok(first.every((f) => f.text.includes(`\n${OLD}\\`)), "OLD plays every early round");
  assert.ok(second.every((f) => f.text.includes(`\n${NEW}\\`)), "NEW plays every late round");
  assert.ok(stampOf(start) < second[0]!.name);
  const imp = new Importer(kv, { announce: false, now: () => NOW });
  const enc = new TextEncoder();
  for (const f of [...first, ...second]) {
    assert.equal((await imp.importOne({ name: f.name, bytes: enc.encode(f.text) })).status, "imported");
  }
  const sessions = await listSessions(kv);
  assert.equal(sessions.length, 1, "one evening, one session");
  return { kv, sessionId: sessions[0]!.id, [Symbol.dispose]: () => kv.close() };
}

const merge = (kv: Deno.Kv) =>
  mergeIdentities(kv, { identities: [{ kind: "etl", id: OLD }, { kind: "etl", id: NEW }], name: NAME }, {
    by: "admin",
    now: NOW,
  });

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
