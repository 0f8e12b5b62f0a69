import assert from "node:assert/strict";
import { claimNumber, getClaim, listClaims, memberNumbers, releaseNumber } from "@/kv/numbers/claims.ts";
import { getSettings, saveSettings } from "@/kv/numbers/settings.ts";
import { listAudit } from "@/kv/numbers/audit.ts";
import { holdingKey, holdingPrefix, rosterKey } from "@/kv/numbers/keys.ts";
import { outboxPrefix } from "@/kv/keys.ts";

const GUILD = "100000000000000001";
const CHANNEL = "200000000000000002";
const ADMIN = "300000000000000003";
const now = new Date("2026-01-05T12:00:00Z");
const user = (i: number) => `4000000000000000${String(i).padStart(2, "0")}`;

async function outbox(kv: Deno.Kv) {
  return await Array.fromAsync(
    kv.list<{ announcement: { type: string; number: string } }>({ prefix: outboxPrefix() }),
    (e) => e.value.announcement,
  );
}

/** Every holding lists exactly the claims of its member. */
async function assertConsistent(kv: Deno.Kv, guildId: string) {
  const claims = await listClaims(kv, guildId);
  const byUser = new Map<string, string[]>();
  for (const c of claims) byUser.set(c.userId, [...(byUser.get(c.userId) ?? []), c.number].sort());
  for await (const e of kv.list<{ numbers: string[] }>({ prefix: holdingPrefix(guildId) })) {
    const u = String(e.key[3]);
    assert.deepEqual(e.value.numbers, byUser.get(u) ?? [], `holding of ${u}`);
    byUser.delete(u);
  }
  assert.deepEqual([...byUser.keys()], [], "claims without a holding");
}

Deno.test("claimNumber(): twenty members claiming one number at once, exactly one wins", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await saveSettings(kv, GUILD, { channelId: CHANNEL }, ADMIN, now);
    const outcomes = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => claimNumber(kv, { guildId: GUILD, userId: user(i), number: "42" }, now),
      ),
    );
    const winners = outcomes.filter((o) => o.ok);
    assert.equal(winners.length, 1);
    const winner = winners[0]!.ok ? winners[0]!.claim.userId : "";
    for (const o of outcomes) {
      if (!o.ok) {
        assert.equal(o.reason, "taken");
        if (o.reason === "taken") assert.equal(o.claim.userId, winner);
      }
    }
    assert.equal((await getClaim(kv, GUILD, "42"))?.userId, winner);
    assert.equal((await listAudit(kv, GUILD)).filter((a) => a.action === "claim").length, 1);
    assert.deepEqual((await outbox(kv)).map((a) => [a.type, a.number]), [["numbers_claimed", "42"]]);
    await assertConsistent(kv, GUILD);
  } finally {
    kv.close();
  }
});

Deno.test('claimNumber(): "07" and "7" are different numbers; range and pattern are checked', async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    assert.ok((await claimNumber(kv, { guildId: GUILD, userId: user(1), number: "07" }, now)).ok);
    assert.ok((await claimNumber(kv, { guildId: GUILD, userId: user(2), number: " 7 " }, now)).ok);
    assert.deepEqual((await listClaims(kv, GUILD)).map((c) => c.number), ["07", "7"]);
    const bad = await claimNumber(kv, { guildId: GUILD, userId: user(3), number: "1000" }, now);
    assert.equal(bad.ok ? "" : bad.reason, "invalid");
    assert.match(bad.ok || bad.reason !== "invalid" ? "" : bad.message, /outside this server's range 0-999/);
    const text = await claimNumber(kv, { guildId: GUILD, userId: user(3), number: "4a" }, now);
    assert.match(text.ok || text.reason !== "invalid" ? "" : text.message, /not a car number/);
    await saveSettings(kv, GUILD, { pattern: "[1-9][0-9]?", min: 1, max: 99 }, ADMIN, now);
    const zero = await claimNumber(kv, { guildId: GUILD, userId: user(3), number: "05" }, now);
    assert.match(
      zero.ok || zero.reason !== "invalid" ? "" : zero.message,
      /does not match this server's number pattern/,
    );
    // No outbox items without an announcement channel; nothing half-written on refusals.
    assert.equal((await outbox(kv)).length, 0);
    await assertConsistent(kv, GUILD);
  } finally {
    kv.close();
  }
});

