/** The two questions people ask most: who is fastest here, and how am I doing everywhere. */
import type { CarInfo, RacingGame, SessionKind } from "@/games/racing/types.ts";
import { type Board, boardCountKey } from "@/kv/racing/keys.ts";
import { changesStamp } from "@/kv/changes.ts";
import { type BoardCounts, ranksOf, topOfBoard } from "@/kv/racing/boards.ts";
import { type DriverProfile, listDriverTracks, type PbStep, theoreticalBestMs } from "@/kv/racing/drivers.ts";
import type { KvReader } from "@/kv/reader.ts";
import type { RankCache } from "@/kv/racing/rank_cache.ts";
import { formatLap } from "@/lib/laptime.ts";

/** One line of a leaderboard. */
export interface RecordLine {
  rank: number;
  lapMs: number;
  lap: string;
  driver: { id: string; name: string };
  car: CarInfo;
  sessionId: string;
  setAt: string;
  splitsMs: number[];
}

/**
 * The top `limit` of a board. Cost: one range read of `limit` keys and one get, in parallel.
 * Entries carry the driver's current name (a rename rewrites them; see touchDriver).
 */
export async function recordsOf(
  r: KvReader,
  b: Board,
  limit: number,
): Promise<{ entries: RecordLine[]; of: number }> {
  const [top, counts] = await Promise.all([topOfBoard(r, b, limit), r.get<BoardCounts>(boardCountKey(b))]);
  const entries = top.map((e, i) => ({
    rank: i + 1,
    lapMs: e.lapMs,
    lap: formatLap(e.lapMs),
    driver: { id: e.driverId, name: e.driver.name },
    car: e.car,
    sessionId: e.sessionId,
    setAt: new Date(e.setAtMs).toISOString(),
    splitsMs: e.splitsMs,
  }));
  return { entries, of: counts?.total ?? 0 };
}

/** A personal best with where it stands. */
export interface PbLine {
  game: RacingGame;
  track: string;
  kind: SessionKind;
  class: string;
  lapMs: number;
  lap: string;
  rank: number;
  of: number;
  sessions: number;
  vsRecordMs: number;
  splitsMs: number[];
  bestSectorsMs: (number | null)[];
  theoreticalBestMs: number | null;
  car: CarInfo;
  sessionId: string;
  setAt: string;
  history: (PbStep & { setAt: string })[];
}

/**
 * A driver's name and every PB with its rank. Cost: one range read over the driver's tracks,
 * then two batched gets per PB (plus a short read on an exact tie); with a RankCache, one get
 * in parallel with the range read, and reads only for tracks changed since they were cached
 * (one batched get per ten tracks, then their counts).
 */
export async function driverPbs(
  r: KvReader,
  id: string,
  opts: { kv?: Deno.Kv; rankCache?: RankCache } = {},
): Promise<{ driver: Pick<DriverProfile, "id" | "name" | "games">; pbs: PbLine[] } | null> {
  // The profile's name is the name of the driver's newest session, which the track stats hold:
  // no separate read needed.
  // The changes key is read first (in parallel): see RankCache.readerFor.
  const [tracks, changes] = await Promise.all([
    listDriverTracks(r, id),
    opts.kv && opts.rankCache ? changesStamp(opts.kv) : null,
  ]);
  if (tracks.length === 0) return null;
  const newest = tracks.reduce((a, b) => b.lastSessionAtMs > a.lastSessionAtMs ? b : a);
  const driver = { id, name: newest.name, games: [...new Set(tracks.map((t) => t.game))].sort() };
  const items: { board: Board; stats: (typeof tracks)[number]; cls: string }[] = [];
  for (const stats of tracks) {
    for (const cls of Object.keys(stats.pbs).sort()) {
      items.push({ board: { game: stats.game, track: stats.track, kind: stats.kind, cls }, stats, cls });
    }
  }
  const rankReader = opts.kv && opts.rankCache
    ? await opts.rankCache.readerFor(opts.kv, r, tracks, changes)
    : r;
  const ranks = await ranksOf(
    rankReader,
    items.map(({ board, stats, cls }) => ({ board, pos: { ...stats.pbs[cls]!, driverId: id } })),
  );
  const pbs = items.map(({ board, stats, cls }, i): PbLine => {
    const pb = stats.pbs[cls]!;
    const rank = ranks[i]!;
    return {
      game: board.game,
      track: board.track,
      kind: board.kind,
      class: cls,
      lapMs: pb.lapMs,
      lap: formatLap(pb.lapMs),
      rank: rank.rank,
      of: rank.of,
      sessions: stats.sessions,
      vsRecordMs: pb.lapMs - (rank.recordMs ?? pb.lapMs),
      splitsMs: pb.splitsMs,
      bestSectorsMs: stats.bestSectorsMs,
      theoreticalBestMs: theoreticalBestMs(stats),
      car: pb.car,
      sessionId: pb.sessionId,
      setAt: new Date(pb.setAtMs).toISOString(),
      history: (stats.history[cls] ?? []).map((h) => ({ ...h, setAt: new Date(h.setAtMs).toISOString() })),
    };
  });
  return { driver: { id: driver.id, name: driver.name, games: driver.games }, pbs };
}
