/** ET:Legacy files the importer refused, with the reason: `/et admin failed` lists the newest. */
import { etlFailedKey, etlFailedPrefix } from "@/kv/etl/keys.ts";

/** A refused file. */
export interface FailedFile {
  name: string;
  reason: string;
  at: string;
}

/** Keeps this many; older entries are dropped as new ones come. */
export const FAILED_KEPT = 200;

/** Records a refused file (a plain set: nothing else depends on it). */
export async function recordFailed(
  kv: Deno.Kv,
  f: { name: string; reason: string },
  at: Date,
): Promise<void> {
  await kv.set(etlFailedKey(at.getTime(), f.name), { name: f.name, reason: f.reason, at: at.toISOString() });
  const old = await Array.fromAsync(kv.list({ prefix: etlFailedPrefix() }, { reverse: true }), (e) => e.key);
  for (const key of old.slice(FAILED_KEPT)) await kv.delete(key);
}

/** The newest refused files first. */
export async function listFailed(kv: Deno.Kv, limit: number): Promise<FailedFile[]> {
  return await Array.fromAsync(
    kv.list<FailedFile>({ prefix: etlFailedPrefix() }, { reverse: true, limit }),
    (e) => e.value,
  );
}
