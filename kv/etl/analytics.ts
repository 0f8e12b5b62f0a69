/**
 * ET:Legacy head-to-head and form reads for `/et rank|matchup|duo|nemesis|consistency|weapons|
 * trends` and the site: each a function of the stored rounds (counted ones only), endstats and
 * players' totals, shaped the same for Discord and the web. A person's GUIDs (an admin merged them,
 * kv/etl/people.ts) count as one player: their rows added together, other people named once.
 */
import { type EtlTotals, METRICS, qualifies } from "@/games/etl/metrics.ts";
import { addStats, type EtlPlayerRound } from "@/games/etl/stats.ts";
import { WEAPONS } from "@/games/etl/parser.ts";
import { etlEndstatsKey } from "@/kv/etl/keys.ts";
import { nameResolver, type StoredEndstats } from "@/kv/etl/endstats.ts";
import { listEtlPlayers, playerRounds, zeroTotals } from "@/kv/etl/players.ts";
import { getRounds } from "@/kv/etl/rounds.ts";
import { allRoundBriefs, groupSessions, stampOfId } from "@/kv/etl/sessions.ts";
import type { StoredRound } from "@/kv/etl/types.ts";
import { type KvReader, kvReader } from "@/kv/reader.ts";
import { combinePlayers, etlPeople, EtlWho } from "@/kv/etl/people.ts";
import type { EtlPlayerRoundEntry } from "@/kv/etl/types.ts";

/** A player's place in one leaderboard (all time). */
export interface RankRow {
  metric: string;
  label: string;
  /** 1-based; null when the player does not qualify (too few rounds or shots). */
  rank: number | null;
  of: number;
  display: string;
}

/**
 * `/et rank`: the player's place in every leaderboard, from one read of all players' totals (a
 * person's GUIDs counted once, as on the leaderboards).
 */
export async function playerRanks(kv: Deno.Kv, guid: string): Promise<RankRow[] | null> {
  const r = kvReader(kv);
  const players = combinePlayers(await listEtlPlayers(r), await etlPeople(r));
  const me = players.find((p) => p.guids.includes(guid));
  if (!me) return null;
  return METRICS.map((m) => {
    const pool = players.filter((p) => qualifies(m, p.totals));
    const v = m.value(me.totals);
    const ok = qualifies(m, me.totals);
    // Ties share the better place, as the leaderboard's order puts them next to each other.
    const rank = ok ? 1 + pool.filter((p) => m.value(p.totals) > v).length : null;
    return { metric: m.id, label: m.label, rank, of: pool.length, display: m.format(v) };
  });
}

/** Who is who: the one given, or loaded (one list of the grouped GUIDs). */
const whoOf = async (kv: Deno.Kv, who?: EtlWho) => who ?? await EtlWho.load(kvReader(kv));

/** A person's rows over all their GUIDs, oldest first (as the player page adds them). */
async function personRounds(r: KvReader, guids: string[]): Promise<EtlPlayerRoundEntry[]> {
  const all = (await Promise.all(guids.map((g) => playerRounds(r, g)))).flat();
  return guids.length === 1 ? all : all.sort((x, y) => Date.parse(x.playedAt) - Date.parse(y.playedAt));
}

/** The distinct round ids of some rows. */
const roundIds = (rows: EtlPlayerRoundEntry[]) => [...new Set(rows.map((e) => e.roundId))];

/** Rounds both players (people: any of their GUIDs) were counted in, with each one's row. */
async function sharedRounds(kv: Deno.Kv, who: EtlWho, a: string, b: string) {
  const r = kvReader(kv);
  const [ga, gb] = [new Set(who.guidsOf(a)), new Set(who.guidsOf(b))];
  const [ra, rb] = await Promise.all([personRounds(r, [...ga]), personRounds(r, [...gb])]);
  const inB = new Set(rb.map((e) => e.roundId));
  const rounds = await getRounds(r, roundIds(ra.filter((e) => inB.has(e.roundId))));
  return rounds.map((round) => ({
    round,
    pa: round.players.find((p) => ga.has(p.guid))!,
    pb: round.players.find((p) => gb.has(p.guid))!,
  })).filter((x) => x.pa && x.pb);
}

const onTeam = (p: EtlPlayerRound) => p.team === 1 || p.team === 2;

function sum(rows: EtlPlayerRound[]): EtlTotals {
  const t = zeroTotals();
  for (const r of rows) {
    addStats(t, r);
    t.rounds++;
  }
  return t;
}

