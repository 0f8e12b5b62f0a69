import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { core } from "@/discord/core/commands.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { autocompleteBody, commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, testDeps } from "@/tests/discord/_app.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);
const STR = 3;

async function setup() {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: false, now: () => NOW });
  const r = await imp.importOne({
    name: "260101_200000_Q.json",
    bytes: accFile({
      track: "monza",
      cars: [{ playerId: "S1", first: "Ann", last: "**Fast**", laps: [100_100] }],
    }),
  });
  assert.equal(r.status, "imported", r.reason);
  const app = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex)), [core]);
  const call = async (body: unknown) => (await signer.post(app, body, { timestamp: NOW_S })).json();
  return { kv, call, [Symbol.dispose]: () => kv.close() };
}

Deno.test("/link, /whoami, /unlink: a member links their ACC driver and sees it", async () => {
  using s = await setup();
  const who = { userId: "200000000000000009" };
  let res = await s.call(commandBody("whoami", [], who));
  assert.match(res.data.content, /No game identity/);
  res = await s.call(commandBody("link", [{ name: "game", type: STR, value: "acc" }, {
    name: "player",
    type: STR,
    value: "S1",
  }], who));
  assert.equal(res.data.flags, 64);
  assert.match(res.data.content, /Linked: you are \*\*Ann \\\*\\\*Fast\\\*\\\*\*\* \(`S1`\) in ACC/);
  res = await s.call(commandBody("whoami", [], who));
  assert.match(
    res.data.content,
    /\*\*ACC\*\*: Ann \\\*\\\*Fast\\\*\\\* `S1` \(linked <t:\d+:f> \(<t:\d+:R>\)\)/,
  );
  res = await s.call(commandBody("unlink", [{ name: "game", type: STR, value: "acc" }], who));
  assert.match(res.data.content, /Unlinked your ACC identity `S1`/);
});

Deno.test("/link refuses an unknown driver and an identity another member holds, as one sentence", async () => {
  using s = await setup();
  let res = await s.call(commandBody("link", [{ name: "game", type: STR, value: "acc" }, {
    name: "player",
    type: STR,
    value: "nobody",
  }]));
  assert.match(res.data.content, /No ACC driver has the id "nobody"/);
  await s.call(
    commandBody("link", [{ name: "game", type: STR, value: "acc" }, {
      name: "player",
      type: STR,
      value: "S1",
    }], {
      userId: "200000000000000001",
    }),
  );
  res = await s.call(commandBody("link", [{ name: "game", type: STR, value: "acc" }, {
    name: "player",
    type: STR,
    value: "S1",
  }], { userId: "200000000000000002" }));
  assert.match(res.data.content, /linked to another member/);
  assert.equal(res.data.flags, 64);
});

Deno.test("/link autocompletes driver names with their ids", async () => {
  using s = await setup();
  const res = await s.call(autocompleteBody("link", [{ name: "game", type: STR, value: "acc" }, {
    name: "player",
    type: STR,
    value: "an",
    focused: true,
  }]));
  assert.equal(res.type, 8);
  assert.deepEqual(res.data.choices, [{ name: "Ann **Fast** (S1)", value: "S1" }]);
});

Deno.test("/help lists the enabled commands one line each, admin ones only to admins", async () => {
  using s = await setup();
  let res = await s.call(commandBody("help"));
  const text: string = res.data.embeds[0].description;
  assert.match(text, /`\/link <game> <player>`: Link your game identity/);
  assert.match(text, /`\/whoami`/);
  assert.doesNotMatch(text, /sync-commands/);
  res = await s.call(commandBody("help", [], { permissions: "8" }));
  assert.match(res.data.embeds[0].description, /`\/sync-commands \[scope\]`: .* \(admin\)/);
});

Deno.test("/link takes a driver's full name typed instead of picked", async () => {
  using s = await setup();
  const res = await s.call(commandBody("link", [{ name: "game", type: STR, value: "acc" }, {
    name: "player",
    type: STR,
    value: "ann **fast**",
  }]));
  assert.match(res.data.content, /Linked: you are .* \(`S1`\) in ACC/);
});
