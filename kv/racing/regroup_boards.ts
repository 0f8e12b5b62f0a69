/**
 * Rewrites one track's boards when people are regrouped (kv/people/regroup.ts): the entries of the
 * subjects before come off, the subjects after go on, a person's statistics recomputed from the
 * statistics each of their drivers keeps (kept untouched, so a split restores them exactly). Used
 * by the regrouping's batches and by an import that meets a track a regrouping has not reached.
 */
import type { BoardSubject, PeopleOp, TrackRef } from "@/kv/people/types.ts";
import { isPersonSubject } from "@/kv/people/types.ts";
import { addBoardEntry, isAhead, removeBoardEntry } from "@/kv/racing/boards.ts";
import {
  addHistoryStep,
  type DriverProfile,
  type DriverTrackStats,
  type PbStep,
} from "@/kv/racing/drivers.ts";
import { driverKey, driverTrackKey, trackKey } from "@/kv/racing/keys.ts";
import type { KvTxn } from "@/kv/txn.ts";

/**
 * One person's statistics on a track and kind from their drivers': counts summed, best sectors and
 * PBs the best of any, PB progressions merged (a step of the person is a step of one of their
 * drivers, so nothing is lost). Null when no driver has any.
 */
export function combineStats(
  id: string,
  name: string,
  parts: DriverTrackStats[],
): DriverTrackStats | null {
  const first = parts[0];
  if (!first) return null;
  const out: DriverTrackStats = {
    driverId: id,
    game: first.game,
    track: first.track,
    kind: first.kind,
    sessions: 0,
    laps: 0,
    validLaps: 0,
    firstSessionAtMs: Infinity,
    lastSessionAtMs: -Infinity,
    name,
    bestSectorsMs: [],
    pbs: {},
    history: {},
  };
  const steps: Record<string, PbStep[]> = {};
  for (const p of parts) {
    out.sessions += p.sessions;
    out.laps += p.laps;
    out.validLaps += p.validLaps;
    out.firstSessionAtMs = Math.min(out.firstSessionAtMs, p.firstSessionAtMs);
    out.lastSessionAtMs = Math.max(out.lastSessionAtMs, p.lastSessionAtMs);
    p.bestSectorsMs.forEach((ms, i) => {
      const cur = out.bestSectorsMs[i];
      if (ms !== null && (cur === undefined || cur === null || ms < cur)) out.bestSectorsMs[i] = ms;
      else out.bestSectorsMs[i] ??= null;
    });
    for (const [cls, pb] of Object.entries(p.pbs)) {
      const cur = out.pbs[cls];
      if (!cur || isAhead({ ...pb, driverId: "" }, { ...cur, driverId: "" })) out.pbs[cls] = pb;
    }
    for (const [cls, h] of Object.entries(p.history)) (steps[cls] ??= []).push(...h);
  }
  for (const [cls, list] of Object.entries(steps)) {
    let h: PbStep[] = [];
    for (const step of list.sort((a, b) => a.setAtMs - b.setAtMs)) h = addHistoryStep(h, step);
    out.history[cls] = h;
  }
  return out;
}

async function subjectStats(
  txn: KvTxn,
  s: BoardSubject,
  t: TrackRef,
): Promise<{ stats: DriverTrackStats | null; name: string }> {
  if (!isPersonSubject(s)) {
    const [stats, profile] = await Promise.all([
      txn.get<DriverTrackStats>(driverTrackKey(s.id, t.game, t.track, t.kind)),
      txn.get<DriverProfile>(driverKey(s.id)),
    ]);
    return { stats, name: profile?.name ?? stats?.name ?? s.id };
  }
  const parts = await Promise.all(
    s.drivers.map((d) => txn.get<DriverTrackStats>(driverTrackKey(d, t.game, t.track, t.kind))),
  );
  const name = s.name ?? s.id;
  return { stats: combineStats(s.id, name, parts.filter((p) => p !== null)), name };
}

/**
 * Makes one track's boards count `op.after` instead of `op.before`, in `txn`. Guarded like an
 * import on the track (its summary is checked and rewritten), so either waits for the other.
 */
export async function regroupTrack(
  txn: KvTxn,
  op: Pick<PeopleOp, "before" | "after">,
  t: TrackRef,
): Promise<void> {
  const tk = trackKey(t.game, t.track);
  const summary = await txn.get(tk, { check: true });
  if (summary !== null) txn.set(tk, summary);
  const board = (cls: string) => ({ game: t.game, track: t.track, kind: t.kind, cls });
  for (const s of op.before) {
    const key = driverTrackKey(s.id, t.game, t.track, t.kind);
    const stats = await txn.get<DriverTrackStats>(key);
    if (!stats) continue;
    for (const [cls, pb] of Object.entries(stats.pbs)) {
      await removeBoardEntry(txn, board(cls), { ...pb, driverId: s.id });
    }
    if (isPersonSubject(s)) txn.delete(key);
  }
  for (const s of op.after) {
    const { stats, name } = await subjectStats(txn, s, t);
    if (!stats) continue;
    if (isPersonSubject(s)) txn.set(driverTrackKey(s.id, t.game, t.track, t.kind), stats);
    for (const [cls, pb] of Object.entries(stats.pbs)) {
      await addBoardEntry(txn, board(cls), {
        lapMs: pb.lapMs,
        setAtMs: pb.setAtMs,
        seq: pb.seq,
        driverId: s.id,
        driver: { id: s.id, name },
        car: pb.car,
        sessionId: pb.sessionId,
        splitsMs: pb.splitsMs,
      }, { fresh: false });
    }
  }
}
