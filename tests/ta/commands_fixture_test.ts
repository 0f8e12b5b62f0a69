/**
 * The time-attack commands and replies over generated files (tests/ta/_ta.ts seasonFixtures():
 * the season the real samples fill, with laps chosen here): what tests/ta/commands_test.ts and
 * replies_test.ts check over the samples, on a fresh clone.
 */
import assert from "node:assert/strict";
import { eventReply, pbReply, scheduleReply, standingsReply } from "@/discord/ta/replies.ts";
import { FIXTURE_DRIVERS, importFiles, seasonFixtures, ta, taConfig } from "@/tests/ta/_ta.ts";
import {
  checkAnswers,
  checkMemberErrors,
  checkPbAutocomplete,
  NOW,
  taCommandsApp,
} from "@/tests/ta/_ta_commands.ts";

const { cal: CAL, dev: DEV } = FIXTURE_DRIVERS;
/** The ratio rule: 101 x the winner's lap / the driver's, to 2 decimals. */
const ratio = (winner: number, lap: number) => Math.round((101 * winner / lap) * 100) / 100;
// event1: Ada 51.500, Cal 52.750 (his 50.000 was cut); event2: Ada 2:04.800, Cal 2:06.200, Dev 2:07.900.
const CAL_E1 = ratio(51_500, 52_750), CAL_E2 = ratio(124_800, 126_200);
const CAL_TOTAL = (CAL_E1 * 100 + CAL_E2 * 100) / 100;

const setup = () => taCommandsApp(seasonFixtures());

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
  await checkAnswers(s, {
    leader: "Ada Quick",
    third: { name: "Dev", lap: /2:07\.900/ },
    p2: { guid: CAL.guid, linkName: "Cal", name: "Cal Turner", total: CAL_TOTAL.toFixed(2) },
  });
});

Deno.test("the ta commands answer what the member can fix in one ephemeral sentence (generated season)", async () => {
  using s = await setup();
  await checkMemberErrors(s);
});

Deno.test("/ta pb autocompletes AC drivers from the name index (generated season)", async () => {
  using s = await setup();
  await checkPbAutocomplete(s, { name: "Cal Turner", value: CAL.guid });
});
