/**
 * /et over the generated month (fixtures/etl_month.ts): what tests/etl/handlers_test.ts and
 * commands_test.ts check over the real samples, the handlers directly and through signed
 * interactions, with the values the generator knows.
 */
import assert from "node:assert/strict";
import { core } from "@/discord/core/commands.ts";
import { etSet } from "@/discord/et/commands.ts";
import {
  etCompare,
  etLastSession,
  etLinkTarget,
  etMaps,
  etSession,
  etStats,
  etTop,
  metricChoices,
  playerChoices,
} from "@/discord/et/handlers.ts";
import { autocompleteBody, commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, recordingDiscord, testDeps } from "@/tests/discord/_app.ts";
import { biggestSession, importMonth, MONTH } from "@/tests/etl/_month.ts";

const [IRON, FNX] = [MONTH.regulars[0]!, MONTH.regulars[1]!];
const LAST_DAY = MONTH.sessions.at(-1)!.id.slice(0, 10);
const BIG = biggestSession();
const BIG_DAY = BIG.id.slice(0, 10);
const NO_DAY = "2025-03-05";
const scores = MONTH.files.flatMap((f) => (f.score ? [f.score.join("-")] : []));

Deno.test("/et answers over the generated month", async (t) => {
  using kv = await Deno.openKv(":memory:");
  assert.deepEqual(await etLastSession(kv), {
    ok: false,
    error: "No ET:Legacy rounds have been imported yet",
  });
  await importMonth(kv);
  const ok = <T extends { ok: boolean }>(r: T) => {
    assert.equal(r.ok, true, JSON.stringify(r));
    return r as T & { ok: true; embeds: { title?: string; description?: string }[] };
  };
  const iron = new RegExp(IRON.name);

  await t.step("stats: by GUID, by name, by link; errors people can act on", async () => {
    assert.match(ok(await etStats(kv, IRON.guid, null)).embeds[0]!.title!, iron);
    assert.match(ok(await etStats(kv, IRON.name, null)).embeds[0]!.title!, iron);
    assert.match(ok(await etStats(kv, undefined, IRON.guid)).embeds[0]!.title!, iron);
    assert.deepEqual(await etStats(kv, undefined, null), {
      ok: false,
      error: "Name a player, or link yourself first with /et link",
    });
    assert.deepEqual(await etStats(kv, "zzzz-nobody", null), {
      ok: false,
      error: 'No ET:Legacy player matches "zzzz-nobody"',
    });
  });

  await t.step("sessions: last, by date", async () => {
    assert.match(ok(await etLastSession(kv)).embeds[0]!.title!, new RegExp(LAST_DAY));
    assert.match(
      ok(await etSession(kv, BIG_DAY)).embeds[0]!.description!,
      new RegExp(`\\b${BIG.rounds} rounds`),
    );
    assert.equal((await etSession(kv, "13.03.2025")).ok, false);
    assert.deepEqual(await etSession(kv, NO_DAY), { ok: false, error: `No session started on ${NO_DAY}` });
  });

  await t.step("top, compare, maps, link", async () => {
    assert.match(ok(await etTop(kv, "kills", undefined, new Date("2026-01-05"))).embeds[0]!.title!, /Kills/);
    assert.equal((await etTop(kv, "nope", undefined, new Date())).ok, false);
    assert.equal((await etTop(kv, "kd", "1y", new Date())).ok, false);
    const cmp = ok(await etCompare(kv, IRON.guid, FNX.guid));
    assert.match(cmp.embeds[0]!.description!, /K\/D/);
    assert.equal((await etCompare(kv, IRON.guid, IRON.guid.toLowerCase())).ok, false);
    const maps = ok(await etMaps(kv)).embeds[0]!.description!;
    assert.match(maps, /supply/);
    // Every scored pair, those won by R2's attackers and the double full holds, as generated.
    const counts = [...maps.matchAll(/(\d+) maps?, R2 attack won (\d+), double holds (\d+)/g)]
      .reduce((a, m) => a.map((x, i) => x + Number(m[i + 1])), [0, 0, 0]);
    assert.deepEqual(counts, [
      scores.length,
      scores.filter((s) => s === "0-2").length,
      scores.filter((s) => s === "1-1").length,
    ]);
    assert.deepEqual(await etLinkTarget(kv, IRON.guid), { guid: IRON.guid, name: IRON.name });
  });

  await t.step("autocomplete: players by name with GUID values; metrics by id or label", async () => {
    const choices = await playerChoices(kv, "iro");
    assert.ok(choices.some((c) => c.value === IRON.guid));
    assert.ok(choices.length <= 25 && choices.every((c) => c.name.length <= 100));
    assert.ok(MONTH.regulars.length + MONTH.pickups.length > 25);
    assert.equal((await playerChoices(kv, "")).length, 25);
    assert.deepEqual(metricChoices("acc").map((c) => c.value), ["accuracy"]);
    assert.equal(metricChoices("").length, 19);
  });
});

