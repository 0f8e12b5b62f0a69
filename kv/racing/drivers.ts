/** Drivers: their profile, and per track and kind their sessions, sectors and personal bests. */
import type { CarInfo, RacingGame, SessionKind } from "@/games/racing/types.ts";
import {
  boardEntryKey,
  driverKey,
  driverShardKey,
  driverTrackKey,
  driverTracksPrefix,
  trackKey,
} from "@/kv/racing/keys.ts";
import type { BoardEntry } from "@/kv/racing/boards.ts";
import { indexDriver, WEEK_MS } from "@/kv/racing/names.ts";
import type { KvReader } from "@/kv/reader.ts";
import type { KvTxn } from "@/kv/txn.ts";

/** A driver as shown: the name from their latest session. */
export interface DriverProfile {
  id: string;
  name: string;
  /**
   * When a session with this name was driven: a lower bound of the newest one (which
   * driver_track's `name`/`lastSessionAtMs` hold), so that most imports need not write here.
   */
  nameAtMs: number;
  games: RacingGame[];
  /**
   * The newest week (since the epoch) with a session of theirs, for "recently active" in the name
   * index: the maximum over all sessions, so it does not depend on the order files arrive in.
   */
  seenWeek?: number;
}

/** A personal best on one board. */
export interface PersonalBest {
  lapMs: number;
  setAtMs: number;
  seq: number;
  sessionId: string;
  car: CarInfo;
  splitsMs: number[];
}

/** One step of a PB's progression. */
export interface PbStep {
  lapMs: number;
  setAtMs: number;
  sessionId: string;
}

/** A driver's numbers on one track and kind. */
export interface DriverTrackStats {
  driverId: string;
  game: RacingGame;
  track: string;
  kind: SessionKind;
  sessions: number;
  laps: number;
  validLaps: number;
  firstSessionAtMs: number;
  lastSessionAtMs: number;
  /** The driver's name in the newest session on this track and kind. */
  name: string;
  /** Best time of each sector over laps that count for bests; null where none. */
  bestSectorsMs: (number | null)[];
  /** PBs by class ("all" is overall). */
  pbs: Record<string, PersonalBest>;
  /** Each PB's improvements, oldest first, by class. */
  history: Record<string, PbStep[]>;
}

/** How many progression steps are kept per PB. */
export const HISTORY_LIMIT = 200;

/** Sum of the best sectors, when every sector has a time. */
export function theoreticalBestMs(stats: Pick<DriverTrackStats, "bestSectorsMs">): number | null {
  if (stats.bestSectorsMs.length === 0 || stats.bestSectorsMs.some((s) => s === null)) return null;
  return (stats.bestSectorsMs as number[]).reduce((a, b) => a + b, 0);
}

/**
 * Adds a lap to a PB's progression, whatever order files arrive in: the lap is a step only if it
 * beats every earlier step, and later steps it beats (or ties) are no longer improvements.
 */
export function addHistoryStep(history: PbStep[], step: PbStep): PbStep[] {
  const earlier = history.filter((h) => h.setAtMs <= step.setAtMs);
  const before = earlier[earlier.length - 1];
  if (before && before.lapMs <= step.lapMs) return history;
  const later = history.filter((h) => h.setAtMs > step.setAtMs && h.lapMs < step.lapMs);
  const next = [...earlier, step, ...later];
  return next.length > HISTORY_LIMIT ? next.slice(next.length - HISTORY_LIMIT) : next;
}

/** Reads a driver's stats on a track and kind for update (guarded by the track key's check). */
export async function getDriverTrack(
  txn: KvTxn,
  driverId: string,
  game: RacingGame,
  track: string,
  kind: SessionKind,
): Promise<DriverTrackStats | null> {
  return await txn.get<DriverTrackStats>(driverTrackKey(driverId, game, track, kind));
}

