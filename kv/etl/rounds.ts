/**
 * Stored rounds: the only door to the `etl_round` values. Player rows are kept packed (stats as
 * an array in STAT_KEYS order, a fifth of the bytes of named fields in Deno KV) and unpacked here.
 */
import type { EtlWeapon } from "@/games/etl/parser.ts";
import { type EtlPlayerRound, packStats, unpackStats } from "@/games/etl/stats.ts";
import type { KvReader } from "@/kv/reader.ts";
import type { KvTxn } from "@/kv/txn.ts";
import { etlRoundKey } from "@/kv/etl/keys.ts";
import type { StoredRound } from "@/kv/etl/types.ts";
import { displayNames, named } from "@/kv/etl/display_names.ts";

/** A player row as stored. `x`: killing spree, death spree, alive %, tank/meatshield; `f`: 1 reset fallback, 2 only in R2. */
interface PackedRow {
  guid: string;
  name: string;
  nameRaw: string;
  team: number;
  s: number[];
  x: number[];
  w: EtlWeapon[];
  f?: 1 | 2;
}

/** A round as stored. */
export type PackedRound = Omit<StoredRound, "players"> & { rows: PackedRow[] };

function packRow(p: EtlPlayerRound): PackedRow {
  const row: PackedRow = {
    guid: p.guid,
    name: p.name,
    nameRaw: p.nameRaw,
    team: p.team,
    s: packStats(p),
    x: [p.killingSpree, p.deathSpree, p.alivePercent, p.tankMeatshield],
    w: p.weapons,
  };
  if (p.resetFallback) row.f = 1;
  else if (p.onlyInR2) row.f = 2;
  return row;
}

function unpackRow(r: PackedRow): EtlPlayerRound {
  const p: EtlPlayerRound = {
    guid: r.guid,
    name: r.name,
    nameRaw: r.nameRaw,
    team: r.team,
    ...unpackStats(r.s),
    killingSpree: r.x[0] ?? 0,
    deathSpree: r.x[1] ?? 0,
    alivePercent: r.x[2] ?? 0,
    tankMeatshield: r.x[3] ?? 0,
    weapons: r.w,
  };
  if (r.f === 1) p.resetFallback = true;
  if (r.f === 2) p.onlyInR2 = true;
  return p;
}

/** Packs a round for storage. */
export function packRound(r: StoredRound): PackedRound {
  const { players, ...rest } = r;
  return { ...rest, rows: players.map(packRow) };
}

/** Unpacks a stored round. */
export function unpackRound(p: PackedRound): StoredRound {
  const { rows, ...rest } = p;
  return { ...rest, players: rows.map(unpackRow) };
}

/** Writes a round in the transaction. */
export function putRound(txn: KvTxn, r: StoredRound): void {
  txn.set(etlRoundKey(r.id), packRound(r));
}

/** A round by id (reads through a transaction or straight from KV; display names where the reader applies them). */
export async function getRound(
  r: Pick<KvReader, "get"> & Partial<KvReader>,
  id: string,
  opts: { check?: boolean } = {},
): Promise<StoredRound | null> {
  const [p, names] = await Promise.all([r.get<PackedRound>(etlRoundKey(id), opts), displayNames(r)]);
  return p ? renamed(unpackRound(p), names) : null;
}

/** Rounds by id, in the order asked; unknown ids are left out. */
export async function getRounds(
  r: Pick<KvReader, "getMany"> & Partial<KvReader>,
  ids: string[],
): Promise<StoredRound[]> {
  const [found, names] = await Promise.all([r.getMany<PackedRound>(ids.map(etlRoundKey)), displayNames(r)]);
  return found.filter((p) => p !== null).map((p) => renamed(unpackRound(p!), names));
}

function renamed(round: StoredRound, names: Map<string, string> | null | undefined): StoredRound {
  if (!names?.size) return round;
  return { ...round, players: round.players.map((p) => named(p, names)) };
}

/** Every stored round, in id order (tests and tools). */
export async function allRounds(kv: Deno.Kv): Promise<StoredRound[]> {
  return await Array.fromAsync(kv.list<PackedRound>({ prefix: ["etl_round"] }), (e) => unpackRound(e.value));
}
