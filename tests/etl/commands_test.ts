import assert from "node:assert/strict";
import { core } from "@/discord/core/commands.ts";
import { etSet } from "@/discord/et/commands.ts";
import { autocompleteBody, commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, recordingDiscord, testDeps } from "@/tests/discord/_app.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { etlSampleNames, importSamples } from "@/tests/etl/_etl.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);
const SUB = 1, STR = 3;
const sub = (name: string, options: { name: string; value: string; focused?: boolean }[] = []) => [
  { name, type: SUB, options: options.map((o) => ({ ...o, type: STR })) },
];

sampleTest("/et over the real samples, through signed interactions", async (t) => {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  try {
    await importSamples(kv, etlSampleNames());
    const discord = recordingDiscord();
    const app = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex), { discord }), [core, etSet]);
    const call = async (body: unknown) => {
      const res = await signer.post(app, body, { timestamp: NOW_S });
      assert.equal(res.status, 200, await res.clone().text());
      return await res.json();
    };

    await t.step("stats by name; without a player, the link; /et link stores it", async () => {
      const r = await call(commandBody("et", sub("stats", [{ name: "player", value: "2B5938F5" }])));
      assert.deepEqual(r.data.allowed_mentions, { parse: [] });
      assert.match(r.data.embeds[0].title, /bronze\./);
      const who = { userId: "200000000000000042" };
      const none = await call(commandBody("et", sub("stats"), who));
      assert.equal(none.data.flags, 64);
      assert.match(none.data.content, /link yourself first with \/et link/);
      const link = await call(commandBody("et", sub("link", [{ name: "player", value: "2B5938F5" }]), who));
      assert.match(link.data.content, /Linked you to \*\*bronze\.\*\*/);
      const mine = await call(commandBody("et", sub("stats"), who));
      assert.match(mine.data.embeds[0].title, /bronze/);
    });

    await t.step("top, session, compare answer at once; last_session and maps are deferred", async () => {
      const top = await call(commandBody("et", sub("top", [{ name: "metric", value: "kills" }])));
      assert.match(top.data.embeds[0].title, /Kills/);
      const s = await call(commandBody("et", sub("session", [{ name: "date", value: "2025-10-19" }])));
      assert.match(s.data.embeds[0].description, /24 rounds/);
      const bad = await call(commandBody("et", sub("session", [{ name: "date", value: "2025-10-18" }])));
      assert.match(bad.data.content, /No session started on 2025-10-18/);
      const cmp = await call(
        commandBody(
          "et",
          sub("compare", [{ name: "p1", value: "2B5938F5" }, { name: "p2", value: "C74FB315" }]),
        ),
      );
      assert.match(cmp.data.embeds[0].description, /K\/D/);
      const last = await call(commandBody("et", sub("last_session")));
      assert.equal(last.type, 5);
      // The deferred answer is PATCHed onto @original once its work is done.
      for (let i = 0; i < 200 && discord.edits.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      const edit = discord.edits[0]!.body as { embeds: { title: string }[] };
      assert.match(edit.embeds[0]!.title, /Session 2025-10-26/);
    });

    await t.step("autocomplete: players and metrics", async () => {
      const p = await call(
        autocompleteBody("et", sub("stats", [{ name: "player", value: "bro", focused: true }])),
      );
      assert.equal(p.type, 8);
      assert.ok(p.data.choices.some((c: { value: string }) => c.value === "2B5938F5"));
      const m = await call(
        autocompleteBody("et", sub("top", [{ name: "metric", value: "acc", focused: true }])),
      );
      assert.deepEqual(m.data.choices.map((c: { value: string }) => c.value), ["accuracy"]);
    });
  } finally {
    kv.close();
  }
});

Deno.test("the et set is on when an ET:Legacy server or channel is configured", async () => {
  const signer = await makeSigner();
  const off = discordConfig(signer.publicKeyHex);
  assert.equal(etSet.enabled(off), false);
  const on = discordConfig(signer.publicKeyHex, {
    discord: { ...off.discord, channels: { etl: "123456789012345678" } },
  });
  assert.equal(etSet.enabled(on), true);
});
