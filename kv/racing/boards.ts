/**
 * Leaderboards: one entry per driver (their best lap) under a key whose order is the ranking,
 * plus per-second and per-millisecond counts so that a rank is two gets, not a scan.
 */
import type { CarInfo, DriverRef } from "@/games/racing/types.ts";
import {
  type Board,
  boardCountKey,
  boardEntryKey,
  boardLapPrefix,
  boardPrefix,
  boardSecondCountKey,
} from "@/kv/racing/keys.ts";
import type { KvReader } from "@/kv/reader.ts";
import type { KvTxn } from "@/kv/txn.ts";
import { compareKeys } from "@/kv/txn.ts";

/** Where an entry sits on a board: lap time, then who drove it first. */
export interface BoardPosition {
  lapMs: number;
  setAtMs: number;
  seq: number;
  driverId: string;
}

/** A driver's best lap on a board. */
export interface BoardEntry extends BoardPosition {
  driver: DriverRef;
  car: CarInfo;
  sessionId: string;
  splitsMs: number[];
}

/** Entry counts of a board, per whole second of lap time. */
export interface BoardCounts {
  total: number;
  /** Packed [second, count] pairs sorted by second: typed arrays load in one copy. */
  seconds: Uint32Array;
  /** The board's first entry (the record), kept so that "gap to record" needs no extra read. */
  record: BoardPosition | null;
}

/** True when `a` ranks ahead of `b` (a tie goes to the lap driven first). */
export function isAhead(a: BoardPosition, b: BoardPosition): boolean {
  if (a.lapMs !== b.lapMs) return a.lapMs < b.lapMs;
  if (a.setAtMs !== b.setAtMs) return a.setAtMs < b.setAtMs;
  if (a.seq !== b.seq) return a.seq < b.seq;
  return a.driverId < b.driverId;
}

/** True when two positions are the same entry (same lap, time, order and driver). */
export function samePosition(a: BoardPosition, b: BoardPosition): boolean {
  return a.lapMs === b.lapMs && a.setAtMs === b.setAtMs && a.seq === b.seq && a.driverId === b.driverId;
}

function entryKey(b: Board, p: BoardPosition) {
  return boardEntryKey(b, p.lapMs, p.setAtMs, p.seq, p.driverId);
}

/** Adds `delta` to `key` in a packed [key, count] histogram; null when it becomes empty. */
export function histAdd(h: Uint32Array | null, key: number, delta: 1 | -1): Uint32Array | null {
  const pairs = h ? h.length / 2 : 0;
  let i = 0;
  while (i < pairs && h![2 * i]! < key) i++;
  const found = i < pairs && h![2 * i] === key;
  const count = (found ? h![2 * i + 1]! : 0) + delta;
  if (count > 0 && found) {
    const out = h!.slice();
    out[2 * i + 1] = count;
    return out;
  }
  if (count > 0) {
    const out = new Uint32Array(2 * pairs + 2);
    if (h) out.set(h.subarray(0, 2 * i), 0);
    out[2 * i] = key;
    out[2 * i + 1] = count;
    if (h) out.set(h.subarray(2 * i), 2 * i + 2);
    return out;
  }
  if (!found) return h;
  if (pairs === 1) return null;
  const out = new Uint32Array(2 * pairs - 2);
  out.set(h!.subarray(0, 2 * i), 0);
  out.set(h!.subarray(2 * i + 2), 2 * i);
  return out;
}

/** In a packed histogram: the total count of keys below `key`, and the count at `key`. */
export function histBelow(h: Uint32Array | null, key: number): { below: number; same: number } {
  let below = 0;
  if (!h) return { below, same: 0 };
  for (let i = 0; i < h.length; i += 2) {
    if (h[i]! < key) below += h[i + 1]!;
    else return { below, same: h[i] === key ? h[i + 1]! : 0 };
  }
  return { below, same: 0 };
}

