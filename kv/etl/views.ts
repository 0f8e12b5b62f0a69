/**
 * ET:Legacy reads shaped for people: the API, Discord and the site all use these, so a round,
 * a session or a leaderboard means the same everywhere.
 */
import { type EtlTotals, METRICS } from "@/games/etl/metrics.ts";
import { addStats, type EtlPlayerRound } from "@/games/etl/stats.ts";
import { type MapResult, mapResult } from "@/games/etl/stopwatch.ts";
import { etlWhenPrefix, wallDay } from "@/kv/etl/keys.ts";
import { getRound, getRounds } from "@/kv/etl/rounds.ts";
import { getEtlPlayers, playerRounds, zeroTotals } from "@/kv/etl/players.ts";
import {
  getSession,
  listSessions,
  SESSION_GAP_MS,
  type SessionDetail,
  sessionIdOf,
} from "@/kv/etl/sessions.ts";
import { type SessionScore, sessionScore } from "@/kv/etl/teams.ts";
import type { RoundBrief, StoredRound } from "@/kv/etl/types.ts";
import { kvReader } from "@/kv/reader.ts";
import { type Mvp, mvpOfRounds, pickMvp } from "@/games/etl/mvp.ts";
import { isCounted } from "@/kv/etl/exclusion.ts";
import { isoIn, serverOfRoundId, UTC_ZONE, wallToInstant, type ZoneOf } from "@/kv/etl/zones.ts";
import { zonedIso } from "@/lib/file_time.ts";
import { combinePool, etlPersonOf, EtlWho } from "@/kv/etl/people.ts";

export { leaderboard, type LeaderRow, type Period, PERIODS } from "@/kv/etl/leaderboard.ts";

/** Every metric's value for some totals, by metric id. */
export function metricValues(t: EtlTotals): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of METRICS) out[m.id] = m.value(t);
  return out;
}

function totalsOf(rows: EtlPlayerRound[]): EtlTotals {
  const t = zeroTotals();
  for (const r of rows) {
    addStats(t, r);
    t.rounds++;
  }
  return t;
}

/** A player's row in a round, with the derived metrics. */
export function playerRowView(p: EtlPlayerRound) {
  const m = metricValues({ ...p, rounds: 1 });
  return {
    ...p,
    kd: m.kd!,
    dpm: m.dpm!,
    accuracy: m.accuracy!,
    headshotPct: m.headshot_pct!,
    efficiency: m.efficiency!,
  };
}

/** A round as the API shows it. */
export interface RoundView {
  id: string;
  sourceFile: string;
  map: string;
  round: 1 | 2;
  status: StoredRound["status"];
  /** True when the players' values are R2 minus R1 (a paired R2). */
  differential: boolean;
  r1Id: string | null;
  sessionId: string;
  /** When the round ended, ISO 8601 with the offset of `timeZone` (`2025-11-01T21:25:00+01:00`). */
  playedAt: string;
  /** The IANA zone of the round's server, in which every time of it is shown. */
  timeZone: string;
  server: string;
  serverRaw: string;
  config: string;
  defender: number;
  winner: number;
  timeLimitS: number;
  actualTimeS: number;
  warnings: string[];
  /** Why the round does not count (a restart, bots, a filler map, an admin); null when it counts. */
  excludedReason: string | null;
  /** The rule behind `excludedReason`. */
  excludedRule: string | null;
  /** The round's MVP (games/etl/mvp.ts); null when nobody scores. */
  mvp: Mvp | null;
  players: ReturnType<typeof playerRowView>[];
}

/**
 * Shapes a stored round (players sorted by kills, then damage). One row per GUID, each under its
 * person's (or display) name (`who`, kv/etl/people.ts), the MVP too.
 */
