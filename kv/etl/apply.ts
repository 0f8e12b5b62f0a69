/**
 * Stores one ET:Legacy round in one transaction: the round, its raw lines, the time index, the
 * players' totals, and, because rounds may arrive in any order, every R2 whose pairing the new
 * round changes (an R1 that arrives after its R2 turns that R2 from orphan into a differential,
 * in the same commit). Pairing (doc §5.1): same map (and server), the latest R1 at most 45
 * minutes before the R2, across midnight.
 */
import { type EtlPlayerLine, type EtlRound, parseEtlText } from "@/games/etl/parser.ts";
import { type EtlPlayerRound, rawPlayerRound, roundTwoDifferential } from "@/games/etl/stats.ts";
import { mapResult, type StopwatchHeader } from "@/games/etl/stopwatch.ts";
import { markChanged } from "@/kv/changes.ts";
import { claimFile, putFile } from "@/kv/files.ts";
import { fileKey } from "@/kv/keys.ts";
import type { KvTxn } from "@/kv/txn.ts";
import {
  etlEndstatsKey,
  etlMapKey,
  etlMapMonthKey,
  etlRoundKey,
  etlRoundRawKey,
  etlSessionPostedKey,
  etlWhenKey,
  wallDay,
  wallMonth,
} from "@/kv/etl/keys.ts";
import {
  contentExclusion,
  DEFAULT_EXCLUSION,
  type EtlExclusionConfig,
  restartedRounds,
} from "@/games/etl/exclusion.ts";
import { mapBriefs, putMapBrief, sameSlot } from "@/kv/etl/briefs.ts";
import { countedRows, rejudge, roundRef, verdictOf, withExclusion } from "@/kv/etl/exclusion.ts";
import { applyPlayerRows } from "@/kv/etl/players.ts";
import { getRound, putRound } from "@/kv/etl/rounds.ts";
import { sessionIdIn } from "@/kv/etl/sessions.ts";
import type { EtlAnnouncement, EtlMapInfo, RoundBrief, StoredRound } from "@/kv/etl/types.ts";
import { enqueueAnnouncements } from "@/kv/outbox.ts";

/** R2 pairs with an R1 at most this long before it (Slomix's ROUND_MATCH_WINDOW_MINUTES). */
export const PAIR_WINDOW_MS = 45 * 60_000;

/** Where a round's file came from. */
export interface EtlSource {
  fileName: string;
  sha256: string;
  importedAt: Date;
  serverId?: string;
}

/** What storing a round did (`replaced`: the hash of the shorter file it completed). */
export type EtlApplyResult =
  | { status: "duplicate"; roundId: string }
  | {
    status: "imported";
    roundId: string;
    paired: string | null;
    repaired: string[];
    announcements: number;
    replaced?: string;
  };

/** A different file for a round already stored (same name, other bytes, not its completion). */
export class EtlRoundExistsError extends Error {}

/**
 * "A complete file wins": true when the stored text is a strict prefix of the new one (the game
 * was still writing when the first file was sent), so the new file replaces the stored round.
 */
export function completesStored(stored: string, text: string): boolean {
  return text.length > stored.length && text.startsWith(stored);
}

/** The id of a round: its file's stamp, map and round (`2025-10-20-213931-etl_adlernest-r1`). */
export function etlRoundId(r: Pick<EtlRound, "stamp" | "map" | "round">, serverId?: string): string {
  return `${serverId ? `${serverId}-` : ""}${r.stamp}-${r.map}-r${r.round}`;
}

/** The R1 an R2 at `wallMs` pairs with: the latest on its map within the window. */
async function findR1(
  txn: KvTxn,
  map: string,
  wallMs: number,
  serverId?: string,
): Promise<RoundBrief | null> {
  const cands = (await mapBriefs(txn, map, wallMs - PAIR_WINDOW_MS, wallMs))
    .filter((b) => b.round === 1 && b.wallMs < wallMs && sameSlot(b, serverId));
  return cands.at(-1) ?? null;
}

/** A round's file as it came: its player lines are parsed again when a differential is recomputed. */
interface RawRound {
  fileName: string;
  text: string;
}

/** A stored round's file, parsed again from its kept text. */
async function rawRound(txn: KvTxn, id: string): Promise<EtlRound | null> {
  const raw = await txn.get<RawRound>(etlRoundRawKey(id));
  return raw ? parseEtlText(raw.text, { name: raw.fileName }) : null;
}

function briefOf(r: StoredRound, r1Header?: StopwatchHeader): RoundBrief {
  const b: RoundBrief = { id: r.id, map: r.map, round: r.round, wallMs: r.wallMs, status: r.status };
  if (r.serverId !== undefined) b.serverId = r.serverId;
  if (r1Header) {
    // A paired R2's brief carries the map's result, so map statistics need no round reads.
    const m = mapResult(r1Header, r.header);
    b.points = [m.r1AttackersPoints, m.r2AttackersPoints];
  }
  return withExclusion(b, r.excluded);
}