async function adjustCounts(txn: KvTxn, b: Board, p: BoardPosition, delta: 1 | -1): Promise<void> {
  const lapMs = p.lapMs;
  const sec = Math.floor(lapMs / 1000);
  const ms = lapMs % 1000;
  const counts = await txn.get<BoardCounts>(boardCountKey(b));
  let record = counts?.record ?? null;
  if (delta === 1 && (!record || isAhead(p, record))) {
    record = { lapMs: p.lapMs, setAtMs: p.setAtMs, seq: p.seq, driverId: p.driverId };
  } else if (delta === -1 && record && samePosition(record, p)) {
    record = null;
  }
  const seconds = histAdd(counts?.seconds ?? null, sec, delta);
  const total = (counts?.total ?? 0) + delta;
  if (seconds && total > 0) txn.set(boardCountKey(b), { total, seconds, record } satisfies BoardCounts);
  else txn.delete(boardCountKey(b));

  const perMs = histAdd(await txn.get<Uint32Array>(boardSecondCountKey(b, sec)), ms, delta);
  if (perMs) txn.set(boardSecondCountKey(b, sec), perMs);
  else txn.delete(boardSecondCountKey(b, sec));
}

/**
 * Puts an entry on a board. The caller removes the driver's previous entry first. `fresh: false`
 * when the key may exist in the store (a regrouping puts back an entry it took off).
 */
export async function addBoardEntry(
  txn: KvTxn,
  b: Board,
  entry: BoardEntry,
  opts: { fresh?: boolean } = {},
): Promise<void> {
  // Entry keys hold the lap, the time and the driver: unique to an import's write.
  txn.set(entryKey(b, entry), entry, { fresh: opts.fresh ?? true });
  await adjustCounts(txn, b, entry, 1);
}

/** Takes an entry off a board. */
export async function removeBoardEntry(txn: KvTxn, b: Board, p: BoardPosition): Promise<void> {
  txn.delete(entryKey(b, p));
  await adjustCounts(txn, b, p, -1);
}

/** The top `limit` entries of a board: one bounded range read. */
export async function topOfBoard(r: KvReader, b: Board, limit: number): Promise<BoardEntry[]> {
  return (await r.list<BoardEntry>(boardPrefix(b), limit)).map((e) => e.value);
}

/** The position of a board's record (its first entry), or null when the board is empty. */
export async function boardRecord(r: KvReader, b: Board): Promise<BoardPosition | null> {
  const counts = await r.get<BoardCounts>(boardCountKey(b));
  if (!counts || counts.total === 0) return null;
  if (counts.record) return counts.record;
  return (await topOfBoard(r, b, 1))[0] ?? null;
}

/** Rank (1-based) of an entry that is on its board, how many entries the board has, and its record. */
export interface Rank {
  rank: number;
  of: number;
  recordMs: number | null;
}

/**
 * Ranks of entries already on their boards. Costs two gets per entry (batched) plus a short
 * range read only where another entry has exactly the same lap time.
 */
export async function ranksOf(r: KvReader, items: { board: Board; pos: BoardPosition }[]): Promise<Rank[]> {
  const keys: Deno.KvKey[] = [];
  for (const { board, pos } of items) {
    keys.push(boardCountKey(board), boardSecondCountKey(board, Math.floor(pos.lapMs / 1000)));
  }
  const values = await r.getMany<BoardCounts | Uint32Array>(keys);
  return await Promise.all(items.map(async ({ board, pos }, i) => {
    const counts = values[2 * i] as BoardCounts | null;
    const perMs = values[2 * i + 1] as Uint32Array | null;
    if (!counts) return { rank: 1, of: 0, recordMs: null };
    const inSeconds = histBelow(counts.seconds, Math.floor(pos.lapMs / 1000));
    const inMs = histBelow(perMs, pos.lapMs % 1000);
    let below = inSeconds.below + inMs.below;
    const same = inMs.same;
    if (same > 1) {
      const mine = entryKey(board, pos);
      const ties = await r.list<BoardEntry>(boardLapPrefix(board, pos.lapMs), same);
      below += ties.filter((t) => compareKeys(t.key, mine) < 0).length;
    }
    let recordMs = counts.record?.lapMs ?? null;
    if (recordMs === null && counts.total > 0) recordMs = (await topOfBoard(r, board, 1))[0]?.lapMs ?? null;
    return { rank: below + 1, of: counts.total, recordMs };
  }));
}