export function roundView(
  r: StoredRound,
  sessionId: string,
  zoneOf: ZoneOf = UTC_ZONE,
  who: EtlWho = new EtlWho(),
): RoundView {
  const timeZone = zoneOf(r.serverId);
  const named = r.players.map((p) => ({ ...p, name: who.nameOf(p), nameRaw: who.nameOf(p, true) }));
  const players = named.map(playerRowView).sort((a, b) => b.kills - a.kills || b.damageGiven - a.damageGiven);
  return {
    id: r.id,
    sourceFile: r.fileName,
    map: r.map,
    round: r.round,
    status: r.status,
    differential: r.status === "paired",
    r1Id: r.r1Id,
    sessionId,
    playedAt: isoIn(r.playedAt, timeZone),
    timeZone,
    server: r.header.server,
    serverRaw: r.header.serverRaw,
    config: r.header.config,
    defender: r.header.defender,
    winner: r.header.winner,
    timeLimitS: r.header.timeLimitS,
    actualTimeS: r.header.actualTimeS,
    warnings: r.warnings,
    excludedReason: r.excluded?.reason ?? null,
    excludedRule: r.excluded?.rule ?? null,
    mvp: pickMvp(named),
    players,
  };
}

/** A round by id, shaped; null when unknown. */
export async function getRoundView(
  kv: Deno.Kv,
  id: string,
  zoneOf: ZoneOf = UTC_ZONE,
): Promise<RoundView | null> {
  const r = await getRound(kvReader(kv), id);
  return r ? roundView(r, await sessionIdOf(kv, r), zoneOf, await EtlWho.load(kvReader(kv))) : null;
}

/** Rounds newest first, `limit` per page; `cursor` continues where the last page ended. */
export async function listRounds(
  kv: Deno.Kv,
  opts: { limit: number; cursor?: string; zoneOf?: ZoneOf },
): Promise<{ rounds: RoundView[]; cursor: string | null }> {
  const iter = kv.list<RoundBrief>({ prefix: etlWhenPrefix() }, {
    reverse: true,
    limit: opts.limit,
    ...(opts.cursor ? { cursor: opts.cursor } : {}),
  });
  const briefs = await Array.fromAsync(iter, (e) => e.value);
  const rounds = await roundsById(kv, briefs.map((b) => b.id));
  // One walk back from the page's oldest round; the rest follow from the gaps within the page.
  const ascending = rounds.slice().reverse();
  const ids = new Map<string, string>();
  let current = ascending[0] ? await sessionIdOf(kv, ascending[0]) : "";
  ascending.forEach((r, i) => {
    if (i > 0 && r.wallMs - ascending[i - 1]!.wallMs >= SESSION_GAP_MS) current = r.stamp;
    ids.set(r.id, current);
  });
  const who = await EtlWho.load(kvReader(kv));
  const views = rounds.map((r) => roundView(r, ids.get(r.id)!, opts.zoneOf, who));
  // A full page may be the last one: look one entry ahead so the last page says cursor null.
  let cursor: string | null = briefs.length === opts.limit ? iter.cursor : null;
  if (cursor) {
    const next = await Array.fromAsync(
      kv.list({ prefix: etlWhenPrefix() }, { reverse: true, limit: 1, cursor }),
    );
    if (next.length === 0) cursor = null;
  }
  return { rounds: views, cursor };
}

async function roundsById(kv: Deno.Kv, ids: string[]): Promise<StoredRound[]> {
  return await getRounds(kvReader(kv), ids);
}

/** A map of a session as shown: the two rounds and the stopwatch result. */
export interface SessionMapView {
  map: string;
  r1Id: string | null;
  r2Id: string | null;
  result: MapResult | null;
  /** Over the map's counted rounds (R1 and R2 summed, as the map post): null when none scores. */
  mvp: Mvp | null;
}

/** A player's (person's) totals over a session (R1s and R2 differentials; orphans not counted). */
export interface SessionPlayerView {
  guid: string;
  /** Every GUID of the person that played in the session (`guid` is the first). */
  guids: string[];
  name: string;
  nameRaw: string;
  totals: EtlTotals;
  metrics: Record<string, number>;
}

