/**
 * Reads across tracks for the site: the boards a track has, the latest sessions and the newest
 * records. Each is bounded by the number of tracks (tens), not by laps or drivers.
 */
import type { RacingGame, SessionKind } from "@/games/racing/types.ts";
import { type Board, sessionKey, trackCountsPrefix, trackSessionsPrefix } from "@/kv/racing/keys.ts";
import { type BoardCounts, type BoardEntry, type BoardPosition, topOfBoard } from "@/kv/racing/boards.ts";
import type { StoredSession } from "@/kv/racing/sessions.ts";
import type { TrackSummary } from "@/kv/racing/tracks.ts";
import { kvReader } from "@/kv/reader.ts";

/** A board of a track with its size and record holder's position. */
export interface BoardSummary {
  board: Board;
  total: number;
  record: BoardPosition | null;
}

/**
 * Every board of a track (kinds and classes) with its size and record. A board's counts key is
 * followed in key order by its per-second count keys (large: a histogram per second of lap
 * time), so this skips over those: one single-key range read per board, not a scan of them all.
 */
export async function trackBoards(kv: Deno.Kv, game: RacingGame, track: string): Promise<BoardSummary[]> {
  const prefix = trackCountsPrefix(game, track);
  const out: BoardSummary[] = [];
  // Every key of the track's boards has a string kind after the prefix: "" is before them all,
  // `true` after them all (Deno KV orders bytes < strings < numbers < bigints < booleans).
  let start: Deno.KvKey = [...prefix, ""];
  const end: Deno.KvKey = [...prefix, true];
  for (;;) {
    const [e] = await Array.fromAsync(kv.list<unknown>({ start, end }, { limit: 1 }));
    if (!e) return out;
    const [kind, cls] = [e.key[3] as SessionKind, e.key[4] as string];
    // ["board_count", game, track, kind, cls] holds the board's counts; longer keys are per second.
    if (e.key.length === 5) {
      const counts = e.value as BoardCounts;
      out.push({ board: { game, track, kind, cls }, total: counts.total, record: counts.record });
    }
    // The first key after every key that starts with [..., kind, cls].
    start = [...prefix, kind, `${cls}\u0000`];
  }
}

/** The `limit` most recently finished sessions over all tracks, newest first (headers only). */
export async function latestSessions(
  kv: Deno.Kv,
  tracks: TrackSummary[],
  limit: number,
): Promise<StoredSession[]> {
  const perTrack = await Promise.all(tracks.map((t) =>
    Array.fromAsync(
      kv.list({ prefix: trackSessionsPrefix(t.game, t.track) }, { limit, reverse: true }),
      (e) => ({ at: e.key[3] as number, id: e.key[4] as string }),
    )
  ));
  const newest = perTrack.flat().sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).slice(0, limit);
  const headers = await kvReader(kv).getMany<StoredSession>(newest.map((s) => sessionKey(s.id)));
  return headers.filter((h): h is StoredSession => h !== null);
}

/** A board's record with where it was set. */
export interface RecordHolder {
  board: Board;
  trackName: string;
  entry: BoardEntry;
  of: number;
}

/** The `limit` most recently set records (overall boards of Q and R), newest first. */
export async function newestRecords(
  kv: Deno.Kv,
  tracks: TrackSummary[],
  limit: number,
): Promise<RecordHolder[]> {
  const boards = (await Promise.all(tracks.map((t) => trackBoards(kv, t.game, t.track)))).flat()
    .filter((b) => b.board.cls === "all" && b.board.kind !== "FP" && b.record !== null)
    .sort((a, b) => b.record!.setAtMs - a.record!.setAtMs)
    .slice(0, limit);
  const names = new Map(tracks.map((t) => [`${t.game}/${t.track}`, t.name]));
  const r = kvReader(kv);
  const tops = await Promise.all(boards.map((b) => topOfBoard(r, b.board, 1)));
  return boards.flatMap((b, i) => {
    const entry = tops[i]![0];
    const trackName = names.get(`${b.board.game}/${b.board.track}`) ?? b.board.track;
    return entry ? [{ board: b.board, trackName, entry, of: b.total }] : [];
  });
}
