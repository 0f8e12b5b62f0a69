import assert from "node:assert/strict";
import { testApp } from "@/tests/_app.ts";
import { claimNumber } from "@/kv/numbers/claims.ts";
import { saveSettings } from "@/kv/numbers/settings.ts";
import { claimKey } from "@/kv/numbers/keys.ts";
import { changesKey } from "@/kv/keys.ts";

const GUILD = "100000000000000001";
const now = new Date("2026-01-05T12:00:00Z");

Deno.test("site /numbers/:guild: the public roster, escaped, without Discord ids, fresh after every claim", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const app = testApp(kv);
    // An imported store: the rest of the site answers from its import-versioned cache.
    await kv.set(changesKey(), { lastImportAt: now.toISOString() });
    await saveSettings(kv, GUILD, { leagueId: 7058, maxPerMember: 2 }, "300000000000000003", now);
    await claimNumber(kv, {
      guildId: GUILD,
      userId: "400000000000000001",
      number: "07",
      displayName: "<script>x</script>",
    }, now);
    const c = (await kv.get<Record<string, unknown>>(claimKey(GUILD, "07"))).value!;
    await kv.set(claimKey(GUILD, "07"), { ...c, verified: true, driverName: "Ann <b>Driver</b>" });

    let res = await app.request(`/numbers/${GUILD}`);
    assert.equal(res.status, 200);
    let html = await res.text();
    assert.match(html, /#07<\/th>\s*<td>Ann &lt;b&gt;Driver&lt;\/b&gt;<\/td>\s*<td>Verified<\/td>/);
    assert.ok(!html.includes("400000000000000001"), "no Discord ids");
    assert.ok(!html.includes("<script>x"));
    const etag = res.headers.get("etag");

    await claimNumber(
      kv,
      { guildId: GUILD, userId: "400000000000000002", number: "7", displayName: "Seven" },
      now,
    );
    res = await app.request(`/numbers/${GUILD}`, { headers: etag ? { "if-none-match": etag } : {} });
    assert.equal(res.status, 200);
    html = await res.text();
    assert.match(html, /#7<\/th>\s*<td>Seven<\/td>\s*<td>Not yet<\/td>/);

    res = await app.request("/numbers");
    assert.match(await res.text(), /<a href="\/numbers\/100000000000000001">iRacing league 7058<\/a>/);
    assert.equal((await app.request("/numbers/100000000000000009")).status, 404);
    assert.equal((await app.request("/numbers/abc")).status, 404);
  } finally {
    kv.close();
  }
});
