/**
 * The changes key: rewritten by every import that stores a session, never checked (so it never
 * makes imports conflict). Its versionstamp tells any server, in one get, whether anything
 * changed since it last looked; the read caches (kv/view_cache.ts, kv/rank_cache.ts) rest on it.
 */
import { changesKey } from "@/kv/keys.ts";
import type { KvTxn } from "@/kv/txn.ts";

/** Marks the store changed, in the importing transaction. */
export function markChanged(txn: KvTxn, at: Date): void {
  txn.set(changesKey(), { lastImportAt: at.toISOString() });
}

/** The changes key's versionstamp (null before the first import). */
export async function changesStamp(kv: Deno.Kv): Promise<string | null> {
  return (await kv.get(changesKey())).versionstamp;
}