/** Rows as stored for an R2 paired with `r1Lines`, or raw when orphaned. */
function r2Rows(r2: StoredRound, lines: EtlPlayerLine[], r1Lines: EtlPlayerLine[] | null): EtlPlayerRound[] {
  return r1Lines
    ? roundTwoDifferential(r1Lines, lines, r2.header)
    : lines.map((p) => rawPlayerRound(p, r2.header));
}

/** Stores a round (and re-pairs what it changes); a duplicate file changes nothing. */
export async function applyEtlRound(
  txn: KvTxn,
  round: EtlRound,
  src: EtlSource,
  opts: { announce: boolean; now: Date; rules?: EtlExclusionConfig },
): Promise<EtlApplyResult> {
  const rules = opts.rules ?? DEFAULT_EXCLUSION;
  const id = etlRoundId(round, src.serverId);
  const months = [...new Set([-PAIR_WINDOW_MS, 0, PAIR_WINDOW_MS].map((d) => wallMonth(round.wallMs + d)))];
  await txn.prefetch([
    fileKey(src.sha256),
    etlRoundKey(id),
    etlMapKey(round.map),
    etlEndstatsKey(id),
    ...months.map((m) => etlMapMonthKey(round.map, m)),
  ]);
  const existing = await claimFile(txn, src.sha256);
  if (existing) return { status: "duplicate", roundId: existing.sessionId };
  const prior = await getRound(txn, id, { check: true });
  if (prior) await mustComplete(txn, id, round.text);
  const mapInfo = await txn.get<EtlMapInfo>(etlMapKey(round.map), { check: true });
  txn.set(
    etlMapKey(round.map),
    {
      map: round.map,
      rounds: (mapInfo?.rounds ?? 0) + (prior ? 0 : 1),
      lastWallMs: Math.max(mapInfo?.lastWallMs ?? 0, round.wallMs),
      lastPlayedAt: mapInfo && mapInfo.lastWallMs > round.wallMs
        ? mapInfo.lastPlayedAt
        : round.playedAt.toISOString(),
    } satisfies EtlMapInfo,
  );

  const stored: StoredRound = {
    id,
    fileName: src.fileName,
    sha256: src.sha256,
    map: round.map,
    round: round.round,
    stamp: round.stamp,
    wallMs: round.wallMs,
    playedAt: round.playedAt.toISOString(),
    importedAt: src.importedAt.toISOString(),
    header: round.header,
    tabFields: round.tabFields,
    warnings: round.warnings,
    status: round.round === 1 ? "r1" : "orphan",
    r1Id: null,
    players: [],
    contentRule: contentExclusion(round, rules),
    restartedBy: null,
  };
  if (src.serverId !== undefined) stored.serverId = src.serverId;
  // An admin's word on the round outlives its file being completed.
  if (prior?.override !== undefined) stored.override = prior.override;
  let paired: string | null = null;
  let r1Header: StopwatchHeader | undefined;
  if (round.round === 1) {
    stored.players = round.players.map((p) => rawPlayerRound(p, round.header));
  } else {
    const r1 = await findR1(txn, round.map, round.wallMs, src.serverId);
    const r1Round = r1 ? await rawRound(txn, r1.id) : null;
    stored.players = r2Rows(stored, round.players, r1Round?.players ?? null);
    if (r1 && r1Round) {
      stored.status = "paired";
      stored.r1Id = r1.id;
      paired = r1.id;
      r1Header = r1Round.header;
    }
  }
  // The restart rule, over the map's rounds around this one (this one included).
  const around = await mapBriefs(
    txn,
    round.map,
    round.wallMs - PAIR_WINDOW_MS,
    round.wallMs + PAIR_WINDOW_MS,
  );
  const restarts = restartedRounds(
    [...around.filter((b) => b.id !== id), briefOf(stored)],
    PAIR_WINDOW_MS,
  );
  stored.restartedBy = restarts.get(id) ?? null;
  stored.excluded = verdictOf(stored, rules);
  putRound(txn, stored);
  txn.set(etlRoundRawKey(id), { fileName: src.fileName, text: round.text } satisfies RawRound);
  txn.set(etlWhenKey(wallDay(round.wallMs), round.wallMs, id), briefOf(stored, r1Header));
  await putMapBrief(txn, briefOf(stored, r1Header));
  putFile(txn, src.sha256, {
    sessionId: id,
    fileName: src.fileName,
    importedAt: src.importedAt.toISOString(),
  });
  markChanged(txn, src.importedAt);
  // An orphan R2's values are R1+R2 cumulative: kept, shown, never counted. A completed round's
  // rows replace the shorter file's in the totals.
  await applyPlayerRows(txn, roundRef(stored), countedRows(stored), prior ? countedRows(prior) : null);
  // Earlier R1s this round turns into (or out of) restarts.
  for (const b of around) {
    if (b.round !== 1 || b.id === id || b.wallMs > round.wallMs) continue;
    const r = await getRound(txn, b.id, { check: true });
    const by = restarts.get(b.id) ?? null;
    if (r && (r.restartedBy ?? null) !== by) await rejudge(txn, r, { restartedBy: by }, rules);
  }

  const repaired = round.round === 1 ? await repairLaterR2s(txn, stored, round.players, !!prior) : [];
  if (prior) {
    // Announced when the shorter file came: nothing is posted twice. A post already made is edited
    // to show the complete round (one not yet made reads the store when it is).
    const edits: EtlAnnouncement[] = [{ type: "etl_round", roundId: id, edit: true }];
    if (paired) edits.push({ type: "etl_map_result", r1Id: paired, r2Id: id, edit: true });
    for (const r2 of repaired) edits.push({ type: "etl_map_result", r1Id: id, r2Id: r2, edit: true });
    // The evening's summary, if it was already posted, shows the complete round too.
    const sessionId = await sessionIdIn(txn, { id, wallMs: round.wallMs });
    const summary = await txn.get<{ lastRoundId: string }>(etlSessionPostedKey(sessionId));
    if (summary) edits.push({ type: "etl_session", sessionId, lastRoundId: summary.lastRoundId, edit: true });
    if (opts.announce) {
      enqueueAnnouncements(txn, edits, opts.now, `${id}-completed-${src.sha256.slice(0, 12)}`);
    }
    return { status: "imported", roundId: id, paired, repaired, announcements: 0, replaced: prior.sha256 };
  }
  const announcements: EtlAnnouncement[] = [{ type: "etl_round", roundId: id }];
  // An endstats file that came first is announced after its round.
  if (await txn.get(etlEndstatsKey(id), { check: true })) {
    announcements.push({ type: "etl_awards", roundId: id });
  }
  if (paired) announcements.push({ type: "etl_map_result", r1Id: paired, r2Id: id });
  for (const r2 of repaired) announcements.push({ type: "etl_map_result", r1Id: id, r2Id: r2 });
  if (opts.announce) enqueueAnnouncements(txn, announcements, opts.now, id);
  return {
    status: "imported",
    roundId: id,
    paired,
    repaired,
    announcements: opts.announce ? announcements.length : 0,
  };
}

