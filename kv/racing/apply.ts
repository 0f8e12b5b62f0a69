/**
 * Applies one parsed session to the racing model: the session itself, track and driver stats,
 * leaderboards, personal bests and their history, and the announcements, all into one
 * transaction that commits atomically.
 */
import type { NormalizedSession } from "@/games/racing/types.ts";
import { type Candidate, type DriverAcc, summarize } from "@/kv/racing/_summary.ts";
import {
  addBoardEntry,
  type BoardEntry,
  type BoardPosition,
  boardRecord,
  isAhead,
  ranksOf,
  removeBoardEntry,
  samePosition,
} from "@/kv/racing/boards.ts";
import {
  addHistoryStep,
  type DriverTrackStats,
  getDriverTrack,
  type PersonalBest,
  putDriverTrack,
  touchDriver,
} from "@/kv/racing/drivers.ts";
import { markChanged } from "@/kv/changes.ts";
import { claimFile, putFile } from "@/kv/files.ts";
import { fileKey } from "@/kv/keys.ts";
import {
  ALL_CLASSES,
  type Board,
  boardCountKey,
  boardEntryKey,
  boardSecondCountKey,
  driverKey,
  driverShardKey,
  driverTrackKey,
  trackKey,
} from "@/kv/racing/keys.ts";
import { enqueueAnnouncements } from "@/kv/outbox.ts";
import { personOfKey } from "@/kv/people/keys.ts";
import { boardSubjects } from "@/kv/racing/people_subjects.ts";
import type { RacingAnnouncement as Announcement } from "@/kv/racing/announcements.ts";
import { putSession, sessionIdFor, type SessionSource } from "@/kv/racing/sessions.ts";
import { countTrackSession } from "@/kv/racing/tracks.ts";
import type { KvTxn } from "@/kv/txn.ts";

/** How an import treats announcements. */
export interface ApplyOptions {
  /**
   * Where the name index's writes go: the import's own transaction unless given. A session too
   * large for one commit (a hotlap server's 150 new drivers) writes them in this one, committed
   * right after.
   */
  indexTxn?: KvTxn;
  /** False for backfills: records and PBs are stored but not announced. */
  announce: boolean;
  now: Date;
  /**
   * Indexes of laps already counted for bests when they were seen live (kv/live/reconcile.ts):
   * they stay in the session but do not count for bests again.
   */
  countedLive?: Set<number>;
}

/** What one session changed. */
export type ApplyResult =
  | { status: "duplicate"; sessionId: string }
  | { status: "imported"; sessionId: string; records: number; personalBests: number; announcements: number };

function boardOf(s: NormalizedSession, cls: string): Board {
  return { game: s.game, track: s.track, kind: s.kind, cls };
}

/** Per driver: keeps their name current and adds the session to their stats on this track. */
async function updateDriverStats(
  txn: KvTxn,
  s: NormalizedSession,
  drivers: Map<string, DriverAcc>,
  ctx: { indexTxn: KvTxn; merged: ReadonlySet<string> },
): Promise<Map<string, DriverTrackStats>> {
  const at = s.finishedAt.getTime();
  const stats = new Map<string, DriverTrackStats>();
  for (const [driverId, a] of drivers) {
    const sessionName = a.ref.name;
    const current = await touchDriver(
      txn,
      { id: driverId, name: sessionName, game: s.game, atMs: at, merged: ctx.merged.has(driverId) },
      ctx.indexTxn,
    );
    // Board entries carry the driver's current name, even when this (older) session used another.
    if (current !== a.ref.name) {
      const ref = { id: driverId, name: current };
      a.ref = ref;
      for (const [cls, c] of a.best) a.best.set(cls, { ...c, driver: ref });
    }
    const old = await getDriverTrack(txn, driverId, s.game, s.track, s.kind);
    const sectors = old ? [...old.bestSectorsMs] : [];
    a.sectors.forEach((ms, i) => {
      const cur = sectors[i];
      if (ms !== null && (cur === undefined || cur === null || ms < cur)) sectors[i] = ms;
    });
    for (let i = 0; i < sectors.length; i++) sectors[i] ??= null;
    stats.set(driverId, {
      driverId,
      game: s.game,
      track: s.track,
      kind: s.kind,
      sessions: (old?.sessions ?? 0) + 1,
      laps: (old?.laps ?? 0) + a.laps,
      validLaps: (old?.validLaps ?? 0) + a.validLaps,
      firstSessionAtMs: Math.min(old?.firstSessionAtMs ?? at, at),
      lastSessionAtMs: Math.max(old?.lastSessionAtMs ?? at, at),
      name: old && old.lastSessionAtMs > at ? old.name : sessionName,
      bestSectorsMs: sectors,
      pbs: { ...old?.pbs },
      history: { ...old?.history },
    });
  }

  return stats;
}

