/**
 * Every embed builder fed the same hostile name in every name it shows (drivers, tracks, cars,
 * classes, maps, servers, reasons): no mention, channel or timestamp token, no markdown, no bidi or
 * NUL character gets through, code spans hold no backslash, plain-text places (footers) no escape.
 */
import assert from "node:assert/strict";
import type { APIEmbed } from "discord-api-types/v10";
import {
  leadersEmbed,
  pbEmbed,
  recentEmbed,
  recordsEmbed,
  recordsPageEmbed,
  statusEmbed,
  tracksEmbed,
} from "@/discord/racing/embeds.ts";
import { personalBestEmbed, raceResultEmbed, trackRecordEmbed } from "@/discord/racing/announce_embeds.ts";
import {
  eventChangedMessage,
  eventMessage,
  eventResultMessage,
  liveBoardMessage,
  pbMessage,
  scheduleMessage,
  standingsMessage,
} from "@/discord/ta/embeds.ts";
import {
  leaderboardEmbed,
  mapResultEmbed,
  playerEmbed,
  roundEmbed,
  sessionEmbed,
} from "@/discord/et/embeds.ts";
import { checkText, rosterEmbed, rosterRows } from "@/discord/numbers/embeds.ts";
import { awardsEmbed } from "@/discord/et/awards_embed.ts";
import { etConsistency, etDuo, etNemesis, etTeams } from "@/discord/et/more.ts";
import { code, esc } from "@/discord/text.ts";
import type { CarResult } from "@/games/racing/types.ts";
import type { PbLine, RecordLine } from "@/kv/racing/records.ts";
import type { EventBoardView } from "@/kv/ta/views.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { getRoundView, getSessionView } from "@/kv/etl/views.ts";
import { listSessions } from "@/kv/etl/sessions.ts";

/** Markdown, a user mention, a channel, a timestamp, a masked link, a heading, bidi and NUL. */
const H =
  "\u202Eevil **b** `c` <@123456789012345678> <#223456789012345678> <t:1:R> [x](https://e.x) _i_\u0000";
/** The same without backslashes, tabs or carets (ET:Legacy's separators and colour codes). */
const H_ETL = "\u202Eevil **b** `c` <@123456789012345678> _i_";

const AT = "2026-01-05T12:00:00.000Z";
const CAR = { model: H, name: H, class: H };

/** The texts of a message as Discord renders them: markdown places and plain places. */
function texts(m: { content?: string; embeds?: APIEmbed[] } | APIEmbed) {
  const embeds = "embeds" in m && Array.isArray(m.embeds) ? m.embeds : [m as APIEmbed];
  const markdown: string[] = [];
  const plain: string[] = [];
  if ("content" in m && typeof m.content === "string") markdown.push(m.content);
  for (const e of embeds) {
    if (e.title) markdown.push(e.title);
    if (e.description) markdown.push(e.description);
    for (const f of e.fields ?? []) markdown.push(f.name, f.value);
    if (e.footer) plain.push(e.footer.text);
    if (e.author) plain.push(e.author.name);
  }
  return { markdown, plain };
}