/** A session as shown. */
export interface SessionView {
  id: string;
  /** The first round's and the last round's end, ISO 8601 with the offset of `timeZone`. */
  startedAt: string;
  endedAt: string;
  /** The IANA zone of the session's server, in which its times are shown. */
  timeZone: string;
  rounds: number;
  roundIds: string[];
  maps: SessionMapView[];
  score: SessionScore;
  players: SessionPlayerView[];
  /** From the first round's start (its end less its attack time) to the last round's end, in seconds. */
  durationS: number;
  /** Over the counted rounds. */
  mvp: Mvp | null;
  /** Rounds kept but not counted, with why. */
  excluded: { id: string; reason: string }[];
}

/**
 * Shapes a loaded session: maps with results, the team score, per-player totals by kills. A
 * person's GUIDs (`who`, kv/etl/people.ts) are one player and one MVP, under the person's name.
 */
export function sessionView(
  s: SessionDetail,
  zoneOf: ZoneOf = UTC_ZONE,
  who: EtlWho = new EtlWho(),
): SessionView {
  type Acc = { guids: string[]; name: string; nameRaw: string; at: number; rows: EtlPlayerRound[] };
  const rows = new Map<string, Acc>();
  for (const r of s.rounds) {
    if (!isCounted(r)) continue;
    for (const p of r.players) {
      const k = who.keyOf(p.guid),
        [name, nameRaw] = [who.nameOf(p), who.nameOf(p, true)];
      const cur = rows.get(k) ?? { guids: [], name, nameRaw, at: r.wallMs, rows: [] };
      if (r.wallMs >= cur.at) Object.assign(cur, { name, nameRaw, at: r.wallMs });
      if (!cur.guids.includes(p.guid)) cur.guids.push(p.guid);
      cur.rows.push(p);
      rows.set(k, cur);
    }
  }
  // MVP rows as the person: the GUID and name the players table shows.
  const asShown = (ps: EtlPlayerRound[]) =>
    ps.map((p) => {
      const v = rows.get(who.keyOf(p.guid));
      return v ? { ...p, guid: v.guids[0]!, name: v.name } : p;
    });
  const mvpOf = (rs: (StoredRound | null)[]) =>
    mvpOfRounds(rs.flatMap((r) => r && isCounted(r) ? [asShown(r.players)] : []));
  const players = [...rows.values()].map((v) => {
    const totals = totalsOf(v.rows);
    return {
      guid: v.guids[0]!,
      guids: v.guids,
      name: v.name,
      nameRaw: v.nameRaw,
      totals,
      metrics: metricValues(totals),
    };
  }).sort((a, b) => b.totals.kills - a.totals.kills || b.totals.damageGiven - a.totals.damageGiven);
  const first = s.rounds[0], last = s.rounds.at(-1);
  const timeZone = zoneOf(first?.serverId);
  return {
    id: s.id,
    startedAt: isoIn(first?.playedAt ?? "", timeZone),
    endedAt: isoIn(last?.playedAt ?? "", timeZone),
    timeZone,
    rounds: s.rounds.length,
    roundIds: s.rounds.map((r) => r.id),
    maps: s.maps.map((m) => ({
      map: m.map,
      r1Id: m.r1?.id ?? null,
      r2Id: m.r2?.id ?? null,
      result: m.r1 && m.r2 ? mapResult(m.r1.header, m.r2.header) : null,
      mvp: mvpOf([m.r1, m.r2]),
    })),
    score: sessionScore(s.maps.filter((m) => !m.r1?.excluded && !m.r2?.excluded), who),
    players,
    durationS: first && last
      ? Math.round((Date.parse(last.playedAt) - Date.parse(first.playedAt)) / 1000) +
        (first.header.actualTimeS || first.header.timeLimitS)
      : 0,
    mvp: mvpOf(s.rounds),
    excluded: s.rounds.filter((r) => r.excluded).map((r) => ({ id: r.id, reason: r.excluded!.reason })),
  };
}