/**
 * Refuses a file for a round already stored unless it completes the stored file (which it
 * then replaces).
 */
async function mustComplete(txn: KvTxn, id: string, text: string): Promise<void> {
  const raw = await txn.get<RawRound>(etlRoundRawKey(id), { check: true });
  if (raw && completesStored(raw.text, text)) return;
  if (raw && completesStored(text, raw.text)) {
    throw new EtlRoundExistsError(
      `round "${id}" is already stored from a more complete file with the same name (this one is its beginning)`,
    );
  }
  throw new EtlRoundExistsError(`round "${id}" is already stored from a different file with the same name`);
}

/**
 * A new R1 becomes the partner of every R2 within the window after it whose current R1 is older
 * (or missing): each is recomputed against it, and the players' totals move with it. An R1
 * completed by a longer file (`completed`) recomputes the R2s already paired with it too.
 */
async function repairLaterR2s(
  txn: KvTxn,
  r1: StoredRound,
  r1Lines: EtlPlayerLine[],
  completed: boolean,
): Promise<string[]> {
  const later = (await mapBriefs(txn, r1.map, r1.wallMs + 1, r1.wallMs + PAIR_WINDOW_MS))
    .filter((b) => b.round === 2 && sameSlot(b, r1.serverId));
  const out: string[] = [];
  for (const b of later) {
    const r2 = await getRound(txn, b.id, { check: true });
    if (!r2) continue;
    const current = r2.r1Id ? await getRound(txn, r2.r1Id) : null;
    if (current && current.wallMs >= r1.wallMs && !(completed && current.id === r1.id)) continue;
    const lines = (await rawRound(txn, r2.id))?.players ?? [];
    const before = r2.status === "paired" ? r2.players : null;
    const next: StoredRound = { ...r2, status: "paired", r1Id: r1.id, players: r2Rows(r2, lines, r1Lines) };
    putRound(txn, next);
    txn.set(etlWhenKey(wallDay(r2.wallMs), r2.wallMs, r2.id), briefOf(next, r1.header));
    await putMapBrief(txn, briefOf(next, r1.header));
    await applyPlayerRows(txn, roundRef(next), countedRows(next), r2.excluded ? null : before);
    out.push(r2.id);
  }
  return out;
}
