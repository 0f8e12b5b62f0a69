import assert from "node:assert/strict";
import { createIracingClient } from "@/lib/iracing.ts";
import { kvTokenStore } from "@/kv/numbers/tokens.ts";
import { claimNumber, getClaim, listClaims, releaseNumber } from "@/kv/numbers/claims.ts";
import { saveSettings } from "@/kv/numbers/settings.ts";
import { getSyncStatus, SyncError, syncGuild } from "@/kv/numbers/sync.ts";
import { listAudit } from "@/kv/numbers/audit.ts";
import { getRoster } from "@/kv/numbers/roster.ts";
import { outboxPrefix } from "@/kv/keys.ts";
import { type FakeRosterMember, startFakeIracing } from "@/tests/fakes/iracing.ts";
import { type IracingSource, iracingTest } from "@/tests/numbers/_iracing_sources.ts";

const GUILD = "100000000000000001";
const CHANNEL = "200000000000000002";
const ADMIN_CHANNEL = "200000000000000003";
const ADMIN = "300000000000000003";
const LEAGUE = 900;
const u = (i: number) => `4000000000000000${String(i).padStart(2, "0")}`;

async function setup(src: IracingSource, roster: FakeRosterMember[]) {
  const clock = { t: Date.parse("2026-01-05T12:00:00Z") };
  const kv = await Deno.openKv(":memory:");
  const fake = startFakeIracing({ now: () => clock.t, answers: src.answers() });
  fake.setRoster(LEAGUE, roster);
  const iracing = createIracingClient(kvTokenStore(kv), {
    ...fake.credentials,
    oauthBase: fake.oauthBase,
    dataBase: fake.dataBase,
  }, {
    now: () => new Date(clock.t),
  });
  const links = new Map<string, number>();
  const deps = { kv, iracing, linkOf: (id: string) => Promise.resolve(links.get(id) ?? null) };
  await saveSettings(
    kv,
    GUILD,
    { leagueId: LEAGUE, channelId: CHANNEL, adminChannelId: ADMIN_CHANNEL, maxPerMember: 3 },
    ADMIN,
    new Date(clock.t),
  );
  return {
    kv,
    fake,
    clock,
    links,
    deps,
    now: () => new Date(clock.t),
    close: async () => {
      await fake.close();
      kv.close();
    },
  };
}

async function conflictPosts(kv: Deno.Kv) {
  const all = await Array.fromAsync(
    kv.list<
      { announcement: { type: string; channelId: string; conflicts?: { kind: string; number: string }[] } }
    >({
      prefix: outboxPrefix(),
    }),
    (e) => e.value.announcement,
  );
  return all.filter((a) => a.type === "numbers_conflicts");
}

const ROSTER: FakeRosterMember[] = [
  { cust_id: 11, display_name: "Ann Driver", car_number: "07" },
  { cust_id: 12, display_name: "Ben Driver", car_number: "7" },
  { cust_id: 13, display_name: "Cid Driver", car_number: "21" },
  { cust_id: 14, display_name: "Dee Driver", car_number: "21" },
  { cust_id: 15, display_name: "Eve Driver", car_number: "33" },
  { cust_id: 16, display_name: "Fay Driver", car_number: null },
];

