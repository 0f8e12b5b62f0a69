/**
 * ET:Legacy players by GUID: the newest name, career totals, and one indexed row per round.
 * Stats are stored packed (arrays in STAT_KEYS order) and unpacked here, the only door to them.
 */
import type { EtlTotals } from "@/games/etl/metrics.ts";
import { addStats, type EtlPlayerRound, packStats, unpackStats, zeroStats } from "@/games/etl/stats.ts";
import type { KvReader } from "@/kv/reader.ts";
import { displayNames, named as withDisplayName } from "@/kv/etl/display_names.ts";
import type { KvTxn } from "@/kv/txn.ts";
import {
  etlPlayerKey,
  etlPlayerPrefix,
  etlPlayerRoundKey,
  etlPlayerRoundPrefix,
  etlRoundKey,
} from "@/kv/etl/keys.ts";
import type {
  EtlPlayer,
  EtlPlayerRoundEntry,
  StoredEtlPlayer,
  StoredPlayerRoundEntry,
} from "@/kv/etl/types.ts";

/** The round a set of rows belongs to. */
export interface RoundRef {
  id: string;
  map: string;
  round: 1 | 2;
  wallMs: number;
  playedAt: string;
}

/** Zero totals. */
export function zeroTotals(): EtlTotals {
  return { ...zeroStats(), rounds: 0 };
}

function unpackPlayer(p: StoredEtlPlayer): EtlPlayer {
  const { t, ...rest } = p;
  return { ...rest, totals: { ...unpackStats(t), rounds: t[t.length - 1] ?? 0 } };
}

function packPlayer(p: EtlPlayer): StoredEtlPlayer {
  const { totals, ...rest } = p;
  return { ...rest, t: [...packStats(totals), totals.rounds] };
}

/**
 * Moves the round's rows in the players' totals from `before` (null: not counted so far) to
 * `after` (null: not counted, an orphan), and keeps each player's newest name.
 */
export async function applyPlayerRows(
  txn: KvTxn,
  ref: RoundRef,
  after: EtlPlayerRound[] | null,
  before: EtlPlayerRound[] | null,
): Promise<void> {
  const rows = new Map<string, { a?: EtlPlayerRound; b?: EtlPlayerRound }>();
  for (const r of after ?? []) rows.set(r.guid, { a: r });
  for (const r of before ?? []) rows.set(r.guid, { ...rows.get(r.guid), b: r });
  await txn.prefetch([...rows.keys()].map(etlPlayerKey));
  for (const [guid, { a, b }] of rows) {
    const old = await txn.get<StoredEtlPlayer>(etlPlayerKey(guid), { check: true });
    const named = (a ?? b)!;
    const p: EtlPlayer = old ? unpackPlayer(old) : {
      guid,
      name: named.name,
      nameRaw: named.nameRaw,
      firstWallMs: ref.wallMs,
      lastWallMs: ref.wallMs,
      lastPlayedAt: ref.playedAt,
      totals: zeroTotals(),
    };
    if (b) {
      addStats(p.totals, b, -1);
      p.totals.rounds--;
    }
    if (a) {
      addStats(p.totals, a);
      p.totals.rounds++;
      txn.set(
        etlPlayerRoundKey(guid, ref.wallMs, ref.id),
        {
          roundId: ref.id,
          map: ref.map,
          round: ref.round,
          playedAt: ref.playedAt,
          s: packStats(a),
        } satisfies StoredPlayerRoundEntry,
      );
    } else {
      txn.delete(etlPlayerRoundKey(guid, ref.wallMs, ref.id));
      // Rows leaving the totals (an exclusion, a re-pairing) leave no trace: the same as if never counted.
      if (old && await forgetRound(txn, p, ref)) txn.set(etlPlayerKey(guid), packPlayer(p));
      else if (old) txn.delete(etlPlayerKey(guid));
      continue;
    }
    p.firstWallMs = Math.min(p.firstWallMs, ref.wallMs);
    if (ref.wallMs >= p.lastWallMs) {
      // The newest round's name wins, whatever the import order.
      p.lastWallMs = ref.wallMs;
      p.lastPlayedAt = ref.playedAt;
      p.name = named.name;
      p.nameRaw = named.nameRaw;
    }
    txn.set(etlPlayerKey(guid), packPlayer(p));
  }
}

/**
 * After a round's row left a player's totals: their first and last play and newest name from the
 * rows that remain. False when none remain (the player goes, as if never counted).
 */
async function forgetRound(txn: KvTxn, p: EtlPlayer, ref: RoundRef): Promise<boolean> {
  if (p.totals.rounds <= 0) return false;
  if (ref.wallMs > p.firstWallMs && ref.wallMs < p.lastWallMs) return true;
  const rows = (await txn.list<StoredPlayerRoundEntry>(etlPlayerRoundPrefix(p.guid), 100_000))
    .filter((e) => e.value.roundId !== ref.id);
  const first = rows[0], last = rows.at(-1);
  if (!first || !last) return false;
  p.firstWallMs = first.key[2] as number;
  if (ref.wallMs >= p.lastWallMs) {
    p.lastWallMs = last.key[2] as number;
    p.lastPlayedAt = last.value.playedAt;
    const round = await txn.get<{ rows: { guid: string; name: string; nameRaw: string }[] }>(
      etlRoundKey(last.value.roundId),
    );
    const row = round?.rows.find((r) => r.guid === p.guid);
    if (row) [p.name, p.nameRaw] = [row.name, row.nameRaw];
  }
  return true;
}

/** A player by GUID (with their display name where the reader applies them: kv/etl/display_names.ts). */
export async function getEtlPlayer(r: KvReader, guid: string): Promise<EtlPlayer | null> {
  const [p, names] = await Promise.all([r.get<StoredEtlPlayer>(etlPlayerKey(guid)), displayNames(r)]);
  return p ? (names ? withDisplayName(unpackPlayer(p), names) : unpackPlayer(p)) : null;
}

/** Players by GUID (null for unknown ones), in the order asked. */
export async function getEtlPlayers(r: KvReader, guids: string[]): Promise<(EtlPlayer | null)[]> {
  const [ps, names] = await Promise.all([
    r.getMany<StoredEtlPlayer>(guids.map(etlPlayerKey)),
    displayNames(r),
  ]);
  return ps.map((p) => p ? (names ? withDisplayName(unpackPlayer(p), names) : unpackPlayer(p)) : null);
}

/** Every player. */
export async function listEtlPlayers(r: KvReader): Promise<EtlPlayer[]> {
  const [ps, names] = await Promise.all([
    r.list<StoredEtlPlayer>(etlPlayerPrefix(), 100_000),
    displayNames(r),
  ]);
  return ps.map((e) => names ? withDisplayName(unpackPlayer(e.value), names) : unpackPlayer(e.value));
}

/** A player's rows, oldest first. */
export async function playerRounds(
  r: KvReader,
  guid: string,
  limit = 10_000,
): Promise<EtlPlayerRoundEntry[]> {
  return (await r.list<StoredPlayerRoundEntry>(etlPlayerRoundPrefix(guid), limit)).map((e) => {
    const { s, ...rest } = e.value;
    return { ...rest, row: unpackStats(s) };
  });
}
