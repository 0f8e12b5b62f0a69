/**
 * ET:Legacy times in one zone everywhere (issue 16): the list, session, round and player pages,
 * the API and the Discord replies and posts all show a round's stored instant in its server's
 * configured zone, naming the zone.
 */
import assert from "node:assert/strict";
import { createApp } from "@/app.ts";
import { type Config, etlTimeZone, etlZones, loadConfig } from "@/config.ts";
import { etlRoundRenderer, etlSessionRenderer } from "@/discord/et/announce.ts";
import { etLastSession } from "@/discord/et/handlers.ts";
import { etAdminFailed, etLastRound, etSessions } from "@/discord/et/more.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { listSessions } from "@/kv/etl/sessions.ts";
import { serverOfRoundId } from "@/kv/etl/zones.ts";
import { leaderboard, listRounds } from "@/kv/etl/views.ts";
import { zoneAbbreviation, zonedDay, zonedIso, zonedWhen } from "@/lib/file_time.ts";
import { testDeps } from "@/tests/discord/_app.ts";
import { readSample, sampleTest } from "@/tests/_samples.ts";
import { etlSampleNames } from "@/tests/etl/_etl.ts";

const NOW = new Date("2026-01-05T12:00:00Z");

Deno.test("zonedWhen()/zonedIso() name the zone at the instant: CET and CEST, GMT and BST, UTC+9", () => {
  const winter = "2025-11-01T20:25:00.000Z", summer = "2025-07-01T19:25:00Z";
  assert.equal(zonedWhen(winter, "Europe/Paris"), "2025-11-01 21:25 CET");
  assert.equal(zonedWhen(summer, "Europe/Paris"), "2025-07-01 21:25 CEST");
  assert.equal(zonedIso(winter, "Europe/Paris"), "2025-11-01T21:25:00+01:00");
  assert.equal(zonedIso(summer, "Europe/Paris"), "2025-07-01T21:25:00+02:00");
  assert.equal(zonedWhen(winter, "Europe/London"), "2025-11-01 20:25 GMT");
  assert.equal(zonedWhen(summer, "Europe/London"), "2025-07-01 20:25 BST");
  assert.equal(zonedWhen(winter, "UTC"), "2025-11-01 20:25 UTC");
  assert.equal(zonedIso(winter, "UTC"), "2025-11-01T20:25:00+00:00");
  assert.equal(zonedWhen(winter, "Asia/Tokyo"), "2025-11-02 05:25 UTC+9");
  assert.equal(zoneAbbreviation(winter, "Asia/Kolkata"), "UTC+5:30");
  assert.equal(zonedDay(winter, "Asia/Tokyo"), "2025-11-02");
  // The ISO form is the same instant.
  assert.equal(Date.parse(zonedIso(summer, "America/Chicago")), Date.parse(summer));
});

Deno.test("etlTimeZone(): the round's server's zone; UTC without one, as the importer read it", () => {
  const config = etlConfig([
    { id: "acc1", game: "acc", timeZone: "Europe/London" },
    { id: "paris", game: "etl", timeZone: "Europe/Paris" },
  ]);
  assert.equal(etlTimeZone(config, "acc1"), "Europe/London");
  assert.equal(etlTimeZone(config, "paris"), "Europe/Paris");
  assert.equal(etlTimeZone(config, undefined), "UTC");
  assert.equal(etlTimeZone(config, "gone"), "UTC");
  assert.equal(serverOfRoundId("paris-2025-11-01-212500-supply-r1"), "paris");
  assert.equal(serverOfRoundId("etl-eu-2-2025-11-01-212500-supply-r1"), "etl-eu-2");
  assert.equal(serverOfRoundId("2025-11-01-212500-supply-r1"), undefined);
});

function etlConfig(servers: { id: string; game: "acc" | "ac" | "etl"; timeZone: string }[]): Config {
  const base = loadConfig((n) => ({ PODIUM_KV: ":memory:" } as Record<string, string>)[n]);
  return { ...base, servers };
}