/** A session by id, shaped; null when unknown. */
export async function getSessionView(
  kv: Deno.Kv,
  id: string,
  zoneOf: ZoneOf = UTC_ZONE,
): Promise<SessionView | null> {
  const s = await getSession(kv, id);
  return s ? sessionView(s, zoneOf, await EtlWho.load(kvReader(kv))) : null;
}

/**
 * Sessions newest first: id, start (ISO with the offset of `timeZone`), the server's zone, the
 * day (server time), round count, maps played. `startWallMs`/`endWallMs` are the wall-clock
 * times read as UTC (what the session id says), kept for older clients.
 */
export async function listSessionViews(kv: Deno.Kv, limit: number, zoneOf: ZoneOf = UTC_ZONE) {
  const all = await listSessions(kv);
  return all.reverse().slice(0, limit).map((s) => {
    const timeZone = zoneOf(s.rounds[0]?.serverId);
    return {
      id: s.id,
      startedAt: zonedIso(wallToInstant(s.startWallMs, timeZone), timeZone),
      endedAt: zonedIso(wallToInstant(s.endWallMs, timeZone), timeZone),
      timeZone,
      startWallMs: s.startWallMs,
      endWallMs: s.endWallMs,
      day: wallDay(s.startWallMs),
      rounds: s.rounds.length,
      maps: [...new Set(s.rounds.map((r) => r.map))],
    };
  });
}

/**
 * A player's page: totals with metrics, per map, and the recent rounds (form). A GUID an admin
 * merged into a person shows the person: every GUID's rounds, under the person's name.
 */
export async function getPlayerView(kv: Deno.Kv, guid: string, zoneOf: ZoneOf = UTC_ZONE) {
  const r = kvReader(kv);
  const person = await etlPersonOf(r, guid);
  const guids = person ? person.guids : [guid];
  const found = (await getEtlPlayers(r, guids)).filter((p) => p !== null);
  if (!found.some((p) => p.guid === guid)) return null;
  const [p] = combinePool(
    found.map((x) => ({ p: x, t: x.totals })),
    new Map(
      person ? guids.map((g) => [g, person]) : [],
    ),
  ).map((x) => x.p);
  const rows = (await Promise.all(found.map((x) => playerRounds(r, x.guid)))).flat();
  if (found.length > 1) rows.sort((a, b) => Date.parse(a.playedAt) - Date.parse(b.playedAt));
  const perMap = new Map<string, EtlTotals>();
  for (const e of rows) {
    const t = perMap.get(e.map) ?? zeroTotals();
    addStats(t, e.row);
    t.rounds++;
    perMap.set(e.map, t);
  }
  const newest = rows.at(-1);
  const timeZone = zoneOf(newest ? serverOfRoundId(newest.roundId) : undefined);
  const at = (e: { roundId: string; playedAt: string }) =>
    isoIn(e.playedAt, zoneOf(serverOfRoundId(e.roundId)));
  return {
    guid: p!.guid,
    name: p!.name,
    nameRaw: p!.nameRaw,
    // The newest name in the files, when a display name (/et name) shows instead.
    ...(p!.gameName ? { gameName: p!.gameName } : {}),
    ...(person ? { personId: person.personId, guids: p!.guids } : {}),
    firstPlayedAt: rows[0] ? at(rows[0]) : isoIn(p!.lastPlayedAt, timeZone),
    lastPlayedAt: isoIn(p!.lastPlayedAt, timeZone),
    timeZone, // the zone of the newest round's server
    totals: p!.totals,
    metrics: metricValues(p!.totals),
    maps: [...perMap].map(([map, t]) => ({ map, totals: t, metrics: metricValues(t) }))
      .sort((a, b) => b.totals.rounds - a.totals.rounds),
    rounds: rows.slice(-50).reverse().map((e) => ({
      roundId: e.roundId,
      map: e.map,
      round: e.round,
      playedAt: at(e),
      kills: e.row.kills,
      deaths: e.row.deaths,
      damageGiven: e.row.damageGiven,
      timePlayedS: e.row.timePlayedS,
      metrics: metricValues({ ...e.row, rounds: 1 }),
    })),
  };
}