/** Endstats of some rounds, by round id (one batched read). */
async function endstatsOf(kv: Deno.Kv, ids: string[]): Promise<Map<string, StoredEndstats>> {
  const found = await kvReader(kv).getMany<StoredEndstats>(ids.map(etlEndstatsKey));
  const out = new Map<string, StoredEndstats>();
  found.forEach((e, i) => e && out.set(ids[i]!, e));
  return out;
}

/** VS rows of one round, GUIDs resolved: `killer` killed `victim` `n` times (each pair once). */
function kills(es: StoredEndstats, round: StoredRound): { killer: string; victim: string; n: number }[] {
  const guidOf = nameResolver(round.players);
  const seen = new Map<string, number>();
  for (const v of es.vs) {
    const of = v.of === null ? null : guidOf(v.of), other = guidOf(v.name);
    if (!of || !other || of === other) continue;
    // A row in X's block says X killed Y `kills` times and Y killed X `deaths` times; Y's own
    // block repeats it mirrored, so each direction is taken once.
    if (!seen.has(`${of}>${other}`)) seen.set(`${of}>${other}`, v.kills);
    if (!seen.has(`${other}>${of}`)) seen.set(`${other}>${of}`, v.deaths);
  }
  return [...seen].map(([k, n]) => {
    const [killer, victim] = k.split(">") as [string, string];
    return { killer, victim, n };
  });
}

/**
 * `/et matchup a b`: rounds against each other (wins, each one's stats there), kills from VS stats.
 * Two GUIDs of one person are for the caller to refuse (`EtlWho.same`); here they share nothing.
 */
export async function matchup(kv: Deno.Kv, a: string, b: string, who?: EtlWho) {
  who = await whoOf(kv, who);
  const shared = await sharedRounds(kv, who, a, b);
  const against = shared.filter((x) => onTeam(x.pa) && onTeam(x.pb) && x.pa.team !== x.pb.team);
  const wins = (g: "pa" | "pb") => against.filter((x) => x.round.header.winner === x[g].team).length;
  const es = await endstatsOf(kv, shared.map((x) => x.round.id));
  let aKillsB = 0, bKillsA = 0, vsRounds = 0;
  for (const x of shared) {
    const e = es.get(x.round.id);
    if (!e) continue;
    vsRounds++;
    for (const k of kills(e, x.round)) {
      const [killer, victim] = [who.keyOf(k.killer), who.keyOf(k.victim)];
      if (killer === who.keyOf(a) && victim === who.keyOf(b)) aKillsB += k.n;
      if (killer === who.keyOf(b) && victim === who.keyOf(a)) bKillsA += k.n;
    }
  }
  return {
    together: shared.length - against.length,
    against: against.length,
    winsA: wins("pa"),
    winsB: wins("pb"),
    a: sum(against.map((x) => x.pa)),
    b: sum(against.map((x) => x.pb)),
    vs: { rounds: vsRounds, aKillsB, bKillsA },
  };
}

/** `/et duo a b`: rounds on the same team, their win rate and combined stats. */
export async function duo(kv: Deno.Kv, a: string, b: string, who?: EtlWho) {
  const same = (await sharedRounds(kv, await whoOf(kv, who), a, b)).filter((x) =>
    onTeam(x.pa) && x.pa.team === x.pb.team
  );
  const decided = same.filter((x) => x.round.header.winner === 1 || x.round.header.winner === 2);
  const won = decided.filter((x) => x.round.header.winner === x.pa.team).length;
  return {
    rounds: same.length,
    won,
    lost: decided.length - won,
    combined: sum(same.flatMap((x) => [x.pa, x.pb])),
    a: sum(same.map((x) => x.pa)),
    b: sum(same.map((x) => x.pb)),
  };
}

/**
 * `/et nemesis`: from the VS stats of the player's rounds (every GUID of their person), who killed
 * them most and whom they killed most, a person once under the person's name.
 */
export async function nemesis(kv: Deno.Kv, guid: string, who?: EtlWho) {
  const r = kvReader(kv);
  who = await whoOf(kv, who);
  const me = who.keyOf(guid);
  const ids = roundIds(await personRounds(r, who.guidsOf(guid)));
  const es = await endstatsOf(kv, ids);
  const rounds = await getRounds(r, [...es.keys()]);
  const killedBy = new Map<string, number>(), killed = new Map<string, number>();
  // By person key: the name to show and a GUID that played (the one pages open).
  const shown = new Map<string, { guid: string; name: string }>();
  for (const round of rounds) {
    for (const p of round.players) {
      const k = who.keyOf(p.guid);
      shown.set(k, { guid: shown.get(k)?.guid ?? p.guid, name: who.nameOf(p) });
    }
    for (const k of kills(es.get(round.id)!, round)) {
      const [killer, victim] = [who.keyOf(k.killer), who.keyOf(k.victim)];
      if (killer === victim) continue;
      if (victim === me) killedBy.set(killer, (killedBy.get(killer) ?? 0) + k.n);
      if (killer === me) killed.set(victim, (killed.get(victim) ?? 0) + k.n);
    }
  }
  const top = (m: Map<string, number>) =>
    [...m].filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 5)
      .map(([g, n]) => ({ guid: shown.get(g)?.guid ?? g, name: shown.get(g)?.name ?? g, n }));
  return { rounds: rounds.length, killedBy: top(killedBy), killed: top(killed) };
}

