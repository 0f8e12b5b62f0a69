import assert from "node:assert/strict";
import { commandDefinitions } from "@/discord/registry.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { seasonSamples, taConfig } from "@/tests/ta/_ta.ts";
import {
  checkAnswers,
  checkMemberErrors,
  checkPbAutocomplete,
  taCommandsApp,
} from "@/tests/ta/_ta_commands.ts";

const CALLUM = "76561198020046073";
const setup = () => taCommandsApp(seasonSamples());

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
  await checkAnswers(s, {
    leader: "Joseph Elton",
    third: { name: "Seb", lap: /2:10\.991/ },
    p2: { guid: CALLUM, linkName: "Callum", name: "Callum Jones", total: "195.57" },
  });
});

sampleTest("the ta commands answer what the member can fix in one ephemeral sentence", async () => {
  using s = await setup();
  await checkMemberErrors(s);
});

sampleTest("/ta pb autocompletes AC drivers from the name index", async () => {
  using s = await setup();
  await checkPbAutocomplete(s, { name: "Callum Jones", value: CALLUM });
});