/** Two generated evenings on a Paris server, one in winter time and one in summer time. */
async function parisStore(kv: Deno.Kv, config: Config) {
  const imp = new Importer(kv, {
    announce: false,
    now: () => NOW,
    timeZoneOf: (id) => etlTimeZone(config, id),
  });
  const enc = new TextEncoder();
  const names: string[] = [];
  for (
    const [seed, start] of [[5, new Date("2025-07-01T21:00:00Z")], [
      6,
      new Date("2025-11-01T21:00:00Z"),
    ]] as const
  ) {
    for (const f of generateEtlFiles(4, { seed, players: 8, perRound: 6, start })) {
      const rep = await imp.importOne({ name: f.name, bytes: enc.encode(f.text), serverId: "paris" });
      assert.equal(rep.status, "imported", f.name);
      names.push(f.name);
    }
  }
  return names;
}

/** `2025-11-01-212500-...` → the wall clock it names, `2025-11-01 21:25`. */
const wallOf = (name: string) => `${name.slice(0, 10)} ${name.slice(11, 13)}:${name.slice(13, 15)}`;

Deno.test("ET:Legacy times: pages, API and Discord show the server's wall clock with its zone", async (t) => {
  const kv = await Deno.openKv(":memory:");
  try {
    const config = etlConfig([{ id: "paris", game: "etl", timeZone: "Europe/Paris" }]);
    const names = await parisStore(kv, config);
    const summerFirst = names[0]!, winterFirst = names[4]!, winterLast = names[7]!;
    const sessions = await listSessions(kv);
    assert.equal(sessions.length, 2);
    const winterId = sessions[1]!.id, summerId = sessions[0]!.id;
    const app = createApp({ kv, config, now: () => NOW });
    const html = async (path: string) => {
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      return await res.text();
    };

    await t.step("the list and the session page agree, with CET and CEST named", async () => {
      const list = await html("/etl");
      assert.ok(list.includes(`${wallOf(winterFirst)} CET`), list);
      assert.ok(list.includes(`${wallOf(summerFirst)} CEST`));
      assert.ok(!list.includes(" UTC<"));
      const page = await html(`/etl/sessions/${winterId}`);
      assert.ok(page.includes(`ET:Legacy session · ${wallOf(winterFirst)} CET`));
      assert.ok((await html(`/etl/sessions/${summerId}`)).includes(`${wallOf(summerFirst)} CEST`));
    });

    const roundId = `paris-${winterLast.slice(0, 17)}-${winterLast.slice(18, -"-round-2.txt".length)}-r2`;
    await t.step("the round page", async () => {
      const page = await html(`/etl/rounds/${roundId}`);
      assert.ok(page.includes(`${wallOf(winterLast)} CET`), page.slice(0, 3000));
    });

    await t.step("the API: ISO 8601 with the zone's offset, and the zone", async () => {
      const json = async (path: string) => await (await app.request(path)).json();
      const r = await json(`/api/etl/rounds/${roundId}`);
      assert.equal(r.timeZone, "Europe/Paris");
      assert.equal(r.playedAt, `${wallOf(winterLast).replace(" ", "T")}:${winterLast.slice(15, 17)}+01:00`);
      const s = await json(`/api/etl/sessions/${summerId}`);
      assert.match(s.startedAt, new RegExp(`^${wallOf(summerFirst).replace(" ", "T")}:\\d\\d\\+02:00$`));
      const list = await json("/api/etl/sessions");
      assert.deepEqual(list.sessions.map((x: { startedAt: string }) => x.startedAt), [
        `${wallOf(winterFirst).replace(" ", "T")}:${winterFirst.slice(15, 17)}+01:00`,
        `${wallOf(summerFirst).replace(" ", "T")}:${summerFirst.slice(15, 17)}+02:00`,
      ]);
      const rounds = await json("/api/etl/rounds?limit=2");
      assert.ok(rounds.rounds.every((x: { playedAt: string }) => x.playedAt.endsWith("+01:00")));
      const p = await json(`/api/etl/players/${r.players[0].guid}`);
      assert.ok(p.lastPlayedAt.endsWith("+01:00"));
      assert.ok(p.rounds.some((x: { playedAt: string }) => x.playedAt.endsWith("+02:00")));
    });

    await t.step("Discord: /et sessions, /et last_session, /et last_round and the posts", async () => {
      const zoneOf = etlZones(config);
      const list = await etSessions(kv, zoneOf);
      assert.ok(list.ok);
      const text = list.embeds[0]!.description!;
      assert.ok(text.includes(`${wallOf(winterFirst)} CET · 4 rounds`), text);
      assert.ok(text.includes(`${wallOf(summerFirst)} CEST`));
      const last = await etLastSession(kv, zoneOf);
      assert.ok(last.ok && last.embeds[0]!.description!.includes(`🕘 ${wallOf(winterFirst)} CET`));
      assert.equal(
        last.embeds[0]!.timestamp,
        new Date(
          Date.parse(
            `${winterLast.slice(0, 10)}T${winterLast.slice(11, 13)}:${winterLast.slice(13, 15)}:${
              winterLast.slice(15, 17)
            }+01:00`,
          ),
        ).toISOString(),
      );
      const round = await etLastRound(kv, zoneOf);
      assert.ok(round.ok && round.embeds[0]!.footer!.text.startsWith(`${wallOf(winterLast)} CET · `));
      const deps = testDeps(kv, config);
      const post = await etlRoundRenderer.render(deps, { type: "etl_round", roundId });
      assert.ok(post.embeds![0]!.footer!.text.startsWith(`${wallOf(winterLast)} CET`));
      const summary = await etlSessionRenderer.render(deps, {
        type: "etl_session",
        sessionId: summerId,
        lastRoundId: "",
      });
      assert.ok(summary.embeds![0]!.description!.includes(`🕘 ${wallOf(summerFirst)} CEST`));
      const failed = await etAdminFailed(kv, zoneOf);
      assert.ok(failed.ok);
    });
  } finally {
    kv.close();
  }
});

