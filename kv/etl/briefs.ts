/**
 * A map's rounds as briefs, per wall-clock month (`etl_map_month`): pairing, the restart rule and
 * `/et maps` read them. Every import of a map rewrites its month with a check, so two imports that
 * could affect each other cannot both commit blind.
 */
import type { KvTxn } from "@/kv/txn.ts";
import { etlMapMonthKey, wallMonth } from "@/kv/etl/keys.ts";
import type { RoundBrief } from "@/kv/etl/types.ts";

/** The map's rounds in the months that cover [fromMs, toMs], read with a check, in time order. */
export async function mapBriefs(
  txn: KvTxn,
  map: string,
  fromMs: number,
  toMs: number,
): Promise<RoundBrief[]> {
  const months = [...new Set([wallMonth(fromMs), wallMonth(toMs)])];
  const out: RoundBrief[] = [];
  for (const m of months) {
    const v = await txn.get<{ briefs: RoundBrief[] }>(etlMapMonthKey(map, m), { check: true });
    for (const b of v?.briefs ?? []) if (b.wallMs >= fromMs && b.wallMs <= toMs) out.push(b);
  }
  return out.sort((a, b) => a.wallMs - b.wallMs);
}

/** Writes a round's brief into its map-month list (replacing an older brief of the same round). */
export async function putMapBrief(txn: KvTxn, b: RoundBrief): Promise<void> {
  const key = etlMapMonthKey(b.map, wallMonth(b.wallMs));
  const v = await txn.get<{ briefs: RoundBrief[] }>(key, { check: true });
  const briefs = (v?.briefs ?? []).filter((x) => x.id !== b.id);
  briefs.push(b);
  briefs.sort((x, y) => x.wallMs - y.wallMs || (x.id < y.id ? -1 : 1));
  txn.set(key, { briefs });
}

/** True when a brief is from the given server (or both have none). */
export function sameSlot(a: RoundBrief, serverId: string | undefined): boolean {
  return (a.serverId ?? null) === (serverId ?? null);
}
