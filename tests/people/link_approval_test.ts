import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { core } from "@/discord/core/commands.ts";
import { createDiscordApi } from "@/discord/rest.ts";
import { startDelivery } from "@/discord/delivery.ts";
import { getLink, setLink } from "@/kv/links.ts";
import { rosterKey } from "@/kv/numbers/keys.ts";
import { listPeopleAudit } from "@/kv/people/merge.ts";
import { peopleAuditKey } from "@/kv/people/keys.ts";
import { boardIdOf } from "@/kv/people/people.ts";
import { accFile, type AccFixtureCar } from "@/tests/_acc_file.ts";
import { autocompleteBody, commandBody, componentBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { startFakeDiscord } from "@/tests/fakes/discord.ts";
import { discordConfig, interactionsApp, NOW, testDeps } from "@/tests/discord/_app.ts";
import { waitFor } from "@/tests/discord/_delivery_env.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);
const STR = 3, USER = 6, SUB = 1;
const ADMIN_CHANNEL = "400000000000000077";
const GUILD = "300000000000000001";
const ANN = { userId: "200000000000000011" };
const BEN = { userId: "200000000000000012" };
const ADMIN = { userId: "200000000000000099", permissions: "8" };

const opt = (name: string, value: unknown, type = STR) => ({ name, type, value });
const sub = (name: string, options: unknown[] = []) => [{ name, type: SUB, options }] as never;

async function setup() {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  const discord = await startFakeDiscord();
  const imp = new Importer(kv, { announce: false, now: () => NOW });
  const files: [string, AccFixtureCar[]][] = [
    ["260101_200000_Q.json", [{ playerId: "S1", first: "Ann", last: "Fast", laps: [100_100] }]],
    ["260102_200000_Q.json", [{ playerId: "S2", first: "Ben", last: "<@1> Slow", laps: [101_100] }]],
    ["260103_200000_Q.json", [{ playerId: "", first: "Ann", last: "Fast", laps: [99_900] }]],
  ];
  for (const [name, cars] of files) {
    const r = await imp.importOne({ name, bytes: accFile({ track: "monza", cars }) });
    assert.equal(r.status, "imported", r.reason);
  }
  const config = discordConfig(signer.publicKeyHex, {
    discord: { channels: { admin: ADMIN_CHANNEL }, linkApproval: true, credentials: null },
  });
  const api = createDiscordApi({
    token: discord.token,
    applicationId: discord.applicationId,
    apiBase: discord.apiBase,
  });
  const deps = testDeps(kv, config, { discord: api });
  const delivery = startDelivery(deps, { pollMs: 50 });
  deps.delivery = delivery;
  const app = interactionsApp(deps, [core]);
  const call = async (body: unknown) => (await signer.post(app, body, { timestamp: NOW_S })).json();
  return {
    kv,
    discord,
    call,
    async [Symbol.asyncDispose]() {
      await delivery.close();
      await discord.close();
      kv.close();
    },
  };
}

Deno.test("link approval: a link to an identity with records waits for an admin's Approve, through signed interactions", async (t) => {
  await using s = await setup();
  let requestId = "";
  await t.step(
    "/link to a driver holding a PB is a request, posted to the admin channel with buttons",
    async () => {
      const res = await s.call(commandBody("link", [opt("game", "acc"), opt("player", "S1")], ANN));
      assert.equal(res.data.flags, 64);
      assert.match(
        res.data.content,
        /\*\*Ann Fast\*\* \(`S1`\) holds 1 PB: a league admin approves the link first/,
      );
      assert.equal(await getLink(s.kv, ANN.userId, "acc"), null);
      await waitFor(() => s.discord.channelMessages(ADMIN_CHANNEL).length === 1, 5000, "the admin post");
      const post = s.discord.channelMessages(ADMIN_CHANNEL)[0]!.body as {
        content: string;
        allowed_mentions: unknown;
        components: { components: { custom_id: string; label: string }[] }[];
      };
      assert.deepEqual(post.allowed_mentions, { parse: [] });
      assert.match(
        post.content,
        new RegExp(`<@${ANN.userId}> asks to link ACC \\*\\*Ann Fast\\*\\* \\(S1\\), which holds 1 PB`),
      );
      const buttons = post.components[0]!.components;
      assert.deepEqual(buttons.map((b) => b.label), ["Approve", "Reject"]);
      requestId = buttons[0]!.custom_id.replace(/^link_ok:/, "");
      assert.equal(buttons[1]!.custom_id, `link_no:${requestId}`);
    },
  );
  await t.step("a member who is no admin cannot approve", async () => {
    const res = await s.call(componentBody(`link_ok:${requestId}`, BEN));
    assert.equal(res.type, 4);
    assert.match(res.data.content, /Only league admins/);
    assert.equal(await getLink(s.kv, ANN.userId, "acc"), null);
  });
  await t.step("an admin's Approve links, replaces the post, and is in the audit log", async () => {
    const res = await s.call(componentBody(`link_ok:${requestId}`, ADMIN));
    assert.equal(res.type, 7);
    assert.match(res.data.content, new RegExp(`✅ Approved by <@${ADMIN.userId}>: <@${ANN.userId}> as ACC`));
    assert.deepEqual(res.data.components, []);
    assert.equal((await getLink(s.kv, ANN.userId, "acc"))?.verified, true);
    assert.match((await listPeopleAudit(s.kv))[0]!.summary, /approved/);
    const again = await s.call(componentBody(`link_ok:${requestId}`, ADMIN));
    assert.match(again.data.content, /already decided/);
  });
  await t.step(
    "squatting: another member cannot take the linked identity, not even through a request",
    async () => {
      const res = await s.call(commandBody("link", [opt("game", "acc"), opt("player", "S1")], BEN));
      assert.match(res.data.content, /linked to another member: ask a league admin/);
      assert.equal(s.discord.channelMessages(ADMIN_CHANNEL).length, 1);
    },
  );
  await t.step("Reject leaves the member unlinked; the name is escaped in the post", async () => {
    await s.call(commandBody("link", [opt("game", "acc"), opt("player", "S2")], BEN));
    await waitFor(() => s.discord.channelMessages(ADMIN_CHANNEL).length === 2, 5000, "the second post");
    const post = s.discord.channelMessages(ADMIN_CHANNEL)[1]!.body as { content: string; components: never };
    assert.ok(!post.content.includes("<@1>"), "a name in a game file mentions nobody");
    const id = (post.components as { components: { custom_id: string }[] }[])[0]!.components[1]!.custom_id;
    const res = await s.call(componentBody(id, ADMIN));
    assert.match(res.data.content, /❌ Rejected/);
    assert.equal(await getLink(s.kv, BEN.userId, "acc"), null);
  });
});

Deno.test("/admin link, unlink and merge: admins fix links and people; members cannot", async (t) => {
  await using s = await setup();
  await setLink(s.kv, BEN.userId, "acc", "S1");
  await t.step("members get one sentence", async () => {
    const res = await s.call(
      commandBody("admin", sub("unlink", [opt("member", BEN.userId, USER), opt("game", "acc")]), ANN),
    );
    assert.match(res.data.content, /Only league admins can use \/admin/);
    assert.equal((await getLink(s.kv, BEN.userId, "acc"))?.playerId, "S1");
  });
  await t.step("an admin moves a squatted identity to its owner", async () => {
    let res = await s.call(
      commandBody(
        "admin",
        sub("link", [opt("member", ANN.userId, USER), opt("game", "acc"), opt("player", "S1")]),
        ADMIN,
      ),
    );
    assert.match(res.data.content, /Another member holds that ACC identity: \/admin unlink them first/);
    res = await s.call(
      commandBody("admin", sub("unlink", [opt("member", BEN.userId, USER), opt("game", "acc")]), ADMIN),
    );
    assert.match(res.data.content, /Unlinked <@200000000000000012> from ACC S1/);
    res = await s.call(
      commandBody(
        "admin",
        sub("link", [opt("member", ANN.userId, USER), opt("game", "acc"), opt("player", "S1")]),
        ADMIN,
      ),
    );
    assert.match(res.data.content, /Linked <@200000000000000011> to ACC \*\*Ann Fast\*\* \(S1\)/);
    assert.deepEqual((await listPeopleAudit(s.kv)).map((e) => e.action), ["link", "unlink"]);
  });
  await t.step(
    "/admin log shows the members as mentions, old entries too, and the config file as such",
    async () => {
      // An entry written before the member had a field of its own: `<@id>` inside the summary.
      await s.kv.set(peopleAuditKey("0000-old"), {
        id: "0000-old",
        at: "2025-12-01T10:00:00.000Z",
        by: ADMIN.userId,
        action: "link",
        summary: `<@${BEN.userId}> as acc "S_*x*"`,
        before: [],
        after: [],
      });
      await s.kv.set(peopleAuditKey("0000-alias"), {
        id: "0000-alias",
        at: "2025-12-01T09:00:00.000Z",
        by: "config",
        action: "alias",
        summary: "Ann: S1, S2",
        before: [],
        after: [],
      });
      const res = await s.call(commandBody("admin", sub("log"), ADMIN));
      const log: string = res.data.content;
      assert.deepEqual(res.data.allowed_mentions, { parse: [] });
      assert.match(log, new RegExp(`<@${ADMIN.userId}> link: <@${ANN.userId}> as acc "S1"`));
      assert.match(log, new RegExp(`<@${ADMIN.userId}> unlink: <@${BEN.userId}> from acc "S1"`));
      assert.match(
        log,
        new RegExp(`<@${ADMIN.userId}> link: <@${BEN.userId}> as acc "S\\\\_\\\\\\*x\\\\\\*"`),
      );
      assert.match(log, /config file alias: Ann: S1, S2/);
      assert.ok(!log.includes("\\<@") && !log.includes("<@0>"), log);
    },
  );
  await t.step(
    "/admin merge makes S1 and the name-only id one person; /pb-style reads follow the link",
    async () => {
      const ac = await s.call(
        autocompleteBody("admin", sub("merge", [{ ...opt("identity", "ann"), focused: true }]), ADMIN),
      );
      const values = ac.data.choices.map((c: { value: string }) => c.value).sort();
      assert.deepEqual(values, ["S1", "acc:ann-fast"]);
      const res = await s.call(
        commandBody(
          "admin",
          sub("merge", [opt("identity", "S1"), opt("with", "acc:ann-fast"), opt("name", "Ann")]),
          ADMIN,
        ),
      );
      assert.match(
        res.data.content,
        /Merged: \*\*Ann\*\* \(p-[0-9a-f]{8}\) is S1, acc:ann-fast\. Boards rewritten on 1 track/,
      );
      assert.match(await boardIdOf(s.kv, "S1"), /^p-/);
      const undo = await s.call(commandBody("admin", sub("undo"), ADMIN));
      assert.match(undo.data.content, /Undone: merge/);
      assert.equal(await boardIdOf(s.kv, "S1"), "S1");
    },
  );
});

Deno.test("/link checks the identity exists in every game: ET:Legacy GUIDs, iRacing ids on the roster", async () => {
  await using s = await setup();
  let res = await s.call(commandBody("link", [opt("game", "etl"), opt("player", "anything at all")], ANN));
  assert.match(res.data.content, /No ET:Legacy player has the GUID or name "anything at all"/);
  await s.kv.set(rosterKey(GUILD), {
    leagueId: 42,
    leagueName: "League",
    at: NOW.toISOString(),
    members: [{ custId: 123456, name: "Ann Fast", number: null }, { custId: 222, name: "Ben", number: "7" }],
  });
  res = await s.call(commandBody("link", [opt("game", "iracing"), opt("player", "999")], ANN));
  assert.match(res.data.content, /Customer id 999 is not on the roster of iRacing league 42/);
  res = await s.call(commandBody("link", [opt("game", "iracing"), opt("player", "abc")], ANN));
  assert.match(res.data.content, /"abc" is no iRacing customer id/);
  res = await s.call(commandBody("link", [opt("game", "iracing"), opt("player", "123456")], ANN));
  assert.match(res.data.content, /Linked: you are \*\*Ann Fast\*\* \(`123456`\) in iRacing/);
  res = await s.call(commandBody("link", [opt("game", "iracing"), opt("player", "222")], BEN));
  assert.match(
    res.data.content,
    /holds car #7 on the iRacing roster: a league admin approves the link first/,
  );
  const ac = await s.call(
    autocompleteBody("link", [opt("game", "iracing"), { ...opt("player", "ann"), focused: true }], ANN),
  );
  assert.deepEqual(ac.data.choices, [{ name: "Ann Fast (123456)", value: "123456" }]);
});