const NOW_S = Math.floor(NOW.getTime() / 1000);
const SUB = 1, STR = 3;
const sub = (name: string, options: { name: string; value: string; focused?: boolean }[] = []) => [
  { name, type: SUB, options: options.map((o) => ({ ...o, type: STR })) },
];

Deno.test("/et over the generated month, through signed interactions", async (t) => {
  const signer = await makeSigner();
  using kv = await Deno.openKv(":memory:");
  await importMonth(kv);
  const discord = recordingDiscord();
  const app = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex), { discord }), [core, etSet]);
  const call = async (body: unknown) => {
    const res = await signer.post(app, body, { timestamp: NOW_S });
    assert.equal(res.status, 200, await res.clone().text());
    return await res.json();
  };
  const iron = new RegExp(IRON.name);

  await t.step("stats by name; without a player, the link; /et link stores it", async () => {
    const r = await call(commandBody("et", sub("stats", [{ name: "player", value: IRON.guid }])));
    assert.deepEqual(r.data.allowed_mentions, { parse: [] });
    assert.match(r.data.embeds[0].title, iron);
    const who = { userId: "200000000000000042" };
    const none = await call(commandBody("et", sub("stats"), who));
    assert.equal(none.data.flags, 64);
    assert.match(none.data.content, /link yourself first with \/et link/);
    const link = await call(commandBody("et", sub("link", [{ name: "player", value: IRON.guid }]), who));
    assert.match(link.data.content, new RegExp(`Linked you to \\*\\*${IRON.name}\\*\\*`));
    const mine = await call(commandBody("et", sub("stats"), who));
    assert.match(mine.data.embeds[0].title, iron);
  });

  await t.step("top, session, compare answer at once; last_session and maps are deferred", async () => {
    const top = await call(commandBody("et", sub("top", [{ name: "metric", value: "kills" }])));
    assert.match(top.data.embeds[0].title, /Kills/);
    const s = await call(commandBody("et", sub("session", [{ name: "date", value: BIG_DAY }])));
    assert.match(s.data.embeds[0].description, new RegExp(`\\b${BIG.rounds} rounds`));
    const bad = await call(commandBody("et", sub("session", [{ name: "date", value: NO_DAY }])));
    assert.match(bad.data.content, new RegExp(`No session started on ${NO_DAY}`));
    const cmp = await call(
      commandBody("et", sub("compare", [{ name: "p1", value: IRON.guid }, { name: "p2", value: FNX.guid }])),
    );
    assert.match(cmp.data.embeds[0].description, /K\/D/);
    const last = await call(commandBody("et", sub("last_session")));
    assert.equal(last.type, 5);
    // The deferred answer is PATCHed onto @original once its work is done.
    for (let i = 0; i < 200 && discord.edits.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    const edit = discord.edits[0]!.body as { embeds: { title: string }[] };
    assert.match(edit.embeds[0]!.title, new RegExp(`Session ${LAST_DAY}`));
  });

  await t.step("autocomplete: players and metrics", async () => {
    const p = await call(
      autocompleteBody("et", sub("stats", [{ name: "player", value: "iro", focused: true }])),
    );
    assert.equal(p.type, 8);
    assert.ok(p.data.choices.some((c: { value: string }) => c.value === IRON.guid));
    const m = await call(
      autocompleteBody("et", sub("top", [{ name: "metric", value: "acc", focused: true }])),
    );
    assert.deepEqual(m.data.choices.map((c: { value: string }) => c.value), ["accuracy"]);
  });
});
