/**
 * Endstats files (games/etl/endstats.ts) stored under their round's id. A file may come before
 * its round's stats file, after it, or without one: it is stored on its own, and names resolve to
 * GUIDs when it is read (through the round's players, whenever that round is stored), so the
 * answer never depends on the order of arrival. The awards post is queued by whichever of the two
 * files comes second, so it always follows the round post.
 */
import type { EtlAward, EtlEndstats, EtlVsRow } from "@/games/etl/endstats.ts";
import { markChanged } from "@/kv/changes.ts";
import { claimFile, putFile } from "@/kv/files.ts";
import { enqueueAnnouncements } from "@/kv/outbox.ts";
import type { KvReader } from "@/kv/reader.ts";
import type { KvTxn } from "@/kv/txn.ts";
import { etlEndstatsKey, etlEndstatsPrefix, etlRoundKey } from "@/kv/etl/keys.ts";
import { getRound, type PackedRound, unpackRound } from "@/kv/etl/rounds.ts";
import { playerRounds } from "@/kv/etl/players.ts";
import { sha256Hex } from "@/lib/hash.ts";
import type { EtlAnnouncement, StoredRound } from "@/kv/etl/types.ts";

/** An endstats file as stored. */
export interface StoredEndstats {
  roundId: string;
  fileName: string;
  sha256: string;
  importedAt: string;
  map: string;
  round: 1 | 2;
  stamp: string;
  wallMs: number;
  awards: EtlAward[];
  vs: EtlVsRow[];
  warnings: string[];
  /** The file's size in bytes (with `sha256`, what tells a longer file that completes it). */
  size?: number;
}

/** What storing an endstats file did. */
export type EndstatsApplyResult =
  | { status: "duplicate"; roundId: string }
  | { status: "imported"; roundId: string; announcements: number; replaced?: string };

/** A different endstats file for a round that has one (same name, other bytes). */
export class EndstatsExistsError extends Error {}

/** Stores an endstats file under `roundId` (the id its round has or will have). */
export async function applyEtlEndstats(
  txn: KvTxn,
  es: EtlEndstats,
  src: { roundId: string; sha256: string; importedAt: Date; bytes?: Uint8Array },
  opts: { announce: boolean; now: Date },
): Promise<EndstatsApplyResult> {
  const key = etlEndstatsKey(src.roundId);
  await txn.prefetch([key, etlRoundKey(src.roundId)]);
  const existing = await claimFile(txn, src.sha256);
  if (existing) return { status: "duplicate", roundId: existing.sessionId };
  const prior = await txn.get<StoredEndstats>(key, { check: true });
  // "A complete file wins" (docs/security.md): a longer file whose beginning is the stored file.
  const completes = prior !== null && src.bytes !== undefined && prior.size !== undefined &&
    src.bytes.length > prior.size && sha256Hex(src.bytes.subarray(0, prior.size)) === prior.sha256;
  if (prior && !completes) {
    throw new EndstatsExistsError(
      `round "${src.roundId}" already has endstats from a different file with the same name`,
    );
  }
  txn.set(
    key,
    {
      roundId: src.roundId,
      fileName: es.fileName,
      sha256: src.sha256,
      importedAt: src.importedAt.toISOString(),
      map: es.map,
      round: es.round,
      stamp: es.stamp,
      wallMs: es.wallMs,
      awards: es.awards,
      vs: es.vs,
      warnings: es.warnings,
      ...(src.bytes ? { size: src.bytes.length } : {}),
    } satisfies StoredEndstats,
  );
  putFile(txn, src.sha256, {
    sessionId: src.roundId,
    fileName: es.fileName,
    importedAt: src.importedAt.toISOString(),
  });
  markChanged(txn, src.importedAt);
  // Posted once the round is stored (its post comes first); a round stored later queues it.
  const roundStored = await txn.get(etlRoundKey(src.roundId), { check: true }) !== null;
  if (prior) {
    // Completed: the awards post already made (if any) is edited, none is added.
    const edits: EtlAnnouncement[] = roundStored
      ? [{ type: "etl_awards", roundId: src.roundId, edit: true }]
      : [];
    if (opts.announce) {
      enqueueAnnouncements(txn, edits, opts.now, `${src.roundId}-endstats-${src.sha256.slice(0, 12)}`);
    }
    return { status: "imported", roundId: src.roundId, announcements: 0, replaced: prior.sha256 };
  }
  const items: EtlAnnouncement[] = roundStored ? [{ type: "etl_awards", roundId: src.roundId }] : [];
  if (opts.announce) enqueueAnnouncements(txn, items, opts.now, `${src.roundId}-endstats`);
  return { status: "imported", roundId: src.roundId, announcements: opts.announce ? items.length : 0 };
}

/** One award as served: the player resolved to a GUID through the round (null when it cannot be). */
export interface AwardView {
  award: string;
  name: string;
  guid: string | null;
  value: number | null;
  unit: string | null;
  text: string;
}

