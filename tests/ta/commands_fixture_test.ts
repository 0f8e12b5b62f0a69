/**
 * The time-attack commands and replies over generated files (tests/ta/_ta.ts seasonFixtures():
 * the season the real samples fill, with laps chosen here): what tests/ta/commands_test.ts and
 * replies_test.ts check over the samples, on a fresh clone.
 */
import assert from "node:assert/strict";
import { core } from "@/discord/core/commands.ts";
import { eventReply, pbReply, scheduleReply, standingsReply } from "@/discord/ta/replies.ts";
import { taCommands } from "@/discord/ta/commands.ts";
import { setLink } from "@/kv/links.ts";
import { discordConfig, interactionsApp, testDeps } from "@/tests/discord/_app.ts";
import { autocompleteBody, commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { FIXTURE_DRIVERS, importFiles, seasonFixtures, ta, taConfig } from "@/tests/ta/_ta.ts";

const NOW = new Date("2019-03-05T12:00:00Z"); // during event2
const STR = 3, INT = 4, SUB = 1;
const opt = (name: string, value: unknown, type = STR) => ({ name, type, value });
const { cal: CAL, dev: DEV } = FIXTURE_DRIVERS;
/** The ratio rule: 101 x the winner's lap / the driver's, to 2 decimals. */
const ratio = (winner: number, lap: number) => Math.round((101 * winner / lap) * 100) / 100;
// event1: Ada 51.500, Cal 52.750 (his 50.000 was cut); event2: Ada 2:04.800, Cal 2:06.200, Dev 2:07.900.
const CAL_E1 = ratio(51_500, 52_750), CAL_E2 = ratio(124_800, 126_200);
const CAL_TOTAL = (CAL_E1 * 100 + CAL_E2 * 100) / 100;

async function setup() {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  const config0 = taConfig();
  await importFiles(kv, config0, seasonFixtures());
  const config = {
    ...discordConfig(signer.publicKeyHex),
    servers: config0.servers,
    timeAttack: config0.timeAttack,
  };
  const app = interactionsApp(testDeps(kv, config, { now: () => NOW }), [core, taCommands]);
  const call = async (body: unknown) => {
    const res = await signer.post(app, body, { timestamp: Math.floor(NOW.getTime() / 1000) });
    assert.equal(res.status, 200, await res.clone().text());
    // deno-lint-ignore no-explicit-any
    return (await res.json()) as any;
  };
  return { kv, call, [Symbol.dispose]: () => kv.close() };
}

Deno.test("the ta replies show standings, schedule, an event and a driver's bests (generated season)", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  await importFiles(kv, config, seasonFixtures());
  const t = ta(config);
  const now = NOW.getTime();
  const st = (await standingsReply(kv, t, undefined, now)).embeds[0]!;
  assert.equal(st.title, "Season 1 standings");
  assert.match(
    st.description!,
    /^\*\*1\.\*\* Ada Quick: \*\*202\.00\*\* \(Week 1 101\.00, event2 101\.00\)\n/,
  );
  assert.match(
    st.description!,
    new RegExp(`\\n\\*\\*2\\.\\*\\* Cal Turner: \\*\\*${CAL_TOTAL.toFixed(2)}\\*\\*`),
  );
  assert.doesNotMatch(st.description!, /Eli Slow/, "the Nissan is not on event2's list");
  assert.match(st.footer!.text, /Best 9 events count/);
  const sc = (await scheduleReply(kv, config, now)).embeds[0]!.description!;
  assert.doesNotMatch(sc, /preseason|Barbagallo/i, "the preseason is not listed");
  assert.match(sc, /^\*\*Week 1\*\*: 🇦🇹 Red Bull Ring National\nRss Formula Rss 4 · /);
  assert.match(sc, /\n▶ \*\*Week 2\*\*: Suzuka \(Suzukagp\)\nMcLaren 650S GT3, Mercedes-AMG GT3 · /);
  assert.match(sc, /<t:1551420000:F>/, "event2's start as a Discord timestamp");
  const ev = (await eventReply(kv, config, undefined, now)).embeds[0]!.description!;
  assert.match(ev, /Ends <t:1552024800:R>/);
  assert.match(ev, /\*\*1\.\*\* Ada Quick: `2:04\.800`/);
  assert.match(ev, /\*\*2\.\*\* Cal Turner: `2:06\.200` \(\+1\.400\)/);
  assert.match(ev, /\*\*3\.\*\* Dev: `2:07\.900` \(\+3\.100\)/);
  const past = (await eventReply(kv, config, "event1", now)).embeds[0]!.description!;
  assert.match(past, /Ended <t:1551420000:f>/);
  assert.doesNotMatch(past, /Dev/, "a lap before event1 started (in the season's zone) is not on it");
  const pb = (await pbReply(kv, config, "cal", now)).embeds[0]!;
  assert.equal(pb.title, "Cal Turner: season 1");
  assert.match(
    pb.description!,
    new RegExp(
      `\\*\\*Week 1\\*\\*: \`52\\.750\` \\(P2 of 2\\) · Rss Formula Rss 4 · ${CAL_E1.toFixed(2)} pts`,
    ),
  );
  assert.equal(pb.footer!.text, `Standings: P2, ${CAL_TOTAL.toFixed(2)} points`);
  const byGuid = (await pbReply(kv, config, DEV.guid, now)).embeds[0]!;
  assert.equal(byGuid.title, "Dev: season 1");
});