sampleTest(
  "ET:Legacy samples on a Paris server: every session's time on /etl is its page's, in CET or CEST",
  async () => {
    using kv = await Deno.openKv(":memory:");
    const config = etlConfig([{ id: "paris", game: "etl", timeZone: "Europe/Paris" }]);
    const imp = new Importer(kv, {
      announce: false,
      now: () => NOW,
      timeZoneOf: (id) => etlTimeZone(config, id),
    });
    for (const name of etlSampleNames()) {
      await imp.importOne({ name, bytes: readSample(`etl/${name}`), serverId: "paris" });
    }
    const app = createApp({ kv, config, now: () => NOW });
    const list = await (await app.request("/etl")).text();
    const sessions = await listSessions(kv);
    assert.ok(sessions.length > 0);
    for (const s of sessions) {
      // The session id is the first round's file-name stamp: the server's wall clock.
      const wall = `${s.id.slice(0, 10)} ${s.id.slice(11, 13)}:${s.id.slice(13, 15)}`;
      const shown = new RegExp(`${wall} (CET|CEST)`);
      assert.match(list, shown, `${s.id} on /etl`);
      const page = await (await app.request(`/etl/sessions/${s.id}`)).text();
      assert.match(page, new RegExp(`ET:Legacy session · ${wall} (CET|CEST)`), `${s.id} page`);
      const api = await (await app.request(`/api/etl/sessions/${s.id}`)).json();
      assert.match(api.startedAt, new RegExp(`^${wall.replace(" ", "T")}:\\d\\d\\+0[12]:00$`));
    }
  },
);

Deno.test("leaderboard periods start at the instant: a Paris round an hour before the cutoff is out", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = etlConfig([{ id: "paris", game: "etl", timeZone: "Europe/Paris" }]);
  const names = await parisStore(kv, config);
  const zoneOf = etlZones(config);
  const { rounds } = await listRounds(kv, { limit: 100, zoneOf });
  const firstWinter = rounds.find((r) => r.sourceFile === names[4])!;
  // Seven days and a minute after the evening's first round: it is out, the later ones are in.
  const now = new Date(Date.parse(firstWinter.playedAt) + 7 * 86_400_000 + 60_000);
  const since = now.getTime() - 7 * 86_400_000;
  const expected = rounds.filter((r) => Date.parse(r.playedAt) >= since && r.status !== "orphan")
    .reduce((n, r) => n + r.players.length, 0);
  const lb = await leaderboard(kv, "rounds", { period: "7d", now, limit: 100, zoneOf });
  assert.equal(lb.rows.reduce((n, r) => n + r.rounds, 0), expected);
  assert.ok(expected > 0 && expected < rounds.filter((r) => r.playedAt.endsWith("+01:00")).length * 6);
});
