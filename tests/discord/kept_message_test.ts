import assert from "node:assert/strict";
import { createDiscordApi } from "@/discord/rest.ts";
import { upsertKeptMessage } from "@/discord/kept_message.ts";
import { startFakeDiscord } from "@/tests/fakes/discord.ts";

const CH = "500000000000000001";

Deno.test("upsertKeptMessage() posts once, edits in place, and posts anew after a 404", async (t) => {
  const discord = await startFakeDiscord();
  using kv = await Deno.openKv(":memory:");
  const api = createDiscordApi({
    token: discord.token,
    applicationId: discord.applicationId,
    apiBase: discord.apiBase,
  });
  const deps = { kv, discord: api, now: () => new Date("2026-01-01T00:00:00Z") };
  try {
    let first = "";
    await t.step("the first call posts", async () => {
      first = (await upsertKeptMessage(deps, "ta:leaderboard", CH, { content: "v1 @everyone" }))!;
      assert.equal(discord.channelMessages(CH).length, 1);
      assert.deepEqual(discord.messages[0]!.body.allowed_mentions, { parse: [] });
      assert.equal(discord.messages[0]!.mentionEveryone, false);
    });
    await t.step("later calls edit the same message", async () => {
      const id = await upsertKeptMessage(deps, "ta:leaderboard", CH, { embeds: [{ title: "v2" }] });
      assert.equal(id, first);
      assert.equal(discord.channelMessages(CH).length, 1);
      assert.equal(discord.messages[0]!.edits, 1);
    });
    await t.step("deleted by a moderator (404): posted anew, and the new id kept", async () => {
      discord.deleteMessage(first);
      const id = await upsertKeptMessage(deps, "ta:leaderboard", CH, { content: "v3" });
      assert.notEqual(id, first);
      assert.equal(discord.channelMessages(CH).length, 1);
      assert.equal(discord.channelMessages(CH)[0]!.body.content, "v3");
      assert.equal(await upsertKeptMessage(deps, "ta:leaderboard", CH, { content: "v4" }), id);
    });
    await t.step("concurrent updates of one key never post twice", async () => {
      await Promise.all([1, 2, 3].map((i) => upsertKeptMessage(deps, "standings", CH, { content: `s${i}` })));
      assert.equal(
        discord.channelMessages(CH).filter((m) => String(m.body.content).startsWith("s")).length,
        1,
      );
    });
    await t.step("Discord off: nothing to do", async () => {
      assert.equal(await upsertKeptMessage({ ...deps, discord: null }, "x", CH, { content: "x" }), null);
    });
  } finally {
    await discord.close();
  }
});
