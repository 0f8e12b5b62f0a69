/** Helpers of discord/delivery.ts: the nonce and reference, the search for an earlier post, the status. */
import type { APIEmbed, APIMessage } from "discord-api-types/v10";
import type { DiscordApi, MessageBody } from "@/discord/rest.ts";
import { deliveryKeys as K, outboxKey, outboxPrefix, outboxSignalKey } from "@/kv/keys.ts";
import type { OutboxItem } from "@/kv/outbox.ts";
import { commitWithRetry } from "@/kv/retry.ts";

/** Commits one atomic operation, retried while another process holds the KV file's write lock. */
export async function commitOp(
  op: Deno.AtomicOperation,
  what: string,
): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
  return await commitWithRetry(() => op.commit(), what);
}

/** The nonce of an announcement: 20 hex characters of SHA-256 of its id (Discord allows 25). */
export async function nonceFor(id: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id)));
  return Array.from(digest.slice(0, 10), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The reference an announcement carries in its footer, found again by `findPosted`. */
export function referenceOf(nonce: string): string {
  return `ref ${nonce}`;
}

/** The message with its reference in the last embed's footer (or, without embeds, as a small line). */
export function withReference<T extends MessageBody>(message: T, nonce: string): T {
  const ref = referenceOf(nonce);
  const embeds = message.embeds ?? [];
  if (embeds.length === 0) return { ...message, content: `${message.content ?? ""}\n-# ${ref}`.trim() };
  const last: APIEmbed = embeds.at(-1)!;
  const text = last.footer?.text ? `${last.footer.text} · ${ref}` : ref;
  return { ...message, embeds: [...embeds.slice(0, -1), { ...last, footer: { ...last.footer, text } }] };
}

const DISCORD_EPOCH = 1420070400000n;

/** The smallest snowflake of a moment: messages created after it have larger ids. */
export function snowflakeAt(ms: number): string {
  return ((BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH) << 22n).toString();
}

function carries(m: APIMessage, ref: string): boolean {
  return (m.content ?? "").includes(ref) ||
    (m.embeds ?? []).some((e) => (e.footer?.text ?? "").includes(ref));
}

/**
 * Looks for an earlier post of the announcement with `nonce` among the channel's messages since
 * `sinceMs` (a minute of clock skew allowed): the message, null when it is certainly not there,
 * or "unsure" when more than `maxPages` pages of messages came after.
 */
export async function findPosted(
  api: DiscordApi,
  channelId: string,
  nonce: string,
  sinceMs: number,
  maxPages = 20,
): Promise<APIMessage | null | "unsure"> {
  const ref = referenceOf(nonce);
  let after = snowflakeAt(sinceMs - 60_000);
  for (let page = 0; page < maxPages; page++) {
    const msgs = await api.getMessages(channelId, { after, limit: 100 });
    const found = msgs.find((m) => carries(m, ref));
    if (found) return found;
    if (msgs.length < 100) return null;
    after = msgs.reduce((a, m) => BigInt(m.id) > BigInt(a) ? m.id : a, after);
  }
  return "unsure";
}

/** A dead letter: an announcement Discord refused for good, or that could not be routed. */
export interface DeadLetter {
  item: OutboxItem;
  channelId: string | null;
  reason: string;
  status?: number;
  code?: number;
  at: string;
}

/** What `/status` and `/api/health` show of delivery. */
export interface DeliveryStatus {
  /** Announcements not yet delivered (written, routed or retrying); capped at 10,000. */
  pending: number;
  deadLetterCount: number;
  /** The newest dead letters, with their reasons. */
  deadLetters: { id: string; type: string; channelId: string | null; reason: string; at: string }[];
  lastDelivered: {
    id: string;
    type: string;
    channelId: string;
    messageId: string | null;
    deliveredAt: string;
  } | null;
}

async function count(kv: Deno.Kv, prefix: Deno.KvKey, cap: number): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix }, { limit: cap })) n++;
  return n;
}

/** Delivery's state in a few reads: pending count, dead letters with reasons, last delivered. */
export async function deliveryStatus(
  kv: Deno.Kv,
  opts: { deadLetters?: number } = {},
): Promise<DeliveryStatus> {
  const cap = 10_000;
  const [waiting, routed, deadLetterCount, dead, last] = await Promise.all([
    count(kv, outboxPrefix(), cap),
    count(kv, K.pendingAll(), cap),
    count(kv, K.deadAll(), cap),
    Array.fromAsync(
      kv.list<DeadLetter>({ prefix: K.deadAll() }, { limit: opts.deadLetters ?? 10, reverse: true }),
    ),
    kv.get<DeliveryStatus["lastDelivered"]>(K.last()),
  ]);
  return {
    pending: Math.min(cap, waiting + routed),
    deadLetterCount,
    deadLetters: dead.map(({ value: d }) => ({
      id: d.item.id,
      type: d.item.announcement.type,
      channelId: d.channelId,
      reason: d.reason,
      at: d.at,
    })),
    lastDelivered: last.value,
  };
}

/**
 * Puts dead letters back in the outbox (all, or those with the given ids), for after the cause
 * is fixed (the bot got access to the channel, a channel was configured). Delivery routes them
 * again within a second. Returns how many were moved.
 */
export async function requeueDeadLetters(kv: Deno.Kv, ids?: string[]): Promise<number> {
  const wanted = ids ? new Set(ids) : null;
  let moved = 0;
  for await (const e of kv.list<DeadLetter>({ prefix: K.deadAll() })) {
    if (wanted && !wanted.has(e.value.item.id)) continue;
    const item = e.value.item;
    const res = await commitOp(
      kv.atomic().check(e).delete(e.key).set(outboxKey(item.id), item).set(outboxSignalKey(), {
        at: new Date().toISOString(),
      }),
      "a requeued dead letter",
    );
    if (res.ok) moved++;
  }
  return moved;
}