function assertSafe(label: string, m: { content?: string; embeds?: APIEmbed[] } | APIEmbed | string): void {
  const { markdown, plain } = typeof m === "string" ? { markdown: [m], plain: [] } : texts(m);
  const all = [...markdown, ...plain].join("\n");
  assert.ok(all.includes("evil"), `${label}: the hostile name is shown`);
  assert.ok(!/[\u202A-\u202E\u2066-\u2069]/.test(all) && !all.includes("\u0000"), `${label}: bidi or NUL`);
  for (const t of markdown) {
    assert.doesNotMatch(t, /(?<!\\)<@1234/, `${label}: a mention token in ${JSON.stringify(t)}`);
    assert.doesNotMatch(t, /(?<!\\)<#\d/, `${label}: a channel token`);
    assert.doesNotMatch(t, /(?<!\\)<t:1:R>/, `${label}: a timestamp token`);
    assert.ok(!t.includes("**b**"), `${label}: bold from a name in ${JSON.stringify(t)}`);
    assert.doesNotMatch(t, /(?<!\\)\[x\]\(https/, `${label}: a masked link`);
    for (const span of t.matchAll(/(?<!\\)`([^`\n]*)(?<!\\)`/g)) {
      assert.ok(!span[1]!.includes("\\"), `${label}: a backslash inside ${span[0]}`);
    }
  }
  for (const t of plain) assert.ok(!t.includes("\\*"), `${label}: an escape shows in ${JSON.stringify(t)}`);
}

const line = (rank: number): RecordLine => ({
  rank,
  lapMs: 100_000 + rank,
  lap: "1:40.000",
  driver: { id: H, name: H },
  car: CAR,
  sessionId: "s",
  setAt: AT,
  splitsMs: [30_000, 40_000, 30_000],
});

Deno.test("Racing builders show a hostile name as text", () => {
  assertSafe(
    "/records",
    recordsEmbed({
      name: H,
      game: "acc",
      cls: H,
      boards: [{ kind: "Q", entries: [line(1), line(2)], of: 2 }],
    }),
  );
  assertSafe("/records kind", {
    embeds: [
      recordsPageEmbed({
        name: H,
        game: "ac",
        cls: H,
        kind: "R",
        entries: [line(1)],
        leaderMs: 100_000,
        of: 1,
        page: 0,
        pages: 1,
      }),
    ],
  });
  const pb = {
    ...line(2),
    game: "acc",
    track: H,
    kind: "Q",
    class: "all",
    of: 2,
    sessions: 1,
    vsRecordMs: 1,
    bestSectorsMs: [],
    theoreticalBestMs: 99_000,
    history: [],
  } as PbLine;
  assertSafe(
    "/pb",
    pbEmbed({
      driverName: H,
      trackName: H,
      game: "acc",
      views: [{ pb, record: { driverName: H, splitsMs: [1, 2, 3], isMe: false } }],
    }),
  );
  assertSafe("/leaders", {
    embeds: [
      leadersEmbed({
        tracks: [{ name: H, game: "acc", q: line(1), r: null }],
        cls: H,
        page: 0,
        pages: 1,
        total: 1,
      }),
    ],
  });
  assertSafe(
    "/tracks",
    tracksEmbed([{
      game: "acc",
      track: H,
      name: H,
      sessions: 1,
      sessionsByKind: { Q: 1, R: 0, FP: 0 },
      firstSessionAt: AT,
      lastSessionAt: AT,
    }]),
  );
  assertSafe(
    "/recent",
    recentEmbed([{
      trackName: H,
      game: "ac",
      kind: "R",
      sessionType: H,
      finishedAt: AT,
      cars: 1,
      winner: { name: H, car: H },
      fastest: { name: H, lapMs: 1 },
    }]),
  );
  assertSafe(
    "/status",
    statusEmbed({
      pending: 0,
      pendingCapped: false,
      oldestPendingAt: null,
      deadLetters: [{ type: H, channelId: H, reason: H, at: AT }],
      deadLetterCount: 1,
      lastDelivered: null,
      lastImportAt: null,
      discordRest: true,
    }),
  );
});

Deno.test("Racing posts show a hostile name as text", () => {
  const base = {
    game: "acc" as const,
    track: H,
    trackName: H,
    kind: "Q" as const,
    cls: H,
    driver: { id: H, name: H },
    car: CAR,
    lapMs: 1,
    splitsMs: [],
    sessionId: "s",
    setAt: AT,
  };
  assertSafe(
    "record post",
    trackRecordEmbed({ type: "track_record", ...base, previous: { driver: { id: H, name: H }, lapMs: 2 } }),
  );
  assertSafe(
    "PB post",
    personalBestEmbed({
      type: "personal_best",
      ...base,
      previousMs: 2,
      rankBefore: 3,
      rankAfter: 1,
      positionsGained: 2,
      of: 3,
    }),
  );
  const car: CarResult = {
    position: 1,
    carId: 1,
    car: CAR,
    drivers: [{ id: H, name: H }],
    bestLapMs: 1,
    bestSplitsMs: null,
    totalTimeMs: 10,
    lapCount: 2,
    penalties: [{ reason: H, penalty: H, value: 5, postRace: true }],
    disqualified: false,
  };
  assertSafe(
    "race post",
    raceResultEmbed({
      type: "race_result",
      game: "acc",
      track: H,
      trackName: H,
      sessionType: H,
      sessionId: "s",
      finishedAt: AT,
    }, { cars: [car, { ...car, position: 2 }], serverName: H }),
  );
});

Deno.test("Time-attack messages show a hostile name as text", () => {
  const names = { trackName: H, country: H, flag: "", carNames: [{ id: H, name: H, brand: H }] };
  const board: EventBoardView = {
    ...names,
    season: 1,
    key: "w1",
    track: H,
    layout: H,
    cars: [H],
    start: AT,
    end: AT,
    entries: [{
      rank: 1,
      driver: { id: H, name: H },
      lapMs: 1,
      lap: "0:00.001",
      car: H,
      carName: H,
      setAt: AT,
    }],
  };
  const event = {
    ...names,
    key: "w1",
    name: H,
    track: H,
    layout: H,
    cars: [H],
    start: AT,
    end: AT,
    counts: true,
    listed: true,
    week: 1,
  };
  assertSafe("live board", liveBoardMessage(board, H));
  assertSafe("schedule", scheduleMessage({ season: 1, timeZone: "UTC", events: [event] }, "w1"));
  assertSafe(
    "standings",
    standingsMessage({
      season: 1,
      counted: 1,
      eventKeys: ["w1"],
      entries: [{
        rank: 1,
        driver: { id: H, name: H },
        points: 1,
        events: { w1: 1 },
        dropped: [],
        wins: 1,
        gapsPct: {},
      }],
    }, new Map([["w1", H]])),
  );
  assertSafe("event changed", eventChangedMessage(1, event));
  assertSafe("event result", eventResultMessage(board, H));
  assertSafe("/ta event", eventMessage(board, H, Date.parse(AT)));
  assertSafe(
    "/ta pb",
    pbMessage(
      1,
      { name: H },
      [{ name: H, lapMs: 1, rank: 1, of: 1, car: H, points: 1, dropped: false }] as never,
      null,
    ),
  );
});

Deno.test("Numbers messages show a hostile name as text", () => {
  const claim = {
    number: "7",
    userId: "999999999999999999",
    displayName: H,
    claimedAt: AT,
    verified: true,
    verifiedAt: AT,
    custId: 1,
    driverName: H,
  };
  assertSafe("/roster", rosterEmbed(rosterRows([claim], [{ custId: 2, name: H, number: "8" }]), H).embed);
  assertSafe("/check", checkText("7", claim, [{ custId: 1, name: H, number: "7" }]));
});

Deno.test("ET:Legacy embeds show a hostile player and map name as text", async () => {
  await using kv = await Deno.openKv(":memory:");
  const importer = new Importer(kv, { announce: false, now: () => new Date(AT) });
  for (const f of generateEtlFiles(2, { players: 6, perRound: 6 })) {
    const text = f.text.replaceAll(/\^\dPlayer\^7\d+/g, H_ETL);
    const r = await importer.importOne({ name: f.name, bytes: new TextEncoder().encode(text) });
    assert.equal(r.status, "imported", r.reason);
  }
  const [brief] = await listSessions(kv);
  const s = (await getSessionView(kv, brief!.id))!;
  const r1 = (await getRoundView(kv, s.roundIds[0]!))!, r2 = (await getRoundView(kv, s.roundIds[1]!))!;
  assertSafe("round post", roundEmbed(r1));
  assertSafe("map result", mapResultEmbed(r1, r2, H_ETL, [1, 0]));
  assertSafe("session", sessionEmbed(s));
  const p = s.players[0]!;
  assertSafe(
    "/et stats",
    playerEmbed({
      ...p,
      totals: { ...p.totals, rounds: 2 },
      maps: [{ map: r1.map, totals: { rounds: 2 }, metrics: {} }],
    }),
  );
  assertSafe(
    "/et top",
    leaderboardEmbed(
      {
        label: "Kills",
        definition: "Kills",
        minRounds: 1,
        rows: [{ rank: 1, name: p.name, display: "1", rounds: 2 }],
      } as never,
    ),
  );
});

Deno.test("The awards post and /et teams show hostile award texts, names and team names as text", async () => {
  assertSafe(
    "awards post",
    awardsEmbed({
      roundId: H,
      fileName: H,
      roundStored: true,
      awards: [
        { award: H, name: H, guid: null, value: 1, unit: H, text: H },
        { award: `Most kills ${H}`, name: H, guid: "G", value: 2, unit: "", text: H },
      ],
      vs: [{ of: H, ofGuid: null, name: H, guid: null, kills: 3, deaths: 1 }],
    } as never, H),
  );
  await using kv = await Deno.openKv(":memory:");
  const importer = new Importer(kv, { announce: false, now: () => new Date(AT) });
  for (const f of generateEtlFiles(2, { players: 6, perRound: 6 })) {
    const text = f.text.replaceAll(/\^\dPlayer\^7\d+/g, H_ETL);
    await importer.importOne({ name: f.name, bytes: new TextEncoder().encode(text) });
  }
  const teams = await etTeams(kv, undefined, {});
  assert.ok(teams.ok);
  assertSafe("/et teams", { embeds: teams.embeds });
  const guids = (await getSessionView(kv, (await listSessions(kv))[0]!.id))!.players.map((p) => p.guid);
  const named = await etTeams(kv, undefined, Object.fromEntries(guids.map((g) => [g.toUpperCase(), H])));
  assert.ok(named.ok);
  assertSafe("/et teams (configured names)", { embeds: named.embeds });
  // The sentences that name a player (no VS stats, too few rounds, never on one team) escape the name.
  const said: string[] = [];
  for (
    const r of [
      await etNemesis(kv, guids[0]!),
      ...await Promise.all(guids.map((g) => etConsistency(kv, g))),
    ]
  ) {
    if (!r.ok) said.push(r.error);
  }
  for (const g of guids.slice(1)) {
    const r = await etDuo(kv, guids[0]!, g);
    if (!r.ok) said.push(r.error);
  }
  assert.ok(said.length > 0);
  for (const t of said) assertSafe("a sentence naming a player", t);
  // A field name cut at Discord's 256 never splits a surrogate pair.
  const long = await etTeams(
    kv,
    undefined,
    Object.fromEntries(guids.map((g) => [g.toUpperCase(), "😀".repeat(300)])),
  );
  assert.ok(long.ok);
  for (const f of long.embeds[0]!.fields!) {
    assert.ok([...f.name].length <= 256 && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(f.name), f.name);
  }
});

Deno.test("code() never puts a backslash inside backticks; esc() stops mention tokens", () => {
  assert.equal(code("te_escape2"), "`te_escape2`");
  assert.equal(code("a`b"), "`aˋb`");
  assert.equal(esc("<@123456789012345678>"), "\\<@123456789012345678\\>");
});