type Improved = { c: Candidate; old: PersonalBest | null; entry: BoardEntry };

/** Adds the session's best laps to a driver's PBs and their progression; returns the improved PBs. */
function notePbs(st: DriverTrackStats, a: DriverAcc, s: NormalizedSession, id: string): Improved[] {
  const at = s.finishedAt.getTime();
  const driverId = st.driverId;
  const improved: Improved[] = [];
  for (const c of a.best.values()) {
    const pos = { lapMs: c.lapMs, setAtMs: at, seq: c.seq, driverId };
    st.history[c.cls] = addHistoryStep(st.history[c.cls] ?? [], {
      lapMs: c.lapMs,
      setAtMs: at,
      sessionId: id,
    });
    const old = st.pbs[c.cls] ?? null;
    if (old && !isAhead(pos, { ...old, driverId })) continue;
    const entry: BoardEntry = { ...pos, driver: c.driver, car: c.car, sessionId: id, splitsMs: c.splitsMs };
    improved.push({ c, old, entry });
    st.pbs[c.cls] = {
      lapMs: c.lapMs,
      setAtMs: at,
      seq: c.seq,
      sessionId: id,
      car: c.car,
      splitsMs: c.splitsMs,
    };
  }
  return improved;
}

/**
 * Puts improved PBs on their boards (fastest first, so of several new records the fastest is
 * the record), records each PB's progression, and works out the record and PB announcements.
 */
export async function updateBoards(
  txn: KvTxn,
  ctx: {
    s: NormalizedSession;
    id: string;
    drivers: Map<string, DriverAcc>;
    stats: Map<string, DriverTrackStats>;
    announce: boolean;
  },
): Promise<{ records: number; personalBests: number; announcements: Announcement[] }> {
  const { s, id, drivers, stats, announce } = ctx;
  const announcements: Announcement[] = [];
  let records = 0;
  const improved: Improved[] = [];
  for (const [driverId, a] of drivers) improved.push(...notePbs(stats.get(driverId)!, a, s, id));
  const boards = new Map<string, Board>();
  for (const { c } of improved) boards.set(c.cls, boardOf(s, c.cls));
  await txn.prefetch(improved.flatMap(({ c, old, entry }) => {
    const b = boards.get(c.cls)!;
    const keys: Deno.KvKey[] = [boardSecondCountKey(b, Math.floor(entry.lapMs / 1000))];
    if (old) keys.push(boardSecondCountKey(b, Math.floor(old.lapMs / 1000)));
    return keys;
  }));
  const recordsBefore = new Map<string, BoardPosition | null>();
  for (const [cls, b] of boards) recordsBefore.set(cls, await boardRecord(txn, b));
  const previousHolders = new Map<string, BoardEntry | null>();
  if (announce) {
    for (const [cls, b] of boards) {
      const r = recordsBefore.get(cls);
      const e = r ? await txn.get<BoardEntry>(boardEntryKey(b, r.lapMs, r.setAtMs, r.seq, r.driverId)) : null;
      previousHolders.set(cls, e);
    }
  }
  const withOld = announce ? improved.filter((i) => i.old !== null) : [];
  const before = await ranksOf(
    txn,
    withOld.map((i) => ({ board: boards.get(i.c.cls)!, pos: { ...i.old!, driverId: i.c.driver.id } })),
  );
  improved.sort((x, y) => isAhead(x.entry, y.entry) ? -1 : 1);
  for (const i of improved) {
    const b = boards.get(i.c.cls)!;
    if (i.old) await removeBoardEntry(txn, b, { ...i.old, driverId: i.c.driver.id });
    await addBoardEntry(txn, b, i.entry);
  }
  const after = await ranksOf(txn, withOld.map((i) => ({ board: boards.get(i.c.cls)!, pos: i.entry })));
  const personalBests = improved.filter((i) => i.c.cls === ALL_CLASSES).length;

  const base = (e: BoardEntry, cls: string) => ({
    game: s.game,
    track: s.track,
    trackName: s.trackName,
    kind: s.kind,
    cls,
    driver: e.driver,
    car: e.car,
    lapMs: e.lapMs,
    splitsMs: e.splitsMs,
    sessionId: id,
    setAt: s.finishedAt.toISOString(),
  });
  const recordHolders = new Set<string>();
  let overallRecord: BoardPosition | null = null;
  const same = (a: BoardPosition | null | undefined, b: BoardPosition | null | undefined) =>
    !!a && !!b && samePosition(a, b);
  for (const cls of [ALL_CLASSES, ...[...boards.keys()].filter((c) => c !== ALL_CLASSES).sort()]) {
    const b = boards.get(cls);
    if (!b) continue;
    const top = await boardRecord(txn, b);
    const mine = improved.find((i) => i.c.cls === cls && same(i.entry, top));
    if (!mine || same(recordsBefore.get(cls), top)) continue;
    records++;
    if (cls === ALL_CLASSES) overallRecord = top;
    else if (same(overallRecord, top)) continue;
    recordHolders.add(mine.entry.driverId);
    const prev = previousHolders.get(cls) ?? null;
    announcements.push({
      type: "track_record",
      ...base(mine.entry, cls),
      previous: prev ? { driver: prev.driver, lapMs: prev.lapMs } : null,
    });
  }
  withOld.forEach((i, n) => {
    if (i.c.cls !== ALL_CLASSES || recordHolders.has(i.c.driver.id)) return;
    const rb = before[n]!, ra = after[n]!;
    announcements.push({
      type: "personal_best",
      ...base(i.entry, ALL_CLASSES),
      previousMs: i.old!.lapMs,
      rankBefore: rb.rank,
      rankAfter: ra.rank,
      positionsGained: rb.rank - ra.rank,
      of: ra.of,
    });
  });
  return { records, personalBests, announcements };
}