/** Mean and standard deviation. */
function spread(xs: number[]): { mean: number; sd: number; cv: number } {
  if (xs.length === 0) return { mean: 0, sd: 0, cv: 0 };
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
  return { mean, sd, cv: mean ? sd / mean : 0 };
}

/** `/et consistency`: the spread of DPM and K/D over the player's (person's) rounds of a minute or more. */
export async function consistency(kv: Deno.Kv, guid: string, who?: EtlWho) {
  const guids = (await whoOf(kv, who)).guidsOf(guid);
  const rows = (await personRounds(kvReader(kv), guids)).filter((e) => e.row.timePlayedS >= 60);
  return {
    rounds: rows.length,
    dpm: spread(rows.map((e) => (e.row.damageGiven * 60) / e.row.timePlayedS)),
    kd: spread(rows.map((e) => (e.row.deaths ? e.row.kills / e.row.deaths : e.row.kills))),
  };
}

/** One weapon's sums for a player. */
export interface WeaponRow {
  id: number;
  weapon: string;
  kills: number;
  deaths: number;
  hits: number;
  shots: number;
  headshots: number;
  accuracy: number;
}

/** `/et weapons`: per-weapon kills, deaths, accuracy and head hits over the player's (person's) counted rounds. */
export async function playerWeapons(kv: Deno.Kv, guid: string, who?: EtlWho): Promise<WeaponRow[]> {
  const r = kvReader(kv);
  const guids = new Set((await whoOf(kv, who)).guidsOf(guid));
  const rounds = await getRounds(r, roundIds(await personRounds(r, [...guids])));
  const by = new Map<number, WeaponRow>();
  for (const round of rounds) {
    const rows = round.players.filter((x) => guids.has(x.guid));
    for (const [id, hits, shots, k, d, hs] of rows.flatMap((p) => p.weapons ?? [])) {
      const w = by.get(id) ??
        {
          id,
          weapon: WEAPONS[id] ?? `weapon ${id}`,
          kills: 0,
          deaths: 0,
          hits: 0,
          shots: 0,
          headshots: 0,
          accuracy: 0,
        };
      w.kills += k;
      w.deaths += d;
      w.hits += hits;
      w.shots += shots;
      w.headshots += hs;
      by.set(id, w);
    }
  }
  return [...by.values()].map((w) => ({
    ...w,
    accuracy: w.shots ? Math.round((w.hits * 1000) / w.shots) / 10 : 0,
  }))
    .sort((x, y) => y.kills - x.kills || y.shots - x.shots);
}

/** One session of a player's form. */
export interface FormPoint {
  sessionId: string;
  rounds: number;
  kills: number;
  deaths: number;
  kd: number;
  dpm: number;
}

/** `/et trends`: the player's (person's) K/D and DPM in each of their last `n` sessions, oldest first. */
export async function playerTrends(kv: Deno.Kv, guid: string, n = 10, who?: EtlWho): Promise<FormPoint[]> {
  const guids = (await whoOf(kv, who)).guidsOf(guid);
  const [rows, briefs] = await Promise.all([personRounds(kvReader(kv), guids), allRoundBriefs(kv)]);
  const sessionOf = new Map<string, string>();
  for (const s of groupSessions(briefs, (b) => stampOfId(b.id))) {
    for (const b of s.rounds) sessionOf.set(b.id, s.id);
  }
  const by = new Map<string, EtlPlayerRound[]>();
  for (const e of rows) {
    const sid = sessionOf.get(e.roundId);
    if (!sid) continue;
    const list = by.get(sid) ?? [];
    list.push(e.row as EtlPlayerRound);
    by.set(sid, list);
  }
  return [...by].sort((x, y) => (x[0] < y[0] ? -1 : 1)).slice(-n).map(([sessionId, list]) => {
    const t = sum(list);
    return {
      sessionId,
      rounds: t.rounds,
      kills: t.kills,
      deaths: t.deaths,
      kd: Math.round((t.deaths ? t.kills / t.deaths : t.kills) * 100) / 100,
      dpm: Math.round(t.timePlayedS ? (t.damageGiven * 60) / t.timePlayedS : 0),
    };
  });
}