Deno.test("claimNumber(): the per-member limit holds even for one member's concurrent claims", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const outcomes = await Promise.all(
      ["1", "2", "3", "4", "5"].map((n) =>
        claimNumber(kv, { guildId: GUILD, userId: user(1), number: n }, now)
      ),
    );
    assert.equal(outcomes.filter((o) => o.ok).length, 1);
    const refused = outcomes.find((o) => !o.ok);
    assert.equal(refused && !refused.ok ? refused.reason : "", "limit");
    await saveSettings(kv, GUILD, { maxPerMember: 3 }, ADMIN, now);
    await Promise.all(
      ["6", "7", "8", "9"].map((n) => claimNumber(kv, { guildId: GUILD, userId: user(1), number: n }, now)),
    );
    assert.equal((await memberNumbers(kv, GUILD, user(1))).length, 3);
    await assertConsistent(kv, GUILD);
  } finally {
    kv.close();
  }
});

Deno.test("releaseNumber(): own numbers only, force release by an admin is audited with its target", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await saveSettings(kv, GUILD, { channelId: CHANNEL }, ADMIN, now);
    await claimNumber(kv, { guildId: GUILD, userId: user(1), number: "11" }, now);
    const notYours = await releaseNumber(kv, { guildId: GUILD, actorId: user(2), number: "11" }, now);
    assert.equal(notYours.ok ? "" : notYours.reason, "not_yours");
    const forced = await releaseNumber(kv, {
      guildId: GUILD,
      actorId: ADMIN,
      number: "11",
      force: true,
      reason: "inactive",
    }, now);
    assert.ok(forced.ok);
    assert.equal(await getClaim(kv, GUILD, "11"), null);
    assert.equal((await kv.get(holdingKey(GUILD, user(1)))).value, null);
    const free = await releaseNumber(kv, { guildId: GUILD, actorId: user(1), number: "11" }, now);
    assert.equal(free.ok ? "" : free.reason, "free");
    const mine = await listAudit(kv, GUILD, { memberId: user(1) });
    assert.deepEqual(mine.map((a) => a.action), ["force_release", "claim"]);
    assert.equal(mine[0]!.actorId, ADMIN);
    assert.equal(mine[0]!.details, "force released 11: inactive");
    assert.deepEqual((await outbox(kv)).map((a) => a.type), ["numbers_claimed", "numbers_released"]);
    await claimNumber(kv, { guildId: GUILD, userId: user(2), number: "11" }, now);
    assert.ok((await releaseNumber(kv, { guildId: GUILD, actorId: user(2), number: "11" }, now)).ok);
  } finally {
    kv.close();
  }
});

Deno.test("claimNumber() racing a force release: never two holders, holdings always match", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await saveSettings(kv, GUILD, { maxPerMember: 50 }, ADMIN, now);
    let bWon = 0;
    for (let i = 0; i < 30; i++) {
      const n = String(i);
      assert.ok((await claimNumber(kv, { guildId: GUILD, userId: user(1), number: n }, now)).ok);
      const [rel, cl] = await Promise.all([
        releaseNumber(kv, { guildId: GUILD, actorId: ADMIN, number: n, force: true }, now),
        claimNumber(kv, { guildId: GUILD, userId: user(2), number: n }, now),
      ]);
      // The release read A's claim (B can only claim after it is gone), so it always succeeds.
      assert.ok(rel.ok);
      const holder = (await getClaim(kv, GUILD, n))?.userId ?? null;
      if (cl.ok) {
        bWon++;
        // B's claim landed after the release removed A's: B holds the number now.
        assert.equal(holder, user(2));
        assert.equal(rel.ok && rel.claim.userId, user(1));
      } else {
        assert.equal(cl.reason, "taken");
        assert.equal(holder, null);
      }
      await assertConsistent(kv, GUILD);
    }
    console.log(`claim won the race ${bWon} of 30 times`);
  } finally {
    kv.close();
  }
});

Deno.test("claimNumber(): a number another iRacing member carries on the roster is refused", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await kv.set(rosterKey(GUILD), {
      leagueId: 7058,
      leagueName: "WTEC Championship",
      at: now.toISOString(),
      members: [{ custId: 599890, name: "Alex Williams8", number: "69" }],
    });
    const other = await claimNumber(
      kv,
      { guildId: GUILD, userId: user(1), number: "69", linkedCustId: 1 },
      now,
    );
    assert.deepEqual(other, { ok: false, reason: "roster", carrier: "Alex Williams8" });
    assert.ok(
      (await claimNumber(kv, { guildId: GUILD, userId: user(2), number: "69", linkedCustId: 599890 }, now))
        .ok,
    );
    assert.equal((await getSettings(kv, GUILD)).maxPerMember, 1);
  } finally {
    kv.close();
  }
});
