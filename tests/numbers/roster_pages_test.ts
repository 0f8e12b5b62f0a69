/**
 * `/roster` in pages (discord/pages.ts), through signed interactions: 300 claims and 60 numbers
 * carried only on a generated iRacing roster (and one on two cars) make 10 pages of 40; every number shows exactly once
 * over the pages, "page N of M" agrees with the data, and forged buttons are clamped or refused.
 */
import assert from "node:assert/strict";
import { numbers } from "@/discord/numbers/commands.ts";
import { numbersApi } from "@/fixtures/gen_numbers.ts";
import { claimNumber } from "@/kv/numbers/claims.ts";
import { linkedCustId, verifyIracingLink } from "@/kv/numbers/links.ts";
import { saveSettings } from "@/kv/numbers/settings.ts";
import { syncGuild } from "@/kv/numbers/sync.ts";
import { commandBody, componentBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, testDeps } from "@/tests/discord/_app.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);
const GUILD = "300000000000000001";
const user = (i: number) => String(800_000_000_000_000_000n + BigInt(i));

async function setup(claims: number, rosterOnly: number) {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  await saveSettings(kv, GUILD, { leagueId: 4403, maxPerMember: 1 }, "test", NOW);
  for (let i = 0; i < claims; i++) {
    const out = await claimNumber(kv, { guildId: GUILD, userId: user(i), number: String(i + 1) }, NOW);
    assert.equal(out.ok, true);
  }
  // The iRacing roster: numbers 501.. on cars nobody claimed in Discord, and two drivers on #600.
  const roster = Array.from({ length: rosterOnly }, (_, i) => ({
    custId: 300_000 + i,
    displayName: i === 0 ? "**Bold** <@123>" : `Driver ${i}`,
    carNumber: String(501 + i),
    nickName: null,
  }));
  if (rosterOnly > 0) {
    roster.push({ custId: 399_000, displayName: "Twin One", carNumber: "600", nickName: null });
    roster.push({ custId: 399_001, displayName: "Twin Two", carNumber: "600", nickName: null });
  }
  await syncGuild(
    {
      kv,
      iracing: numbersApi({ leagueId: 4403, name: "Generated League", roster }),
      linkOf: (u) => linkedCustId(kv, u),
      verifyLink: (u, c, n, at) => verifyIracingLink(kv, u, c, n, at),
    },
    GUILD,
    NOW,
  );
  const app = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex)), [numbers]);
  const call = async (body: unknown) => {
    const res = await signer.post(app, body, { timestamp: NOW_S });
    assert.equal(res.status, 200, await res.clone().text());
    return await res.json();
  };
  return { kv, call, [Symbol.dispose]: () => kv.close() };
}

type Button = { custom_id: string; disabled: boolean; label: string };

Deno.test("/roster: 361 numbers in 10 pages of 40, each number once, iRacing-only numbers shown", async () => {
  using s = await setup(300, 60);
  const first = await s.call(commandBody("roster", []));
  assert.equal(first.type, 4);
  assert.deepEqual(first.data.allowed_mentions, { parse: [] });
  const e = first.data.embeds[0];
  assert.equal(e.title, "Car numbers: Generated League");
  assert.match(
    e.footer.text,
    /^300 claimed, 0 verified in iRacing, 61 only on the iRacing roster .* · page 1 of 10$/,
  );
  const seen: string[] = [];
  let res = first;
  for (let page = 1; page <= 10; page++) {
    const [prev, label, next] = res.data.components[0].components as [Button, Button, Button];
    assert.equal(label.label, `${page} / 10`);
    assert.equal(prev.disabled, page === 1);
    assert.equal(next.disabled, page === 10);
    assert.match(res.data.embeds[0].footer.text, new RegExp(`page ${page} of 10$`));
    const lines = res.data.embeds[0].description.split("\n");
    assert.equal(lines.length, page === 10 ? 1 : 40);
    assert.doesNotMatch(res.data.embeds[0].description, /and \d+ more/);
    for (const l of lines) seen.push(/\*\*#(\d+)\*\*/.exec(l)![1]!);
    if (page < 10) {
      assert.equal(next.custom_id, `ros:${page}`);
      res = await s.call(componentBody(next.custom_id));
      assert.equal(res.type, 7);
    }
  }
  const want = [
    ...Array.from({ length: 300 }, (_, i) => String(i + 1)),
    ...Array.from({ length: 60 }, (_, i) => String(501 + i)),
    "600",
  ];
  assert.deepEqual(seen, want);
  // The numbers only iRacing carries: the driver and customer id, escaped; both carriers of #600.
  const p8 = await s.call(componentBody("ros:7"));
  const d = p8.data.embeds[0].description;
  assert.match(
    d,
    /🏁 \*\*#501\*\* \\\*\\\*Bold\\\*\\\* \\<@123\\> \(300000\): on the iRacing roster, not claimed here/,
  );
  const last = await s.call(componentBody("ros:9"));
  assert.match(last.data.embeds[0].description, /\*\*#600\*\* Twin One \(399000\), Twin Two \(399001\)/);
});

Deno.test("/roster: forged page buttons are clamped to the pages that exist, or refused", async () => {
  using s = await setup(45, 0);
  for (const [forged, page] of [["ros:99", 2], ["ros:999", 2], ["ros:-5", 1], ["ros:0", 1]] as const) {
    const res = await s.call(componentBody(forged));
    assert.equal(res.type, 7, forged);
    assert.match(res.data.embeds[0].footer.text, new RegExp(`page ${page} of 2$`), forged);
    assert.equal(res.data.embeds[0].description.split("\n").length, page === 2 ? 5 : 40, forged);
  }
  for (const bad of ["ros:abc", "ros:1|2", "ros:12345"]) {
    const res = await s.call(componentBody(bad));
    assert.equal(res.data.flags, 64, bad);
    assert.match(res.data.content, /older version; run \/roster again/);
  }
  // One page: no buttons, no page label.
  using small = await setup(3, 2);
  const one = await small.call(commandBody("roster", []));
  assert.deepEqual(one.data.components ?? [], []);
  assert.equal(one.data.embeds[0].footer.text.includes("page"), false);
  assert.match(
    one.data.embeds[0].footer.text,
    /3 claimed, 0 verified in iRacing, 3 only on the iRacing roster/,
  );
});
