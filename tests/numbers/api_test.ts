import assert from "node:assert/strict";
import { testApp } from "@/tests/_app.ts";
import { claimNumber } from "@/kv/numbers/claims.ts";
import { saveSettings } from "@/kv/numbers/settings.ts";
import { claimKey } from "@/kv/numbers/keys.ts";

const GUILD = "100000000000000001";
const now = new Date("2026-01-05T12:00:00Z");

Deno.test("GET /api/numbers/:guild lists numbers without Discord ids, in value order, and as CSV", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const app = testApp(kv);
    assert.equal((await app.request(`/api/numbers/${GUILD}`)).status, 404);
    assert.equal((await app.request("/api/numbers/abc")).status, 400);
    await saveSettings(kv, GUILD, { leagueId: 7058, maxPerMember: 3 }, "300000000000000003", now);
    await claimNumber(
      kv,
      { guildId: GUILD, userId: "400000000000000001", number: "7", displayName: "Seven" },
      now,
    );
    await claimNumber(kv, {
      guildId: GUILD,
      userId: "400000000000000002",
      number: "07",
      displayName: "=cmd()",
    }, now);
    await claimNumber(kv, {
      guildId: GUILD,
      userId: "400000000000000003",
      number: "42",
      displayName: "Answer",
    }, now);
    const verified = (await kv.get<Record<string, unknown>>(claimKey(GUILD, "42"))).value!;
    await kv.set(claimKey(GUILD, "42"), {
      ...verified,
      verified: true,
      driverName: "Ann Driver",
      custId: 11,
    });

    const res = await app.request(`/api/numbers/${GUILD}`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body.numbers, [
      { number: "07", driver: "=cmd()", verified: false, claimedAt: now.toISOString() },
      { number: "7", driver: "Seven", verified: false, claimedAt: now.toISOString() },
      { number: "42", driver: "Ann Driver", verified: true, claimedAt: now.toISOString() },
    ]);
    assert.deepEqual(body.league, { id: 7058, name: null });
    assert.ok(!JSON.stringify(body).includes("40000000000000000"), "no Discord ids");

    const csv = await app.request(`/api/numbers/${GUILD}?format=csv`);
    assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.equal(
      await csv.text(),
      'number,driver,verified,claimed_at\n"07",\'=cmd(),no,2026-01-05T12:00:00.000Z\n"7",Seven,no,2026-01-05T12:00:00.000Z\n"42",Ann Driver,yes,2026-01-05T12:00:00.000Z\n',
    );
    assert.equal((await app.request(`/api/numbers/${GUILD}?format=xml`)).status, 400);
  } finally {
    kv.close();
  }
});
