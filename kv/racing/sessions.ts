/**
 * Sessions: a header with the classification, and the laps packed into typed-array chunks so
 * an 11,000-lap endurance race stays a handful of values under Deno KV's 64 KiB.
 */
import type {
  CarResult,
  Lap,
  NormalizedSession,
  RacingGame,
  SessionKind,
  TimeSource,
} from "@/games/racing/types.ts";
import {
  sessionCarsKey,
  sessionKey,
  sessionLapsKey,
  trackSessionKey,
  trackSessionsPrefix,
} from "@/kv/racing/keys.ts";
import type { KvReader } from "@/kv/reader.ts";
import { estimateSize, type KvTxn } from "@/kv/txn.ts";
import { commitWithRetry } from "@/kv/retry.ts";

// Times are float64 (a lap of 2^31 ms must not wrap into a negative one): 1,000 laps with their
// splits, cuts and tyres stay well under KV's 64 KiB per value.
const LAPS_PER_CHUNK = 1000;
const CARS_PER_CHUNK = 40;
const MAX_SPLITS = 4;

/** False when the session's time is only the file's modification time or the import's. */
export function dateKnown(timeSource: TimeSource): boolean {
  return timeSource === "file-name" || timeSource === "file-content";
}

/** A stored session, without its laps. */
export interface StoredSession {
  id: string;
  game: RacingGame;
  track: string;
  trackRaw: string;
  trackName: string;
  kind: SessionKind;
  sessionType: string;
  finishedAt: string;
  timeSource: TimeSource;
  serverName?: string;
  serverId?: string;
  wet: boolean;
  fileName: string;
  sha256: string;
  importedAt: string;
  lapCount: number;
  lapChunks: number;
  /** The classification, or null when it is stored in `carChunks` chunks. */
  cars: CarResult[] | null;
  carChunks: number;
}

/**
 * Laps packed column-wise; splits are MAX_SPLITS per lap, -1 where absent. Sessions stored before
 * times were float64 hold Int32Array columns; both read the same.
 */
interface PackedLaps {
  car: Uint16Array;
  driver: Uint8Array;
  lapMs: Float64Array | Int32Array;
  /** bit 0 valid, bit 1 counts for best. */
  flags: Uint8Array;
  splits: Float64Array | Int32Array;
  cuts?: Uint16Array;
  tyre?: string[];
  /** Why a lap is implausible, by lap index (only laps the rule ruled out). */
  implausible?: Record<number, string>;
}

function packLaps(laps: Lap[]): PackedLaps {
  const n = laps.length;
  const p: PackedLaps = {
    car: new Uint16Array(n),
    driver: new Uint8Array(n),
    lapMs: new Float64Array(n),
    flags: new Uint8Array(n),
    splits: new Float64Array(n * MAX_SPLITS).fill(-1),
  };
  const hasCuts = laps.some((l) => l.cuts !== undefined);
  const hasTyre = laps.some((l) => l.tyre !== undefined);
  if (hasCuts) p.cuts = new Uint16Array(n);
  if (hasTyre) p.tyre = new Array(n).fill("");
  for (let i = 0; i < n; i++) {
    const l = laps[i]!;
    p.car[i] = l.car;
    p.driver[i] = l.driver;
    p.lapMs[i] = l.lapMs;
    p.flags[i] = (l.valid ? 1 : 0) | (l.countsForBest ? 2 : 0);
    for (let s = 0; s < Math.min(MAX_SPLITS, l.splitsMs.length); s++) {
      p.splits[i * MAX_SPLITS + s] = l.splitsMs[s]!;
    }
    if (p.cuts) p.cuts[i] = l.cuts ?? 0;
    if (p.tyre) p.tyre[i] = l.tyre ?? "";
    if (l.implausible !== undefined) (p.implausible ??= {})[i] = l.implausible;
  }
  return p;
}

function unpackLaps(p: PackedLaps): Lap[] {
  const out: Lap[] = [];
  for (let i = 0; i < p.lapMs.length; i++) {
    const splitsMs: number[] = [];
    for (let s = 0; s < MAX_SPLITS; s++) {
      const v = p.splits[i * MAX_SPLITS + s]!;
      if (v >= 0) splitsMs.push(v);
    }
    const lap: Lap = {
      car: p.car[i]!,
      driver: p.driver[i]!,
      lapMs: p.lapMs[i]!,
      splitsMs,
      valid: (p.flags[i]! & 1) === 1,
      countsForBest: (p.flags[i]! & 2) === 2,
    };
    if (p.cuts) lap.cuts = p.cuts[i]!;
    if (p.tyre && p.tyre[i]) lap.tyre = p.tyre[i]!;
    const why = p.implausible?.[i];
    if (why !== undefined) lap.implausible = why;
    out.push(lap);
  }
  return out;
}

function lapChunk(laps: Lap[], c: number): PackedLaps {
  return packLaps(laps.slice(c * LAPS_PER_CHUNK, (c + 1) * LAPS_PER_CHUNK));
}

