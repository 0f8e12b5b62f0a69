/** ET:Legacy players by GUID: the newest name, career totals, and one indexed row per round. */
import type { EtlTotals } from "@/ingest/etl_metrics.ts";
import { addStats, type EtlPlayerRound, zeroStats } from "@/ingest/etl_stats.ts";
import type { KvReader } from "@/kv/reader.ts";
import type { KvTxn } from "@/kv/txn.ts";
import { etlPlayerKey, etlPlayerPrefix, etlPlayerRoundKey, etlPlayerRoundPrefix } from "@/kv/etl/keys.ts";
import type { EtlPlayer, EtlPlayerRoundEntry } from "@/kv/etl/types.ts";

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
    const old = await txn.get<EtlPlayer>(etlPlayerKey(guid), { check: true });
    const p: EtlPlayer = old ? { ...old, totals: { ...old.totals } } : {
      guid,
      name: (a ?? b)!.name,
      nameRaw: (a ?? b)!.nameRaw,
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
      const { weapons: _w, ...row } = a;
      txn.set(
        etlPlayerRoundKey(guid, ref.wallMs, ref.id),
        {
          roundId: ref.id,
          map: ref.map,
          round: ref.round,
          playedAt: ref.playedAt,
          row,
        } satisfies EtlPlayerRoundEntry,
      );
    } else txn.delete(etlPlayerRoundKey(guid, ref.wallMs, ref.id));
    p.firstWallMs = Math.min(p.firstWallMs, ref.wallMs);
    if (ref.wallMs >= p.lastWallMs) {
      // The newest round's name wins, whatever the import order.
      p.lastWallMs = ref.wallMs;
      p.lastPlayedAt = ref.playedAt;
      const named = a ?? b!;
      p.name = named.name;
      p.nameRaw = named.nameRaw;
    }
    txn.set(etlPlayerKey(guid), p);
  }
}

/** A player by GUID. */
export async function getEtlPlayer(r: KvReader, guid: string): Promise<EtlPlayer | null> {
  return await r.get<EtlPlayer>(etlPlayerKey(guid));
}

/** Every player. */
export async function listEtlPlayers(r: KvReader): Promise<EtlPlayer[]> {
  return (await r.list<EtlPlayer>(etlPlayerPrefix(), 100_000)).map((e) => e.value);
}

/** A player's rows, oldest first. */
export async function playerRounds(
  r: KvReader,
  guid: string,
  limit = 10_000,
): Promise<EtlPlayerRoundEntry[]> {
  return (await r.list<EtlPlayerRoundEntry>(etlPlayerRoundPrefix(guid), limit)).map((e) => e.value);
}
