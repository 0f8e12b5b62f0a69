/**
 * The announcement outbox, shared by every domain. A domain announces by writing outbox items in
 * the same atomic commit as the data they announce (`enqueueAnnouncements` for a KvTxn,
 * `addAnnouncements` for a plain `kv.atomic()`); delivery (discord/delivery.ts) moves them on to a
 * per-channel queue and deletes them when sent. An item is plain JSON `{ type, ... }`; the type
 * names the renderer in discord/announcements.ts.
 */
import { outboxKey, outboxPrefix, outboxSignalKey } from "@/kv/keys.ts";
import type { KvTxn } from "@/kv/txn.ts";

/** One announcement, from any domain: plain JSON whose `type` picks its renderer. */
export interface OutboxAnnouncement {
  type: string;
  [field: string]: unknown;
}

/** An announcement waiting for delivery. */
export interface OutboxItem<A = OutboxAnnouncement> {
  id: string;
  createdAt: string;
  attempts: number;
  announcement: A;
}

/** The outbox ids of `items` written at `now` by `sourceId` (ids sort by creation, then order). */
function outboxItems<A extends { type: string }>(items: A[], now: Date, sourceId: string): OutboxItem<A>[] {
  const stamp = now.getTime().toString().padStart(15, "0");
  return items.map((announcement, i) => ({
    id: `${stamp}-${sourceId}-${String(i).padStart(3, "0")}`,
    createdAt: now.toISOString(),
    attempts: 0,
    announcement,
  }));
}

/** Records announcements in the transaction, in order; `sourceId` (a session id...) keeps ids unique. */
export function enqueueAnnouncements<A extends { type: string }>(
  txn: KvTxn,
  items: A[],
  now: Date,
  sourceId: string,
): void {
  if (items.length === 0) return;
  for (const item of outboxItems(items, now, sourceId)) txn.set(outboxKey(item.id), item);
  txn.set(outboxSignalKey(), { at: now.toISOString() });
}

/** The same for a plain atomic operation (domains that do not use KvTxn). */
export function addAnnouncements<A extends { type: string }>(
  op: Deno.AtomicOperation,
  items: A[],
  now: Date,
  sourceId: string,
): Deno.AtomicOperation {
  if (items.length === 0) return op;
  for (const item of outboxItems(items, now, sourceId)) op.set(outboxKey(item.id), item);
  return op.set(outboxSignalKey(), { at: now.toISOString() });
}

/** Announcements not yet taken by delivery, oldest first. */
export async function listOutbox<A = OutboxAnnouncement>(kv: Deno.Kv, limit = 100): Promise<OutboxItem<A>[]> {
  return await Array.fromAsync(kv.list<OutboxItem<A>>({ prefix: outboxPrefix() }, { limit }), (e) => e.value);
}

/**
 * The signal's versionstamp: it changes with every commit that adds announcements, in any
 * process, so a server notices a CLI backfill's announcements with one cheap read.
 */
export async function outboxSignal(kv: Deno.Kv): Promise<string | null> {
  return (await kv.get(outboxSignalKey())).versionstamp;
}