/**
 * Writes a session's laps ahead of the session itself, for sessions whose laps do not fit in one
 * commit with everything else. Until the session key exists nothing refers to them, so a failure
 * in between leaves nothing visible, and a retry overwrites them (the id comes from the bytes).
 */
export async function stageLaps(kv: Deno.Kv, id: string, laps: Lap[]): Promise<void> {
  const chunks = Math.ceil(laps.length / LAPS_PER_CHUNK);
  const perCommit = 10;
  for (let c = 0; c < chunks; c += perCommit) {
    const res = await commitWithRetry(() => {
      const op = kv.atomic();
      for (let i = c; i < Math.min(chunks, c + perCommit); i++) {
        op.set(sessionLapsKey(id, i), lapChunk(laps, i));
      }
      return op.commit();
    }, `the laps of session "${id}"`);
    if (!res.ok) throw new Error(`Cannot stage laps of session "${id}"`);
  }
}

/** A readable, sortable, unique session id: `acc-20221008-224809-r-1a2b3c4d`. */
export function sessionIdFor(s: NormalizedSession, sha256: string): string {
  const iso = s.finishedAt.toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
  const type = s.sessionType.toLowerCase().replace(/[^a-z0-9]+/g, "");
  return `${s.game}-${stamp}-${type}-${sha256.slice(0, 8)}`;
}

/** What the importer knows of the file a session came from. */
export interface SessionSource {
  fileName: string;
  sha256: string;
  serverId?: string;
  importedAt: Date;
  /** True when the laps were written beforehand by `stageLaps` (sessions too large for one commit). */
  lapsStaged?: boolean;
}

/** Writes a new session (header, cars, laps, time indexes) into the transaction. */
export function putSession(txn: KvTxn, id: string, s: NormalizedSession, src: SessionSource): StoredSession {
  const lapChunks = Math.ceil(s.laps.length / LAPS_PER_CHUNK);
  const header: StoredSession = {
    id,
    game: s.game,
    track: s.track,
    trackRaw: s.trackRaw,
    trackName: s.trackName,
    kind: s.kind,
    sessionType: s.sessionType,
    finishedAt: s.finishedAt.toISOString(),
    timeSource: s.timeSource,
    wet: s.wet,
    fileName: src.fileName,
    sha256: src.sha256,
    importedAt: src.importedAt.toISOString(),
    lapCount: s.laps.length,
    lapChunks,
    cars: s.cars,
    carChunks: 0,
  };
  if (s.serverName !== undefined) header.serverName = s.serverName;
  if (src.serverId !== undefined) header.serverId = src.serverId;
  if (estimateSize(header) > 48_000) {
    header.cars = null;
    header.carChunks = Math.ceil(s.cars.length / CARS_PER_CHUNK);
    for (let c = 0; c < header.carChunks; c++) {
      txn.set(sessionCarsKey(id, c), s.cars.slice(c * CARS_PER_CHUNK, (c + 1) * CARS_PER_CHUNK));
    }
  }
  txn.requireAbsent(sessionKey(id));
  txn.set(sessionKey(id), header);
  if (!src.lapsStaged) {
    for (let c = 0; c < lapChunks; c++) txn.set(sessionLapsKey(id, c), lapChunk(s.laps, c));
  }
  // A session dated only by the file's modification time or the import is listed after every
  // dated one: a backfill of undated files must not read as today's newest sessions.
  const at = dateKnown(s.timeSource) ? s.finishedAt.getTime() : 0;
  txn.set(trackSessionKey(s.game, s.track, at, id), null);
  return header;
}

/** A session with its classification (laps on request). */
export interface SessionDetail extends StoredSession {
  cars: CarResult[];
  laps?: Lap[];
}

/** Reads a session; `withLaps` also unpacks its laps. Null when unknown. */
export async function getSession(
  r: KvReader,
  id: string,
  opts: { withLaps?: boolean } = {},
): Promise<SessionDetail | null> {
  const header = await r.get<StoredSession>(sessionKey(id));
  if (!header) return null;
  let cars = header.cars;
  if (!cars) {
    const keys = Array.from({ length: header.carChunks }, (_, c) => sessionCarsKey(id, c));
    cars = (await r.getMany<CarResult[]>(keys)).flatMap((c) => c ?? []);
  }
  const detail: SessionDetail = { ...header, cars };
  if (opts.withLaps) {
    const keys = Array.from({ length: header.lapChunks }, (_, c) => sessionLapsKey(id, c));
    detail.laps = (await r.getMany<PackedLaps>(keys)).flatMap((p) => p ? unpackLaps(p) : []);
  }
  return detail;
}

/** Ids of a track's most recent sessions, newest first. */
export async function recentTrackSessionIds(
  kv: Deno.Kv,
  game: RacingGame,
  track: string,
  limit: number,
): Promise<string[]> {
  const out: string[] = [];
  for await (const e of kv.list({ prefix: trackSessionsPrefix(game, track) }, { limit, reverse: true })) {
    out.push(e.key[4] as string);
  }
  return out;
}
