import assert from "node:assert/strict";
import { core } from "@/discord/core/commands.ts";
import { commandDefinitions } from "@/discord/registry.ts";
import { taCommands } from "@/discord/ta/commands.ts";
import { setLink } from "@/kv/links.ts";
import { discordConfig, interactionsApp, testDeps } from "@/tests/discord/_app.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { autocompleteBody, commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { importFiles, seasonSamples, taConfig } from "@/tests/ta/_ta.ts";

const NOW = new Date("2019-03-05T12:00:00Z"); // during event2
const STR = 3, INT = 4, SUB = 1;
const opt = (name: string, value: unknown, type = STR) => ({ name, type, value });
const CALLUM = "76561198020046073";

async function setup() {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  const ta = taConfig();
  await importFiles(kv, ta, seasonSamples());
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

Deno.test("the ta set is registered only when time attack is configured", () => {
  const names = (c: ReturnType<typeof taConfig>) => commandDefinitions(c).map((d) => d.name);
  assert.ok(names(taConfig()).includes("standings"));
  assert.deepEqual(
    names(taConfig()).filter((n) => ["standings", "schedule", "event", "ta"].includes(n)),
    ["standings", "schedule", "event", "ta"],
  );
  const off = { ...taConfig(), timeAttack: undefined };
  assert.ok(!names(off).includes("standings"));
});

sampleTest("/standings, /schedule, /event and /ta pb answer from the stored laps", async () => {
  using s = await setup();
  const st = await s.call(commandBody("standings"));
  assert.equal(st.type, 4);
  assert.deepEqual(st.data.allowed_mentions, { parse: [] });
  assert.match(st.data.embeds[0].description, /^\*\*1\.\*\* Joseph Elton: \*\*202\.00\*\*/);
  const st1 = await s.call(commandBody("standings", [opt("season", 1, INT)]));
  assert.equal(st1.data.embeds[0].title, "Season 1 standings");
  const sc = await s.call(commandBody("schedule"));
  assert.match(sc.data.embeds[0].description, /▶ \*\*Week 2\*\*: Suzuka/);
  const ev = await s.call(commandBody("event"));
  assert.match(ev.data.embeds[0].description, /Ends <t:1552024800:R>/);
  assert.match(ev.data.embeds[0].description, /\*\*3\.\*\* Seb: `2:10\.991`/);
  const ev1 = await s.call(commandBody("event", [opt("key", "event1")]));
  assert.equal(ev1.data.embeds[0].title, "Season 1: Week 1");
  const pb = await s.call(commandBody("ta", [{ name: "pb", type: SUB, options: [opt("player", "Seb")] }]));
  assert.equal(pb.data.embeds[0].title, "Seb: season 1");
  // Without a player: the member's own AC link, never their ACC one.
  await setLink(s.kv, "200000000000000001", "acc", "S76561198000000001", "Someone in ACC");
  const accOnly = await s.call(commandBody("ta", [{ name: "pb", type: SUB, options: [] }]));
  assert.match(accOnly.data.content, /link yours first with \/link/);
  await setLink(s.kv, "200000000000000001", "ac", CALLUM, "Callum");
  const mine = await s.call(commandBody("ta", [{ name: "pb", type: SUB, options: [] }]));
  assert.equal(mine.data.embeds[0].title, "Callum Jones: season 1");
  assert.equal(mine.data.embeds[0].footer.text, "Standings: P2, 195.57 points");
});

sampleTest("the ta commands answer what the member can fix in one ephemeral sentence", async () => {
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

sampleTest("/ta pb autocompletes AC drivers from the name index", async () => {
  using s = await setup();
  const res = await s.call(
    autocompleteBody("ta", [{
      name: "pb",
      type: SUB,
      options: [{ name: "player", type: STR, value: "cal", focused: true }],
    }]),
  );
  assert.equal(res.type, 8);
  assert.deepEqual(res.data.choices, [{ name: "Callum Jones", value: CALLUM }]);
});
