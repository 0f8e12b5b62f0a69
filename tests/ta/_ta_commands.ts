/**
 * The time-attack commands' checks, over the real samples (tests/ta/commands_test.ts) and over the
 * generated season (tests/ta/commands_fixture_test.ts): one body each, the season's names and
 * figures passed in.
 */
import assert from "node:assert/strict";
import { core } from "@/discord/core/commands.ts";
import { taCommands } from "@/discord/ta/commands.ts";
import { setLink } from "@/kv/links.ts";
import { discordConfig, interactionsApp, testDeps } from "@/tests/discord/_app.ts";
import { autocompleteBody, commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { importFiles, taConfig } from "@/tests/ta/_ta.ts";

/** During event2 of the season both sets describe. */
export const NOW = new Date("2019-03-05T12:00:00Z");
export const STR = 3, INT = 4, SUB = 1;
export const opt = (name: string, value: unknown, type = STR) => ({ name, type, value });

/** A signed-interactions app over the season's files, with a `call` that answers 200. */
export async function taCommandsApp(files: Parameters<typeof importFiles>[2]) {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  const ta = taConfig();
  await importFiles(kv, ta, files);
  const config = { ...discordConfig(signer.publicKeyHex), servers: ta.servers, timeAttack: ta.timeAttack };
  const app = interactionsApp(testDeps(kv, config, { now: () => NOW }), [core, taCommands]);
  const call = async (body: unknown) => {
    const res = await signer.post(app, body, { timestamp: Math.floor(NOW.getTime() / 1000) });
    assert.equal(res.status, 200, await res.clone().text());
    // deno-lint-ignore no-explicit-any
    return (await res.json()) as any;
  };
  return { kv, call, [Symbol.dispose]: () => kv.close() };
}

type App = Awaited<ReturnType<typeof taCommandsApp>>;

/** What the season holds: the leader, event2's third (name and lap pattern), the AC driver P2. */
export interface SeasonFacts {
  leader: string;
  third: { name: string; lap: RegExp };
  p2: { guid: string; linkName: string; name: string; total: string };
}

/** `/standings`, `/schedule`, `/event` and `/ta pb` (with a player, and the member's own AC link). */
export async function checkAnswers(s: App, f: SeasonFacts): Promise<void> {
  const st = await s.call(commandBody("standings"));
  assert.equal(st.type, 4);
  assert.deepEqual(st.data.allowed_mentions, { parse: [] });
  assert.match(
    st.data.embeds[0].description,
    new RegExp(`^\\*\\*1\\.\\*\\* ${f.leader}: \\*\\*202\\.00\\*\\*`),
  );
  const st1 = await s.call(commandBody("standings", [opt("season", 1, INT)]));
  assert.equal(st1.data.embeds[0].title, "Season 1 standings");
  const sc = await s.call(commandBody("schedule"));
  assert.match(sc.data.embeds[0].description, /▶ \*\*Week 2\*\*: Suzuka/);
  const ev = await s.call(commandBody("event"));
  assert.match(ev.data.embeds[0].description, /Ends <t:1552024800:R>/);
  assert.match(
    ev.data.embeds[0].description,
    new RegExp(`\\*\\*3\\.\\*\\* ${f.third.name}: \`${f.third.lap.source}\``),
  );
  const ev1 = await s.call(commandBody("event", [opt("key", "event1")]));
  assert.equal(ev1.data.embeds[0].title, "Season 1: Week 1");
  const pb = await s.call(
    commandBody("ta", [{ name: "pb", type: SUB, options: [opt("player", f.third.name)] }]),
  );
  assert.equal(pb.data.embeds[0].title, `${f.third.name}: season 1`);
  // Without a player: the member's own AC link, never their ACC one.
  await setLink(s.kv, "200000000000000001", "acc", "S76561198000000001", "Someone in ACC");
  const accOnly = await s.call(commandBody("ta", [{ name: "pb", type: SUB, options: [] }]));
  assert.match(accOnly.data.content, /link yours first with \/link/);
  await setLink(s.kv, "200000000000000001", "ac", f.p2.guid, f.p2.linkName);
  const mine = await s.call(commandBody("ta", [{ name: "pb", type: SUB, options: [] }]));
  assert.equal(mine.data.embeds[0].title, `${f.p2.name}: season 1`);
  assert.equal(mine.data.embeds[0].footer.text, `Standings: P2, ${f.p2.total} points`);
}

/** What the member can fix, in one ephemeral sentence; event autocomplete. */
export async function checkMemberErrors(s: App): Promise<void> {
  const bad = await s.call(commandBody("event", [opt("key", "event99")]));
  assert.equal(bad.data.flags, 64);
  assert.match(bad.data.content, /There is no event "event99" in season 1/);
  const season = await s.call(commandBody("standings", [opt("season", 4, INT)]));
  assert.match(season.data.content, /There is no season 4; seasons: 1/);
  const nobody = await s.call(
    commandBody("ta", [{ name: "pb", type: SUB, options: [opt("player", "zed")] }]),
  );
  assert.match(nobody.data.content, /No laps from "zed" in season 1/);
  const choices = await s.call(
    autocompleteBody("event", [{ name: "key", type: STR, value: "wee", focused: true }]),
  );
  assert.equal(choices.type, 8);
  assert.deepEqual(choices.data.choices, [{ name: "Week 1 (event1)", value: "event1" }]);
}

/** `/ta pb` player autocomplete for "cal" gives exactly `expected`. */
export async function checkPbAutocomplete(s: App, expected: { name: string; value: string }): Promise<void> {
  const res = await s.call(
    autocompleteBody("ta", [{
      name: "pb",
      type: SUB,
      options: [{ name: "player", type: STR, value: "cal", focused: true }],
    }]),
  );
  assert.equal(res.type, 8);
  assert.deepEqual(res.data.choices, [expected]);
}