/** Applies a parsed session; a duplicate file changes nothing. */
export async function applySession(
  txn: KvTxn,
  s: NormalizedSession,
  src: SessionSource,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const drivers = summarize(s);
  if (opts.countedLive?.size) {
    // A slower lap of the file cannot beat a best its live lap already set or failed to beat.
    for (const a of drivers.values()) {
      for (const [cls, c] of a.best) if (opts.countedLive.has(c.seq)) a.best.delete(cls);
    }
  }
  const classes = [ALL_CLASSES, ...new Set(s.cars.map((c) => c.car.class))];
  // The guards first, in their own round trip: reads in parallel batches may be served in any order,
  // and a value read before its guard could be older than the guard's checked versionstamp.
  await txn.prefetch([
    fileKey(src.sha256),
    trackKey(s.game, s.track),
    ...new Map([...drivers.keys()].map((d) => {
      const k = driverShardKey(d);
      return [k[1], k];
    })).values(),
  ]);
  await txn.prefetch([
    ...[...drivers.keys()].flatMap((d) => [
      driverKey(d),
      driverTrackKey(d, s.game, s.track, s.kind),
      personOfKey("driver", d),
    ]),
    ...(s.kind === "FP" ? [] : classes.map((cls) => boardCountKey(boardOf(s, cls)))),
  ]);
  const existing = await claimFile(txn, src.sha256);
  if (existing) return { status: "duplicate", sessionId: existing.sessionId };
  const id = sessionIdFor(s, src.sha256);
  putFile(txn, src.sha256, {
    sessionId: id,
    fileName: src.fileName,
    importedAt: src.importedAt.toISOString(),
  });
  putSession(txn, id, s, src);
  markChanged(txn, src.importedAt);
  await countTrackSession(txn, s);

  // People: a driver merged into a person is counted on the boards as the person (kv/people/).
  const people = await boardSubjects(txn, s, drivers);
  const indexTxn = opts.indexTxn ?? txn;
  const stats = await updateDriverStats(txn, s, drivers, { indexTxn, merged: people.merged });
  const personStats = await updateDriverStats(txn, s, people.persons, { indexTxn, merged: new Set() });
  const onBoards = new Map([...drivers].filter(([d]) => !people.merged.has(d)).concat([...people.persons]));
  const boardStats = new Map([...stats].filter(([d]) => !people.merged.has(d)).concat([...personStats]));
  const announcements: Announcement[] = [];
  let records = 0;
  let personalBests = 0;
  if (s.kind !== "FP") {
    for (const d of people.merged) notePbs(stats.get(d)!, drivers.get(d)!, s, id);
    const board = await updateBoards(txn, {
      s,
      id,
      drivers: onBoards,
      stats: boardStats,
      announce: opts.announce,
    });
    records = board.records;
    personalBests = board.personalBests;
    announcements.push(...board.announcements);
  }
  for (const st of stats.values()) putDriverTrack(txn, st);
  for (const st of personStats.values()) putDriverTrack(txn, st);

  if (s.kind === "R" && s.cars.some((c) => c.lapCount > 0)) {
    announcements.push({
      type: "race_result",
      game: s.game,
      track: s.track,
      trackName: s.trackName,
      sessionType: s.sessionType,
      sessionId: id,
      finishedAt: s.finishedAt.toISOString(),
    });
  }
  if (opts.announce && announcements.length > 0) enqueueAnnouncements(txn, announcements, opts.now, id);
  return {
    status: "imported",
    sessionId: id,
    records,
    personalBests,
    announcements: opts.announce ? announcements.length : 0,
  };
}
