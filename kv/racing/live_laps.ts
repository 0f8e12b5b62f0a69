/**
 * Live laps on the leaderboards: a lap completed on the server counts for personal bests and
 * records at once, by the same rules as a results file's laps (kv/racing/apply.ts), inside the
 * transaction that stores the batch. Only a strict improvement counts: a live lap that ties a
 * stored best is the same lap seen twice, or no news. Practice laps set no records (as files).
 */
import { type LiveLap, liveLapsSession, type LiveSession } from "@/games/ac/live.ts";
import { type DriverAcc, summarize } from "@/kv/racing/_summary.ts";
import { updateBoards } from "@/kv/racing/apply.ts";
import { type DriverTrackStats, getDriverTrack, putDriverTrack, touchDriver } from "@/kv/racing/drivers.ts";
import { trackKey } from "@/kv/racing/keys.ts";
import { enqueueAnnouncements } from "@/kv/outbox.ts";
import type { KvTxn } from "@/kv/txn.ts";

/** What live laps changed on the leaderboards. */
export interface LiveBests {
  records: number;
  personalBests: number;
  announcements: number;
}

/**
 * Puts a batch's laps on the leaderboards. `sessionId` names the live session on the entries;
 * `sourceId` keeps the batch's announcements apart from every other's.
 */
export async function countLiveLaps(
  txn: KvTxn,
  session: LiveSession,
  laps: LiveLap[],
  opts: { sessionId: string; sourceId: string; announce: boolean; now: Date },
): Promise<LiveBests> {
  const none = { records: 0, personalBests: 0, announcements: 0 };
  if (session.kind === "FP" || !laps.some((l) => l.countsForBest)) return none;
  const s = liveLapsSession(session, laps);
  const at = s.finishedAt.getTime();
  // Every import on the track rewrites its summary: reading it checked orders us with them, and
  // rewriting it unchanged moves the stamp the time-attack board and read caches watch.
  const track = await txn.get(trackKey("ac", s.track), { check: true });
  const drivers = new Map<string, DriverAcc>();
  const stats = new Map<string, DriverTrackStats>();
  for (const [id, a] of summarize(s)) {
    const old = await getDriverTrack(txn, id, "ac", s.track, s.kind);
    for (const [cls, c] of a.best) {
      const pb = old?.pbs[cls];
      if (pb && pb.lapMs <= c.lapMs) a.best.delete(cls);
    }
    if (a.best.size === 0) continue;
    const name = await touchDriver(txn, { id, name: a.ref.name, game: "ac", atMs: at });
    if (name !== a.ref.name) {
      a.ref = { id, name };
      for (const [cls, c] of a.best) a.best.set(cls, { ...c, driver: a.ref });
    }
    drivers.set(id, a);
    stats.set(id, {
      driverId: id,
      game: "ac",
      track: s.track,
      kind: s.kind,
      sessions: old?.sessions ?? 0,
      laps: old?.laps ?? 0,
      validLaps: old?.validLaps ?? 0,
      firstSessionAtMs: old?.firstSessionAtMs ?? at,
      lastSessionAtMs: old?.lastSessionAtMs ?? at,
      name: old?.name ?? a.ref.name,
      bestSectorsMs: old?.bestSectorsMs ?? [],
      pbs: { ...old?.pbs },
      history: { ...old?.history },
    });
  }
  if (drivers.size === 0) return none;
  if (track) txn.set(trackKey("ac", s.track), track);
  const board = await updateBoards(txn, { s, id: opts.sessionId, drivers, stats, announce: opts.announce });
  for (const st of stats.values()) putDriverTrack(txn, st);
  if (opts.announce) enqueueAnnouncements(txn, board.announcements, opts.now, opts.sourceId);
  return {
    records: board.records,
    personalBests: board.personalBests,
    announcements: opts.announce ? board.announcements.length : 0,
  };
}
