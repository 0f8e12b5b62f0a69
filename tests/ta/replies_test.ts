import assert from "node:assert/strict";
import {
  eventChoices,
  eventReply,
  pbReply,
  scheduleReply,
  standingsReply,
  TaUserError,
} from "@/discord/ta/replies.ts";
import { liveBoardMessage } from "@/discord/ta/embeds.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { acFile, importFiles, seasonSamples, ta, taConfig } from "@/tests/ta/_ta.ts";

const NOW = Date.parse("2019-03-05T12:00:00Z"); // during event2

sampleTest("the ta replies show standings, schedule, an event and a driver's bests", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  await importFiles(kv, config, seasonSamples());
  const t = ta(config);
  const st = (await standingsReply(kv, t, undefined, NOW)).embeds[0]!;
  assert.equal(st.title, "Season 1 standings");
  assert.match(
    st.description!,
    /^\*\*1\.\*\* Joseph Elton: \*\*202\.00\*\* \(Week 1 101\.00, event2 101\.00\)/,
  );
  assert.match(st.footer!.text, /Best 9 events count/);
  const sc = (await scheduleReply(kv, config, NOW)).embeds[0]!.description!;
  assert.doesNotMatch(sc, /preseason|Barbagallo/i, "the preseason is not listed");
  assert.match(sc, /^\*\*Week 1\*\*: 🇦🇹 Red Bull Ring National\nRss Formula Rss 4 · /);
  assert.match(sc, /\n▶ \*\*Week 2\*\*: Suzuka \(Suzukagp\)\nMcLaren 650S GT3, Mercedes-AMG GT3 · /);
  assert.match(sc, /<t:1551420000:F>/, "event2's start as a Discord timestamp");
  const ev = (await eventReply(kv, config, undefined, NOW)).embeds[0]!.description!;
  assert.match(ev, /Ends <t:1552024800:R>/);
  assert.match(ev, /\*\*2\.\*\* Callum Jones: `2:05\.978` \(\+3\.827\)/);
  const past = (await eventReply(kv, config, "event1", NOW)).embeds[0]!.description!;
  assert.match(past, /Ended <t:1551420000:f>/);
  const pb = (await pbReply(kv, config, "callum", NOW)).embeds[0]!;
  assert.equal(pb.title, "Callum Jones: season 1");
  assert.match(
    pb.description!,
    /\*\*Week 1\*\*: `52\.819` \(P2 of 2\) · Rss Formula Rss 4 · 97\.64 pts/,
  );
  assert.equal(pb.footer!.text, "Standings: P2, 195.57 points");
  const byGuid = (await pbReply(kv, config, "76561198074322763", NOW)).embeds[0]!;
  assert.equal(byGuid.title, "Seb: season 1");
});

Deno.test("the ta replies answer a sentence for what the user can fix", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig();
  await importFiles(kv, config, [
    acFile({
      at: "2019-03-02T10:00",
      track: "suzuka",
      layout: "suzukagp",
      laps: [
        { guid: "1", name: "Ann One", car: "ks_mclaren_650_gt3", ms: 125000 },
        { guid: "2", name: "Ann Two", car: "ks_mclaren_650_gt3", ms: 126000 },
      ],
    }),
  ]);
  const t = ta(config);
  const rejects = (p: Promise<unknown>, re: RegExp) =>
    assert.rejects(p, (e: Error) => e instanceof TaUserError && re.test(e.message));
  await rejects(standingsReply(kv, t, 9, NOW), /There is no season 9; seasons: 1/);
  await rejects(eventReply(kv, config, "event99", NOW), /There is no event "event99" in season 1/);
  await rejects(eventReply(kv, config, undefined, Date.parse("2019-01-01T00:00:00Z")), /No event is running/);
  await rejects(pbReply(kv, config, "ann", NOW), /matches 2 drivers/);
  await rejects(pbReply(kv, config, "bob", NOW), /No laps from "bob" in season 1/);
  await rejects(standingsReply(kv, undefined, undefined, NOW), /not set up/);
  assert.equal((await pbReply(kv, config, "ann two", NOW)).embeds[0]!.title, "Ann Two: season 1");
  assert.deepEqual(eventChoices(t, "week", NOW), [{ name: "Week 1 (event1)", value: "event1" }]);
  assert.equal(eventChoices(t, "", NOW).length, 11);
});

Deno.test("liveBoardMessage() escapes names from game files and stays under Discord's limits", () => {
  const entries = Array.from({ length: 60 }, (_, i) => ({
    rank: i + 1,
    driver: { id: String(i), name: i === 0 ? "**@everyone** _x_" : "N".repeat(200) },
    lapMs: 90000 + i,
    lap: "1:30.000",
    car: "car_" + i,
    carName: i === 1 ? "Mod *car* <@123>" : "Car " + i,
    setAt: "2019-03-02T10:00:00.000Z",
  }));
  const msg = liveBoardMessage({
    season: 1,
    key: "e",
    track: "t",
    layout: "",
    cars: ["c"],
    trackName: "Track_*mod*",
    country: null,
    flag: "",
    carNames: [{ id: "c", name: "C_car", brand: null }],
    start: "2019-03-01T00:00:00.000Z",
    end: null,
    entries,
  }, "Week_1");
  const text = msg.embeds[0]!.description!;
  assert.ok(text.length <= 4096, `${text.length}`);
  assert.match(text, /\\\*\\\*@everyone\\\*\\\* \\_x\\_/);
  assert.match(text, /^Track\\_\\\*mod\\\* · C\\_car\n/, "content names from a game host are escaped");
  assert.match(text, /· Mod \\\*car\\\* \\<@123\\>\n/, "a mention-looking name reads as text");
  const shown = text.split("\n").filter((l) => l.startsWith("**")).length;
  assert.match(text, new RegExp(`\\.\\.\\. and ${60 - shown} more$`), "every driver left out is counted");
  assert.equal(msg.embeds[0]!.title, "Season 1: Week\\_1");
  assert.deepEqual(msg.allowed_mentions, { parse: [] });
});
