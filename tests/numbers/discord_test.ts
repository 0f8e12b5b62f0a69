import assert from "node:assert/strict";
import { numbers } from "@/discord/numbers/commands.ts";
import { renderNumbersAnnouncement } from "@/discord/numbers/announce.ts";
import { settled } from "@/discord/dispatch.ts";
import { getLink, setLink } from "@/kv/links.ts";
import { outboxPrefix } from "@/kv/keys.ts";
import type { NumbersAnnouncement } from "@/kv/numbers/announcements.ts";
import { createIracingClient } from "@/lib/iracing.ts";
import { kvTokenStore } from "@/kv/numbers/tokens.ts";
import { autocompleteBody, commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { startFakeIracing } from "@/tests/fakes/iracing.ts";
import { discordConfig, interactionsApp, NOW, recordingDiscord, testDeps } from "@/tests/discord/_app.ts";
import { iracingTest } from "@/tests/numbers/_iracing_sources.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);
const STR = 3, INT = 4, USER = 6, CHANNEL = 7, ROLE = 8;
const GUILD = "300000000000000001";
const ADMIN = { userId: "200000000000000099", permissions: "32" };
const ROLE_ID = "700000000000000001";
const ann = { name: "channel", type: CHANNEL, value: "400000000000000002" };
const m = (i: number) => ({ userId: `20000000000000000${i}` });

async function setup(extra: Parameters<typeof testDeps>[2] = {}) {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  let kicks = 0;
  const discord = recordingDiscord();
  const deps = testDeps(kv, discordConfig(signer.publicKeyHex), {
    discord,
    delivery: { kick: () => void kicks++ },
    ...extra,
  });
  const app = interactionsApp(deps, [numbers]);
  const call = async (body: unknown) => {
    const res = await signer.post(app, body, { timestamp: NOW_S });
    return res.headers.get("content-type")?.startsWith("multipart/") ? res : await res.json();
  };
  return { kv, call, discord, kicks: () => kicks, [Symbol.dispose]: () => kv.close() };
}

async function outbox(kv: Deno.Kv): Promise<NumbersAnnouncement[]> {
  return await Array.fromAsync(
    kv.list<{ announcement: NumbersAnnouncement }>({ prefix: outboxPrefix() }),
    (e) => e.value.announcement,
  );
}

Deno.test("/setup needs Administrator or Manage Guild; members are refused server-side", async () => {
  using s = await setup();
  let res = await s.call(commandBody("setup", [{ name: "league_id", type: INT, value: 7058 }], m(1)));
  assert.equal(res.data.flags, 64);
  assert.doesNotMatch(res.data.content ?? "", /Saved/);
  res = await s.call(commandBody("setup", [{ name: "league_id", type: INT, value: 7058 }, ann, {
    name: "max_per_member",
    type: INT,
    value: 2,
  }, { name: "admin_role", type: ROLE, value: ROLE_ID }], ADMIN));
  assert.equal(res.data.content, "Saved");
  assert.equal(res.data.embeds[0].fields[0].value, "7058");
  res = await s.call(
    commandBody(
      "setup",
      [{ name: "min", type: INT, value: 50 }, { name: "max", type: INT, value: 10 }],
      ADMIN,
    ),
  );
  assert.match(res.data.content, /Invalid range 50-10/);
  // The numbers admin role from /setup opens /config and /auditlog, not /setup itself.
  res = await s.call(commandBody("config", [], { userId: "200000000000000005", roles: [ROLE_ID] }));
  assert.equal(res.data.embeds[0].title, "Car number settings");
  res = await s.call(commandBody("config", [], m(1)));
  assert.match(res.data.content, /Only server admins or the numbers admin role/);
  res = await s.call(commandBody("auditlog", [], { userId: "200000000000000005", roles: [ROLE_ID] }));
  assert.match(res.data.embeds[0].description, /\*\*setup\*\*: leagueId=7058/);
});

Deno.test("/claim, /mynumbers, /release, /roster, /check, /available: member flows with announcements", async () => {
  using s = await setup();
  await s.call(commandBody("setup", [ann, { name: "max_per_member", type: INT, value: 2 }], ADMIN));
  let res = await s.call(commandBody("claim", [{ name: "number", type: STR, value: "07" }], m(1)));
  assert.match(res.data.content, /\*\*#07\*\* is yours/);
  assert.equal(res.data.flags, 64);
  assert.deepEqual(res.data.allowed_mentions, { parse: [] });
  res = await s.call(commandBody("claim", [{ name: "number", type: STR, value: "07" }], m(2)));
  assert.match(res.data.content, /\*\*#07\*\* is taken by <@200000000000000001>/);
  res = await s.call(commandBody("claim", [{ name: "number", type: STR, value: "7" }], m(2)));
  assert.match(res.data.content, /\*\*#7\*\* is yours/);
  await s.call(commandBody("claim", [{ name: "number", type: STR, value: "12" }], m(1)));
  res = await s.call(commandBody("claim", [{ name: "number", type: STR, value: "13" }], m(1)));
  assert.match(res.data.content, /You hold #07, #12 and this server allows 2 per member/);
  res = await s.call(commandBody("claim", [{ name: "number", type: STR, value: "1000" }], m(3)));
  assert.match(res.data.content, /outside this server's range 0-999/);

  res = await s.call(commandBody("mynumbers", [], m(1)));
  assert.match(res.data.content, /\*\*#07\*\* not verified in iRacing yet/);
  res = await s.call(
    autocompleteBody("release", [{ name: "number", type: STR, value: "1", focused: true }], m(1)),
  );
  assert.deepEqual(res.data.choices, [{ name: "#12", value: "12" }]);
  res = await s.call(commandBody("release", [{ name: "number", type: STR, value: "7" }], m(1)));
  assert.match(res.data.content, /not yours: it is held by <@200000000000000002>/);
  res = await s.call(commandBody("release", [{ name: "number", type: STR, value: "12" }], m(1)));
  assert.match(res.data.content, /Released \*\*#12\*\*/);

  res = await s.call(commandBody("roster", [], m(3)));
  assert.match(
    res.data.embeds[0].description,
    /⏳ \*\*#07\*\* <@200000000000000001>\n⏳ \*\*#7\*\* <@200000000000000002>/,
  );
  res = await s.call(commandBody("check", [{ name: "number", type: STR, value: "07" }], m(3)));
  assert.match(res.data.content, /\*\*#07\*\* is claimed by <@200000000000000001>/);
  res = await s.call(
    commandBody(
      "available",
      [{ name: "from", type: INT, value: 0 }, { name: "to", type: INT, value: 10 }],
      m(3),
    ),
  );
  assert.equal(res.data.embeds[0].description, "0-6, 8-10");

  const anns = await outbox(s.kv);
  assert.deepEqual(anns.map((a) => [a.type, "number" in a ? a.number : null]), [
    ["numbers_claimed", "07"],
    ["numbers_claimed", "7"],
    ["numbers_claimed", "12"],
    ["numbers_released", "12"],
  ]);
  assert.equal(s.kicks(), 4);
  assert.match(
    renderNumbersAnnouncement(anns[0]!).content ?? "",
    /<@200000000000000001> \(member\) claimed \*\*#07\*\*/,
  );
});

Deno.test("/forcerelease and /auditlog [member]: admins only, audited with the target", async () => {
  using s = await setup();
  await s.call(commandBody("claim", [{ name: "number", type: STR, value: "42" }], m(1)));
  let res = await s.call(commandBody("forcerelease", [{ name: "number", type: STR, value: "42" }], m(2)));
  assert.match(res.data.content, /Only server admins/);
  res = await s.call(commandBody("forcerelease", [{ name: "number", type: STR, value: "42" }, {
    name: "reason",
    type: STR,
    value: "left the league",
  }], ADMIN));
  assert.match(res.data.content, /Released \*\*#42\*\* from <@200000000000000001>/);
  res = await s.call(
    commandBody("auditlog", [{ name: "member", type: USER, value: "200000000000000001" }], ADMIN),
  );
  const d = res.data.embeds[0].description as string;
  assert.match(
    d,
    /<@200000000000000099> \*\*force release\*\* \(member <@200000000000000001>\): force released 42: left the league/,
  );
  assert.match(d, /<@200000000000000001> \*\*claim\*\*: claimed 42/);
});

Deno.test("/export attaches the list as CSV", async () => {
  using s = await setup();
  await s.call(commandBody("claim", [{ name: "number", type: STR, value: "07" }], m(1)));
  const res = await s.call(commandBody("export", [], m(2))) as Response;
  const form = await res.formData();
  const payload = JSON.parse(String(form.get("payload_json")));
  assert.equal(payload.data.content, "1 number(s)");
  const file = form.get("files[0]") as File;
  assert.equal(file.name, `numbers-${GUILD}.csv`);
  assert.equal(await file.text(), `number,driver,verified,claimed_at\n"07",member,no,${NOW.toISOString()}\n`);
});

iracingTest("/sync against the fake iRacing, with /link iracing, then /syncstatus", async (src) => {
  const fake = startFakeIracing({ now: () => NOW.getTime(), answers: src.answers() });
  const kv0 = await Deno.openKv(":memory:");
  try {
    fake.setRoster(src.main.id, [
      { cust_id: 11, display_name: "Ann *Driver*", car_number: "07" },
      { cust_id: 12, display_name: "Ben Driver", car_number: "9" },
    ]);
    const iracing = createIracingClient(kvTokenStore(kv0), {
      ...fake.credentials,
      oauthBase: fake.oauthBase,
      dataBase: fake.dataBase,
    }, {
      now: () => NOW,
    });
    using s = await setup({ iracing });
    await s.call(commandBody("setup", [{ name: "league_id", type: INT, value: src.main.id }, ann, {
      name: "admin_channel",
      type: CHANNEL,
      value: "400000000000000003",
    }], ADMIN));
    await setLink(s.kv, m(1).userId, "iracing", "11", undefined, { now: NOW });
    await setLink(s.kv, m(2).userId, "iracing", "12", undefined, { now: NOW });
    await s.call(commandBody("claim", [{ name: "number", type: STR, value: "07" }], m(1)));
    await s.call(commandBody("claim", [{ name: "number", type: STR, value: "8" }], m(2)));
    let res = await s.call(commandBody("sync", [], m(1)));
    assert.match(res.data.content, /Only server admins/);
    res = await s.call(commandBody("sync", [], ADMIN));
    await settled();
    // Deferred (type 5), then the result PATCHed onto @original.
    assert.equal(res.type, 5);
    const edit = s.discord.edits.at(-1)!.body as { embeds: { description: string }[] };
    assert.ok(
      edit.embeds[0]!.description.includes(`2 drivers in ${src.main.name}, 1 of 2 claims verified`),
      edit.embeds[0]!.description,
    );
    assert.match(
      edit.embeds[0]!.description,
      /\*\*#8\*\* claimed by <@200000000000000002>, but iRacing has Ben Driver on \*\*#9\*\*/,
    );
    res = await s.call(commandBody("syncstatus", [], m(1)));
    assert.match(res.data.embeds[0].description, /1 conflict\(s\)/);
    res = await s.call(commandBody("roster", [], m(3)));
    assert.match(
      res.data.embeds[0].description,
      /✅ \*\*#07\*\* <@200000000000000001> \(Ann \\\*Driver\\\*\)/,
    );
    // Ann's link is verified now (the roster shows cust 11); Ben's too (12 is on the roster).
    assert.equal((await getLink(s.kv, m(1).userId, "iracing"))?.verified, true);
    assert.equal((await getLink(s.kv, m(1).userId, "iracing"))?.displayName, "Ann *Driver*");
    const conflicts = (await outbox(s.kv)).filter((a) => a.type === "numbers_conflicts");
    assert.equal(conflicts.length, 1);
    assert.equal(conflicts[0]!.channelId, "400000000000000003");
  } finally {
    await fake.close();
    kv0.close();
  }
});

Deno.test("numbers commands refuse DMs, and the set is on with IRACING_* or PODIUM_NUMBERS=on", async () => {
  using s = await setup();
  const res = await s.call(commandBody("mynumbers", [], { userId: "200000000000000001", guildId: null }));
  assert.match(res.data.content, /Car numbers belong to a server/);
  const config = discordConfig("00".repeat(32));
  assert.equal(numbers.enabled({ ...config, iracing: null }), false);
  assert.equal(numbers.enabled({ ...config, numbersEnabled: true }), true);
});
