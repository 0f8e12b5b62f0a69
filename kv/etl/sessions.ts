/**
 * Gaming sessions: runs of rounds with no gap of 60 minutes or more, over the wall-clock times of
 * all stored rounds in time order. Nothing is stored per session: a session is read off the time
 * index, so importing rounds in any order gives the same sessions (Slomix assigns an id at import
 * against the last imported round, and a backfill breaks it). A session's id is its first round's
 * timestamp, `2025-10-19-212643`.
 */
import { type MapResult, mapResult } from "@/games/etl/stopwatch.ts";
import { etlWhenPrefix } from "@/kv/etl/keys.ts";
import { getRounds } from "@/kv/etl/rounds.ts";
import { kvReader } from "@/kv/reader.ts";
import type { KvTxn } from "@/kv/txn.ts";
import type { RoundBrief, StoredRound } from "@/kv/etl/types.ts";

/** A gap this long (or longer) between two rounds ends a session. */
export const SESSION_GAP_MS = 60 * 60_000;

/** A session as listed. */
export interface SessionBrief {
  id: string;
  startWallMs: number;
  endWallMs: number;
  rounds: RoundBrief[];
}

/** Splits rounds in time order into sessions. */
export function groupSessions(rounds: RoundBrief[], stampOf: (b: RoundBrief) => string): SessionBrief[] {
  const out: SessionBrief[] = [];
  let cur: SessionBrief | null = null;
  for (const b of rounds) {
    if (!cur || b.wallMs - cur.endWallMs >= SESSION_GAP_MS) {
      cur = { id: stampOf(b), startWallMs: b.wallMs, endWallMs: b.wallMs, rounds: [] };
      out.push(cur);
    }
    cur.rounds.push(b);
    cur.endWallMs = b.wallMs;
  }
  return out;
}

/** The stamp part of a round id (`2025-10-19-212643`). */
export function stampOfId(id: string): string {
  const m = /(\d{4}-\d{2}-\d{2}-\d{6})-/.exec(id);
  return m ? m[1]! : id;
}

const byStamp = (b: RoundBrief) => stampOfId(b.id);

/** Every round in time order (the whole time index; small values). */
export async function allRoundBriefs(kv: Deno.Kv): Promise<RoundBrief[]> {
  return await Array.fromAsync(kv.list<RoundBrief>({ prefix: etlWhenPrefix() }), (e) => e.value);
}

/** All sessions, oldest first. */
export async function listSessions(kv: Deno.Kv): Promise<SessionBrief[]> {
  return groupSessions(await allRoundBriefs(kv), byStamp);
}

/**
 * The session a round belongs to: walks the time index back from the round until a gap of
 * 60 minutes, so it reads one session's worth of keys, not the whole index.
 */
export async function sessionIdOf(
  kv: Deno.Kv,
  round: { id: string; wallMs: number; stamp: string },
): Promise<string> {
  const iter = kv.list<RoundBrief>({
    prefix: etlWhenPrefix(),
    end: ["etl_when", dayOf(round.wallMs), round.wallMs, round.id],
  }, {
    reverse: true,
  });
  return await sessionStart(iter, round.stamp, round.wallMs);
}

/** The walk back: the stamp of the earliest round before a 60-minute gap (`earlier`: newest first). */
async function sessionStart(
  earlier: AsyncIterable<{ value: RoundBrief }> | Iterable<{ value: RoundBrief }>,
  stamp: string,
  wallMs: number,
): Promise<string> {
  let first = stamp;
  let prevMs = wallMs;
  for await (const { value: b } of earlier) {
    if (prevMs - b.wallMs >= SESSION_GAP_MS) break;
    first = byStamp(b);
    prevMs = b.wallMs;
  }
  return first;
}

/**
 * `sessionIdOf()` inside a transaction (the completion of a stored round): the same walk back
 * over the time index, read day by day (the round's day and up to two before it).
 */
export async function sessionIdIn(
  txn: KvTxn,
  round: { id: string; wallMs: number },
): Promise<string> {
  const briefs: { value: RoundBrief }[] = [];
  for (const back of [2, 1, 0]) {
    briefs.push(
      ...await txn.list<RoundBrief>(etlWhenPrefix(dayOf(round.wallMs - back * 86_400_000)), 10_000),
    );
  }
  const earlier = briefs.filter(({ value: b }) =>
    b.wallMs < round.wallMs || (b.wallMs === round.wallMs && b.id < round.id)
  );
  return await sessionStart(earlier.reverse(), stampOfId(round.id), round.wallMs);
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** One map of a session: an R1 and (when it came) its R2, with the stopwatch result. */
export interface SessionMap {
  map: string;
  r1: StoredRound | null;
  r2: StoredRound | null;
  result: MapResult | null;
}

/** A session with its rounds loaded and its maps paired. */
export interface SessionDetail {
  id: string;
  startWallMs: number;
  endWallMs: number;
  rounds: StoredRound[];
  maps: SessionMap[];
}

/**
 * A session by id, with its rounds and maps; null when no session starts with that round. Reads
 * the time index from the session's first round to the first gap of 60 minutes (and the one entry
 * before it), not the whole index.
 */
export async function getSession(kv: Deno.Kv, id: string): Promise<SessionDetail | null> {
  if (!/^\d{4}-\d{2}-\d{2}-\d{6}$/.test(id)) return null;
  const rounds: RoundBrief[] = [];
  let first: Deno.KvKey | null = null;
  for await (
    const e of kv.list<RoundBrief>({
      start: [...etlWhenPrefix(id.slice(0, 10))],
      end: [...etlWhenPrefix(), "\uffff"],
    })
  ) {
    const b = e.value;
    if (!first) {
      if (byStamp(b) !== id) continue;
      first = e.key;
    } else if (b.wallMs - rounds.at(-1)!.wallMs >= SESSION_GAP_MS) break;
    rounds.push(b);
  }
  if (!first) return null;
  // The round before must be a gap away, or `id` is not where a session starts.
  const [before] = await Array.fromAsync(
    kv.list<RoundBrief>({ prefix: etlWhenPrefix(), end: first }, { reverse: true, limit: 1 }),
    (e) => e.value,
  );
  if (before && rounds[0]!.wallMs - before.wallMs < SESSION_GAP_MS) return null;
  return await loadSession(kv, {
    id,
    startWallMs: rounds[0]!.wallMs,
    endWallMs: rounds.at(-1)!.wallMs,
    rounds,
  });
}

/** Loads a listed session's rounds and pairs its maps. */
export async function loadSession(kv: Deno.Kv, s: SessionBrief): Promise<SessionDetail> {
  const rounds = await getRounds(kvReader(kv), s.rounds.map((b) => b.id));
  const byId = new Map(rounds.map((r) => [r.id, r]));
  const maps: SessionMap[] = [];
  const pairedR1 = new Set<string>();
  for (const r of rounds) {
    if (r.round === 2 && r.status === "paired" && r.r1Id) {
      const r1 = byId.get(r.r1Id) ?? null;
      pairedR1.add(r.r1Id);
      maps.push({ map: r.map, r1, r2: r, result: r1 ? mapResult(r1.header, r.header) : null });
    }
  }
  for (const r of rounds) {
    if (r.round === 1 && !pairedR1.has(r.id)) maps.push({ map: r.map, r1: r, r2: null, result: null });
  }
  maps.sort((a, b) => (a.r1 ?? a.r2)!.wallMs - (b.r1 ?? b.r2)!.wallMs);
  return { id: s.id, startWallMs: s.startWallMs, endWallMs: s.endWallMs, rounds, maps };
}