iracingTest("syncGuild() verifies matching claims and reports each kind of conflict once", async (src) => {
  const w = await setup(src, ROSTER);
  try {
    const claim = async (i: number, number: string, cust?: number) => {
      if (cust !== undefined) w.links.set(u(i), cust);
      assert.ok((await claimNumber(w.kv, { guildId: GUILD, userId: u(i), number }, w.now())).ok);
    };
    await claim(1, "07", 11); // matches Ann's roster number: verified
    await claim(2, "8", 12); // Ben carries "7": mismatch ("07" and "7" are not the same)
    await claim(3, "33", 99); // 99 left the league; Eve carries 33: used by someone else
    await claim(4, "50"); // not linked: cannot be checked
    await claim(5, "60", 16); // Fay has no number yet in iRacing: pending, no conflict

    const s1 = await syncGuild(w.deps, GUILD, w.now(), ADMIN);
    assert.equal(s1.ok, true);
    assert.equal(s1.leagueName, "Fake league 900");
    assert.deepEqual([s1.rosterCount, s1.claims, s1.verified, s1.newlyVerified, s1.unlinked], [
      6,
      5,
      1,
      1,
      1,
    ]);
    assert.deepEqual(s1.conflicts.map((c) => [c.kind, c.number]), [
      ["duplicate_on_roster", "21"],
      ["left_league", "33"],
      ["used_by_other", "33"],
      ["mismatch", "8"],
    ]);
    const c1 = await getClaim(w.kv, GUILD, "07");
    assert.equal(c1?.verified, true);
    assert.equal(c1?.driverName, "Ann Driver");
    assert.equal((await getClaim(w.kv, GUILD, "8"))?.verified, false);
    let posts = await conflictPosts(w.kv);
    assert.equal(posts.length, 1);
    assert.equal(posts[0]!.channelId, ADMIN_CHANNEL);
    assert.equal(posts[0]!.conflicts!.length, 4);

    // The next hour, same data: nothing new is posted.
    w.clock.t += 3600_000;
    const s2 = await syncGuild(w.deps, GUILD, w.now());
    assert.equal(s2.conflictCount, 4);
    assert.equal(s2.newlyVerified, 0);
    assert.equal((await conflictPosts(w.kv)).length, 1);

    // Ben fixes his number in iRacing; Fay takes "07", which Ann's claim holds, instead of her claimed 60:
    // only the new conflicts post.
    w.fake.setRoster(
      LEAGUE,
      ROSTER.map((m) =>
        m.cust_id === 12 ? { ...m, car_number: "8" } : m.cust_id === 16 ? { ...m, car_number: "07" } : m
      ),
    );
    w.clock.t += 3600_000;
    const s3 = await syncGuild(w.deps, GUILD, w.now());
    assert.equal((await getClaim(w.kv, GUILD, "8"))?.verified, true);
    assert.equal(s3.verified, 2);
    assert.equal((await getClaim(w.kv, GUILD, "60"))?.verified, false);
    posts = await conflictPosts(w.kv);
    assert.equal(posts.length, 2);
    assert.deepEqual(posts[1]!.conflicts!.map((c) => [c.kind, c.number]), [
      ["duplicate_on_roster", "07"],
      ["used_by_other", "07"],
      ["mismatch", "60"],
    ]);
    // The roster as seen is kept for claims and /available.
    const roster = await getRoster(w.kv, GUILD);
    assert.equal(roster?.members.filter((m) => m.number === "07").length, 2);

    const audit = await listAudit(w.kv, GUILD, { limit: 50 });
    assert.equal(audit.filter((a) => a.action === "sync").length, 3);
    assert.match(audit[0]!.details, /league 900: 6 on the roster, 2\/5 claims verified, 6 conflict\(s\)/);
  } finally {
    await w.close();
  }
});

