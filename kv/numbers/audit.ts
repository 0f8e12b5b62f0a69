/**
 * The audit log of a guild's numbers: who did what, when, for every claim, release, force release,
 * setup change, link and sync result. Entries are written in the same atomic commit as the change
 * they record, once under the guild and once per member they concern (for `/auditlog member`).
 */
import { auditByMemberKey, auditByMemberPrefix, auditKey, auditPrefix } from "@/kv/numbers/keys.ts";

/** What happened. */
export type AuditAction = "claim" | "release" | "force_release" | "setup" | "sync" | "link";

/** One entry. `actorId` is a Discord user id, or "sync" for the scheduled sync. */
export interface AuditEntry {
  id: string;
  at: string;
  actorId: string;
  action: AuditAction;
  number?: string;
  /** The member the change was done to, when not the actor (force release). */
  targetId?: string;
  details: string;
}

let sequence = 0;

/**
 * A time-ordered id: epoch ms, a per-process sequence (order within one millisecond), then random
 * hex so that entries from two processes in one millisecond both stay.
 */
export function newAuditId(now: Date): string {
  const rand = crypto.getRandomValues(new Uint8Array(4));
  const seq = (sequence = (sequence + 1) % 1_000_000).toString().padStart(6, "0");
  return `${now.getTime().toString().padStart(15, "0")}-${seq}-${
    Array.from(rand, (b) => b.toString(16).padStart(2, "0")).join("")
  }`;
}

/** Adds the entry's writes to an atomic operation. */
export function addAudit(
  op: Deno.AtomicOperation,
  guildId: string,
  entry: Omit<AuditEntry, "id" | "at">,
  now: Date,
): AuditEntry {
  const full: AuditEntry = { id: newAuditId(now), at: now.toISOString(), ...entry };
  op.set(auditKey(guildId, full.id), full);
  const members = new Set(
    [entry.actorId, entry.targetId].filter((m): m is string => Boolean(m) && m !== "sync"),
  );
  for (const m of members) op.set(auditByMemberKey(guildId, m, full.id), full);
  return full;
}

/** Newest entries first, of the guild or of one member (as actor or target). */
export async function listAudit(
  kv: Deno.Kv,
  guildId: string,
  opts: { memberId?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  const prefix = opts.memberId ? auditByMemberPrefix(guildId, opts.memberId) : auditPrefix(guildId);
  return await Array.fromAsync(
    kv.list<AuditEntry>({ prefix }, { limit: opts.limit ?? 20, reverse: true }),
    (e) => e.value,
  );
}