/** Writes a driver's stats on a track and kind. */
export function putDriverTrack(txn: KvTxn, stats: DriverTrackStats): void {
  txn.set(driverTrackKey(stats.driverId, stats.game, stats.track, stats.kind), stats);
}

/**
 * Keeps a driver's name current: the name of their newest session wins, whatever order files
 * arrive in. Most sessions write nothing here; a rename is also written onto the driver's board
 * entries, so leaderboards read names straight from their entries (renames are rare; leaderboard
 * reads are not). Call it before the session's own driver_track write. Returns the current name.
 */
export async function touchDriver(
  txn: KvTxn,
  d: { id: string; name: string; game: RacingGame; atMs: number; merged?: boolean },
  indexTxn: KvTxn = txn,
): Promise<string> {
  // The shard guard is read first: a profile read after it is at least as new as the check.
  await txn.get(driverShardKey(d.id), { check: true });
  const old = await txn.get<DriverProfile>(driverKey(d.id));
  const games = old ? (old.games.includes(d.game) ? old.games : [...old.games, d.game].sort()) : [d.game];
  let name = old?.name ?? d.name, nameAtMs = old?.nameAtMs ?? d.atMs;
  if (old && old.name !== d.name && d.atMs > old.nameAtMs) {
    // Maybe a rename. The profile's time is only a lower bound: the tracks know the newest session.
    let newest = { name: d.name, atMs: d.atMs };
    for (const { value: st } of await txn.list<DriverTrackStats>(driverTracksPrefix(d.id), 1000)) {
      if (st.lastSessionAtMs > newest.atMs) newest = { name: st.name, atMs: st.lastSessionAtMs };
    }
    [name, nameAtMs] = [newest.name, newest.atMs];
    // A driver merged into a person has no board entries of their own: the person's name shows.
    if (name !== old.name && !d.merged) await renameOnBoards(txn, d.id, name);
  }
  const seenWeek = Math.max(old?.seenWeek ?? 0, Math.floor(d.atMs / WEEK_MS));
  if (
    !old || old.name !== name || old.nameAtMs !== nameAtMs || games !== old.games || old.seenWeek !== seenWeek
  ) {
    txn.set(driverShardKey(d.id), true);
    txn.set(driverKey(d.id), { id: d.id, name, nameAtMs, games, seenWeek } satisfies DriverProfile);
    const before = old?.seenWeek === undefined ? null : { name: old.name, seenWeek: old.seenWeek };
    if (!d.merged) indexDriver(indexTxn, d.id, before, { name, games, seenWeek });
  }
  return name;
}

async function renameOnBoards(txn: KvTxn, driverId: string, name: string): Promise<void> {
  // Entries on other tracks are rewritten in place: guard them as imports on those tracks are,
  // reading the guards before the stats the rewrite is made from.
  for (const { value: st } of await txn.list<DriverTrackStats>(driverTracksPrefix(driverId), 1000)) {
    await txn.get(trackKey(st.game, st.track), { check: true });
  }
  for (const { value: st } of await txn.list<DriverTrackStats>(driverTracksPrefix(driverId), 1000)) {
    await txn.get(trackKey(st.game, st.track), { check: true });
    for (const [cls, pb] of Object.entries(st.pbs)) {
      const board = { game: st.game, track: st.track, kind: st.kind, cls };
      const entry: BoardEntry = {
        lapMs: pb.lapMs,
        setAtMs: pb.setAtMs,
        seq: pb.seq,
        driverId,
        driver: { id: driverId, name },
        car: pb.car,
        sessionId: pb.sessionId,
        splitsMs: pb.splitsMs,
      };
      txn.set(boardEntryKey(board, pb.lapMs, pb.setAtMs, pb.seq, driverId), entry);
    }
  }
}

/** All of a driver's track stats: one range read bounded by the tracks they drove. */
export async function listDriverTracks(r: KvReader, id: string): Promise<DriverTrackStats[]> {
  return (await r.list<DriverTrackStats>(driverTracksPrefix(id), 1000)).map((e) => e.value);
}