Deno.test("/standings, /schedule, /event and /ta pb answer from the stored laps (generated season)", async () => {
  using s = await setup();
  const st = await s.call(commandBody("standings"));
  assert.equal(st.type, 4);
  assert.deepEqual(st.data.allowed_mentions, { parse: [] });
  assert.match(st.data.embeds[0].description, /^\*\*1\.\*\* Ada Quick: \*\*202\.00\*\*/);
  const st1 = await s.call(commandBody("standings", [opt("season", 1, INT)]));
  assert.equal(st1.data.embeds[0].title, "Season 1 standings");
  const sc = await s.call(commandBody("schedule"));
  assert.match(sc.data.embeds[0].description, /▶ \*\*Week 2\*\*: Suzuka/);
  const ev = await s.call(commandBody("event"));
  assert.match(ev.data.embeds[0].description, /Ends <t:1552024800:R>/);
  assert.match(ev.data.embeds[0].description, /\*\*3\.\*\* Dev: `2:07\.900`/);
  const ev1 = await s.call(commandBody("event", [opt("key", "event1")]));
  assert.equal(ev1.data.embeds[0].title, "Season 1: Week 1");
  const pb = await s.call(commandBody("ta", [{ name: "pb", type: SUB, options: [opt("player", "Dev")] }]));
  assert.equal(pb.data.embeds[0].title, "Dev: season 1");
  // Without a player: the member's own AC link, never their ACC one.
  await setLink(s.kv, "200000000000000001", "acc", "S76561198000000001", "Someone in ACC");
  const accOnly = await s.call(commandBody("ta", [{ name: "pb", type: SUB, options: [] }]));
  assert.match(accOnly.data.content, /link yours first with \/link/);
  await setLink(s.kv, "200000000000000001", "ac", CAL.guid, "Cal");
  const mine = await s.call(commandBody("ta", [{ name: "pb", type: SUB, options: [] }]));
  assert.equal(mine.data.embeds[0].title, "Cal Turner: season 1");
  assert.equal(mine.data.embeds[0].footer.text, `Standings: P2, ${CAL_TOTAL.toFixed(2)} points`);
});

Deno.test("the ta commands answer what the member can fix in one ephemeral sentence (generated season)", async () => {
  using s = await setup();
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
});

Deno.test("/ta pb autocompletes AC drivers from the name index (generated season)", async () => {
  using s = await setup();
  const res = await s.call(
    autocompleteBody("ta", [{
      name: "pb",
      type: SUB,
      options: [{ name: "player", type: STR, value: "cal", focused: true }],
    }]),
  );
  assert.equal(res.type, 8);
  assert.deepEqual(res.data.choices, [{ name: "Cal Turner", value: CAL.guid }]);
});