iracingTest(
  "syncGuild() records an iRacing failure as a failed run and keeps the last conflicts",
  async (src) => {
    const w = await setup(src, ROSTER);
    try {
      w.links.set(u(2), 12);
      await claimNumber(w.kv, { guildId: GUILD, userId: u(2), number: "8" }, w.now());
      await syncGuild(w.deps, GUILD, w.now());
      w.fake.fail({ on: "data", kind: "503" });
      w.clock.t += 3600_000;
      const failed = await syncGuild(w.deps, GUILD, w.now());
      assert.equal(failed.ok, false);
      assert.match(failed.error ?? "", /iRacing is unavailable \(503 Site Maintenance/);
      assert.equal(failed.conflictCount, 2);
      assert.equal((await getSyncStatus(w.kv, GUILD))?.ok, false);
      assert.match((await listAudit(w.kv, GUILD))[0]!.details, /failed: iRacing is unavailable/);
      assert.equal((await conflictPosts(w.kv)).length, 1);

      await saveSettings(w.kv, "100000000000000009", {}, ADMIN, w.now());
      await assert.rejects(syncGuild(w.deps, "100000000000000009", w.now()), SyncError);
    } finally {
      await w.close();
    }
  },
);

iracingTest(
  "syncGuild() while claims land: a released claim is not brought back, a new one is kept",
  async (src) => {
    const roster: FakeRosterMember[] = Array.from({ length: 200 }, (_, i) => ({
      cust_id: 1000 + i,
      display_name: `Driver ${i}`,
      car_number: String(i + 100),
    }));
    const w = await setup(src, roster);
    try {
      for (let i = 0; i < 40; i++) {
        w.links.set(u(i), 1000 + i);
        assert.ok(
          (await claimNumber(w.kv, { guildId: GUILD, userId: u(i), number: String(i + 100) }, w.now())).ok,
        );
      }
      // The sync asks for links after it listed the claims: that is when the members act.
      let acted = false;
      const deps = {
        ...w.deps,
        linkOf: async (id: string) => {
          if (!acted) {
            acted = true;
            await Promise.all([
              releaseNumber(w.kv, { guildId: GUILD, actorId: u(5), number: "105" }, w.now()),
              claimNumber(w.kv, { guildId: GUILD, userId: u(5), number: "999" }, w.now()),
              claimNumber(w.kv, { guildId: GUILD, userId: u(60), number: "998" }, w.now()),
            ]);
          }
          return w.links.get(id) ?? null;
        },
      };
      const status = await syncGuild(deps, GUILD, w.now());
      assert.equal(status.ok, true);
      assert.equal(await getClaim(w.kv, GUILD, "105"), null, "the released claim stays released");
      assert.equal((await getClaim(w.kv, GUILD, "999"))?.verified, false);
      assert.equal((await getClaim(w.kv, GUILD, "998"))?.userId, u(60));
      const claims = await listClaims(w.kv, GUILD);
      assert.equal(claims.length, 41);
      assert.equal(claims.filter((c) => c.verified).length, 39);
      assert.equal(status.newlyVerified, 39);
      // 39 claims, then the status, the roster and the audit entry.
      assert.equal(status.writes, 42);
      // The next sync judges the claim that landed meanwhile: u5 now claims 999 but carries 105 in
      // iRacing, a new conflict. Writes: that claim, the announcement and the outbox signal, status,
      // roster, audit entry.
      const again = await syncGuild(w.deps, GUILD, w.now());
      assert.deepEqual(again.conflicts.map((c) => [c.kind, c.number]), [["mismatch", "999"]]);
      assert.equal(again.writes, 6);
      assert.equal((await syncGuild(w.deps, GUILD, w.now())).writes, 3);
    } finally {
      await w.close();
    }
  },
);

iracingTest(
  "syncGuild() verifies the links of claimants found on the roster, once, and audits it",
  async (src) => {
    const w = await setup(src, ROSTER);
    try {
      const verified = new Set<string>();
      const deps = {
        ...w.deps,
        verifyLink: (userId: string) => {
          if (verified.has(userId)) return Promise.resolve(false);
          verified.add(userId);
          return Promise.resolve(true);
        },
      };
      w.links.set(u(1), 11);
      w.links.set(u(3), 99);
      await claimNumber(w.kv, { guildId: GUILD, userId: u(1), number: "07" }, w.now());
      await claimNumber(w.kv, { guildId: GUILD, userId: u(3), number: "33" }, w.now());
      const s1 = await syncGuild(deps, GUILD, w.now());
      assert.deepEqual([...verified], [u(1)], "99 is not on the roster: not verified");
      const links = (await listAudit(w.kv, GUILD, { memberId: u(1) })).filter((a) => a.action === "link");
      assert.equal(links.length, 1);
      assert.equal(links[0]!.details, "iRacing account 11 (Ann Driver) verified on the league roster");
      // 1 claim, 2 link keys, status and roster, sync audit, the link's audit entry and its index,
      // the announcement and the outbox signal.
      assert.equal(s1.writes, 1 + 2 + 2 + 1 + 2 + 2);
      await syncGuild(deps, GUILD, w.now());
      assert.equal(
        (await listAudit(w.kv, GUILD, { memberId: u(1) })).filter((a) => a.action === "link").length,
        1,
      );
    } finally {
      await w.close();
    }
  },
);