/** One VS row as served. */
export interface VsView {
  of: string | null;
  ofGuid: string | null;
  name: string;
  guid: string | null;
  kills: number;
  deaths: number;
}

/** A round's awards (`GET /api/etl/rounds/:id/awards`). */
export interface RoundAwards {
  roundId: string;
  fileName: string;
  /** False while the round's stats file is not stored: GUIDs are null until it is. */
  roundStored: boolean;
  awards: AwardView[];
  vs: VsView[];
}

/**
 * A resolver from names in an endstats file to GUIDs, through a round's players: the plain name,
 * case-insensitively; then, when exactly one player's name starts with it, that player (the Lua
 * may cut long names).
 */
export function nameResolver(
  players: readonly { guid: string; name: string; gameName?: string }[],
): (name: string) => string | null {
  // The files' names (`gameName` where a display name replaced `name` for reading).
  const fileName = (p: { name: string; gameName?: string }) => (p.gameName ?? p.name).trim().toLowerCase();
  const byName = new Map<string, string | null>();
  for (const p of players) {
    const k = fileName(p);
    byName.set(k, byName.has(k) && byName.get(k) !== p.guid ? null : p.guid);
  }
  return (name) => {
    const k = name.trim().toLowerCase();
    if (byName.has(k)) return byName.get(k) ?? null;
    const hits = players.filter((p) => k.length >= 3 && fileName(p).startsWith(k));
    return hits.length === 1 ? hits[0]!.guid : null;
  };
}

/** Shapes stored endstats with a round's names. */
export function awardsView(es: StoredEndstats, round: StoredRound | null): RoundAwards {
  const guidOf = nameResolver(round?.players ?? []);
  // A resolved player shows under the round's name for them (a display name where one is set).
  const shown = new Map((round?.players ?? []).map((p) => [p.guid, p.name]));
  const nameOf = (name: string, guid: string | null) => (guid ? shown.get(guid) : undefined) ?? name;
  return {
    roundId: es.roundId,
    fileName: es.fileName,
    roundStored: round !== null,
    awards: es.awards.map((a) => ({
      award: a.award,
      name: nameOf(a.name, guidOf(a.name)),
      guid: guidOf(a.name),
      value: a.value,
      unit: a.unit,
      text: a.text,
    })),
    vs: es.vs.map((v) => ({
      of: v.of === null ? null : nameOf(v.of, guidOf(v.of)),
      ofGuid: v.of === null ? null : guidOf(v.of),
      name: nameOf(v.name, guidOf(v.name)),
      guid: guidOf(v.name),
      kills: v.kills,
      deaths: v.deaths,
    })),
  };
}

/** The stored endstats of a round (null when none came). */
export async function getEndstats(r: Pick<KvReader, "get">, roundId: string): Promise<StoredEndstats | null> {
  return await r.get<StoredEndstats>(etlEndstatsKey(roundId));
}

/** A round's awards, names resolved; null when no endstats file is stored for it. */
export async function getRoundAwards(r: KvReader, roundId: string): Promise<RoundAwards | null> {
  const [es, round] = await Promise.all([getEndstats(r, roundId), getRound(r, roundId)]);
  return es ? awardsView(es, round) : null;
}

/**
 * How many of each award a player won, over the rounds that count for them (the rounds of their
 * stats, from their round index: an excluded round or an orphan round 2 adds none). Only those
 * rounds' endstats files and rounds are read, with getMany (ten keys a call), so the answer costs
 * the player's rounds, not the store's: a few hundred keys on a 3,000-round store, not 6,000.
 */
export async function playerAwardCounts(r: KvReader, guid: string): Promise<Map<string, number>> {
  const ids = (await playerRounds(r, guid, 100_000)).map((e) => e.roundId);
  const files = await r.getMany<StoredEndstats>(ids.map(etlEndstatsKey));
  const withAwards = ids.filter((_, i) => files[i]);
  const rounds = await r.getMany<PackedRound>(withAwards.map(etlRoundKey));
  const won = new Map<string, number>();
  files.filter((f) => f !== null).forEach((es, i) => {
    const p = rounds[i];
    for (const a of awardsView(es, p ? unpackRound(p) : null).awards) {
      if (a.guid === guid) won.set(a.award, (won.get(a.award) ?? 0) + 1);
    }
  });
  return won;
}

/** True when at least one endstats file is stored. */
export async function hasEndstats(r: KvReader): Promise<boolean> {
  return (await r.list(etlEndstatsPrefix(), 1)).length > 0;
}

/** Every stored endstats file, in round-id order (for `/et awards` and the site). */
export async function listEndstats(r: KvReader, limit = 100_000): Promise<StoredEndstats[]> {
  return (await r.list<StoredEndstats>(etlEndstatsPrefix(), limit)).map((e) => e.value);
}
