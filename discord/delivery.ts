/**
 * Announcement delivery: every outbox item reaches its Discord channel exactly once, in the order
 * things happened, through restarts.
 *
 * - Routing: items written by import commits (kv/outbox.ts) move, one atomic commit per batch, to
 *   their channel's queue (`["delivery","pending",channel,orderKey,id]`). The outbox and these
 *   pending keys are the truth; where KV queues work (`queues`, config.ts) each also gets a queue
 *   message (`kv.enqueue`) that wakes a drain of that channel in whichever process listens.
 * - Without queues (Deno Deploy today, KV Connect, `PODIUM_QUEUES=off`): the minute cron
 *   (`drainAll()`, crons/mod.ts) routes and drains every channel, the serving process kicks after
 *   its own imports, and a wait (backoff, rate limit) is an in-process timer that the cron stands
 *   in for when the process has stopped. Nothing depends on a process that keeps running.
 * - Ordering: one drain per channel at a time (in this process a promise chain, across instances
 *   a lease in KV); it posts the channel's queue in key order and stops at the first item that must
 *   wait, so nothing overtakes it.
 * - Exactly once: a post carries `nonce` (from the id) with `enforce_nonce`, and an attempt record
 *   is written before it; the message id is stored in the commit that removes the item. A retry
 *   after an unknown outcome relies on the nonce while inside Discord's window, and after it
 *   first searches the channel for the reference in the footer. 404 10008 on a nonce retry means
 *   "posted, then deleted": delivered.
 * - Failures: 429 waits `retry_after` (a global one pauses every channel); 5xx and network errors
 *   retry with exponential backoff and jitter; permanent refusals go to the dead letters.
 * - Prompt: the serving process calls `kick()` after its own imports; a CLI backfill in another
 *   process is noticed by polling the outbox signal's versionstamp (KV queues would take ~60 s).
 */
import { z } from "zod";
import type { DiscordDeps } from "@/discord/deps.ts";
import type { DiscordApi } from "@/discord/rest.ts";
import { type AnnouncementRenderer, RENDERERS } from "@/discord/announcements.ts";
import { type OutboxItem, outboxSignal } from "@/kv/outbox.ts";
import { deliveryKeys as K, outboxPrefix } from "@/kv/keys.ts";
import { commitOp } from "@/discord/_delivery_util.ts";
import { type DeliverContext, deliverOne, type PendingItem } from "@/discord/_deliver_one.ts";
import { offQueueMessage, onQueueMessage } from "@/kv/queue.ts";

export { type DeliveryStatus, deliveryStatus, requeueDeadLetters } from "@/discord/_delivery_util.ts";
export type { PendingItem } from "@/discord/_deliver_one.ts";

const QueueMessage = z.object({
  kind: z.literal("podium.delivery"),
  channelId: z.string().min(1),
  id: z.string().optional(),
});

/** Tunables; tests shorten the waits. */
export interface DeliveryOptions {
  renderers?: readonly AnnouncementRenderer[];
  /** How often the outbox signal is checked for other processes' announcements (ms, default 1000). */
  pollMs?: number;
  /** How often every channel's queue is looked at as a safety net (ms, default 30000). */
  sweepMs?: number;
  /** How long after a post a retry may rely on `enforce_nonce` (ms, default 120000; Discord: "a few minutes"). */
  nonceWindowMs?: number;
  /** First backoff after a 5xx or network error (ms, default 1000), doubling up to 10 minutes. */
  retryBaseMs?: number;
  /** Tries with an unknown outcome before an item is given up as a dead letter (default 30). */
  maxTries?: number;
  /** Handle the KV queue's delivery messages (default true; through kv/queue.ts, one listener per KV handle). */
  listen?: boolean;
  /** Use KV queues as wake-ups and delayed retries (default `deps.config.queues`, else true). */
  queues?: boolean;
  random?: () => number;
  log?: (line: string) => void;
}

/** A running delivery. */
export interface Delivery {
  /** Routes new outbox items and drains their channels now. */
  kick(): void;
  /** Resolves when nothing is being routed or drained (tests, benchmark). */
  idle(): Promise<void>;
  /**
   * Routes the outbox and drains every channel with something pending, then resolves (the minute
   * cron's body, and the only wake-up that survives a stopped process when queues are off).
   */
  drainAll(): Promise<void>;
  /** Handles one KV queue message of kind `podium.delivery` (main.ts's listener, registered at start-up). */
  onMessage(raw: Record<string, unknown>): Promise<void>;
  /** Stops polling and waits for running drains. */
  close(): Promise<void>;
}

/** Starts delivering the outbox to Discord. `deps.discord` must be set. */
export function startDelivery(deps: DiscordDeps, opts: DeliveryOptions = {}): Delivery {
  const discord = deps.discord;
  if (!discord) throw new Error("Cannot deliver announcements: Discord is off (set the DISCORD_* variables)");
  const api: DiscordApi = discord;
  const kv = deps.kv;
  const byType = new Map((opts.renderers ?? RENDERERS).map((r) => [r.type, r]));
  const nonceWindow = opts.nonceWindowMs ?? 120_000;
  const retryBase = opts.retryBaseMs ?? 1000;
  const maxTries = opts.maxTries ?? 30;
  const random = opts.random ?? Math.random;
  const log = opts.log ?? ((line: string) => console.error(line));
  const owner = crypto.randomUUID();
  // Two clocks: `now` (injectable) for what Discord's clock judges (the nonce window, dates shown),
  // `wallMs` for waits that really pass (backoff, retry_after, the queue's `delay`).
  const now = () => deps.now().getTime();
  const wallMs = () => Date.now();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const wakeAt = new Map<string, number>();
  let routing: Promise<void> | null = null;
  let routeAgain = false;
  let pausedUntil = 0;
  let closed = false;
  let seenSignal: string | null | undefined = undefined;
  let queues = opts.queues ?? deps.config.queues ?? true;
  /** Without queues: the in-process wake-ups, one per channel (the cron covers a stopped process). */
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** KV queues refused a message: deliver without them from now on. */
  function queuesFailed(err: unknown): void {
    if (!queues) return;
    queues = false;
    log(`KV queues are not available here (${(err as Error).message}); delivery runs on the minute cron`);
  }

  /**
   * A wake-up of `channelId`'s drain after `delayMs`: a KV queue message (durable), or without
   * queues an in-process timer (the minute cron stands in for it if this process stops).
   */
  async function wake(channelId: string, delayMs: number): Promise<void> {
    const at = wallMs() + delayMs;
    const known = wakeAt.get(channelId);
    if (known !== undefined && known <= at && known > wallMs()) return;
    wakeAt.set(channelId, at);
    if (queues) {
      try {
        await kv.enqueue({ kind: "podium.delivery", channelId }, { delay: Math.max(0, Math.ceil(delayMs)) });
        return;
      } catch (err) {
        queuesFailed(err);
      }
    }
    clearTimeout(timers.get(channelId));
    const timer = setTimeout(() => {
      timers.delete(channelId);
      if (wakeAt.get(channelId) === at) wakeAt.delete(channelId);
      if (!closed) void drain(channelId);
    }, Math.max(0, delayMs));
    timers.set(channelId, timer);
  }

  const ctx: DeliverContext = {
    kv,
    api,
    deps,
    byType,
    nonceWindow,
    retryBase,
    maxTries,
    random,
    log,
    now,
    wallMs,
    wake,
    pause: (ms) => pausedUntil = Math.max(pausedUntil, wallMs() + ms),
  };

  // ---- routing: outbox -> channel queues ----
  async function routeOnce(): Promise<Set<string>> {
    const channels = new Set<string>();
    for (;;) {
      const batch = await Array.fromAsync(kv.list<OutboxItem>({ prefix: outboxPrefix() }, { limit: 40 }));
      if (batch.length === 0) return channels;
      const op = kv.atomic();
      for (const e of batch) {
        const item = e.value;
        op.check(e).delete(e.key);
        const r = byType.get(item.announcement.type);
        let channelId: string | null = null, failure = "";
        try {
          channelId = r ? r.channel(deps, item.announcement) : null;
        } catch (err) {
          failure = `could not choose its channel: ${(err as Error).message}`;
        }
        if (!r || !channelId) {
          const reason = failure ||
            (r
              ? `no Discord channel is configured for "${item.announcement.type}" announcements`
              : `no renderer for announcements of type "${item.announcement.type}"`);
          op.set(K.dead(item.id), { item, channelId: null, reason, at: new Date(now()).toISOString() });
          continue;
        }
        const orderKey = r.orderKey?.(item.announcement) ?? item.createdAt;
        op.set(K.pending(channelId, orderKey, item.id), { item, channelId } satisfies PendingItem);
        if (queues) op.enqueue({ kind: "podium.delivery", channelId, id: item.id });
        channels.add(channelId);
      }
      try {
        await commitOp(op, "routing announcements"); // a lost race: another process routed them
      } catch (err) {
        if (!queues) throw err;
        queuesFailed(err); // the batch is still in the outbox: routed again without queue messages
      }
    }
  }

  function route(): Promise<void> {
    if (routing) {
      routeAgain = true;
      return routing;
    }
    routing = (async () => {
      do {
        routeAgain = false;
        const channels = await routeOnce();
        for (const c of channels) void drain(c);
      } while (routeAgain && !closed);
    })().catch((err) => log(`Announcement routing failed: ${(err as Error).message}`))
      .finally(() => routing = null);
    return routing;
  }

  // ---- draining one channel, in order ----
  function drain(channelId: string): Promise<void> {
    const current = running.get(channelId);
    if (current) {
      again.add(channelId);
      return current;
    }
    const p = (async () => {
      do {
        again.delete(channelId);
        await drainOnce(channelId);
      } while (again.has(channelId) && !closed);
    })().catch((err) => log(`Delivery to channel ${channelId} failed: ${(err as Error).message}`))
      .finally(() => running.delete(channelId));
    running.set(channelId, p);
    return p;
  }

  async function acquireLease(channelId: string): Promise<boolean> {
    const e = await kv.get<{ owner: string; until: number }>(K.lease(channelId));
    if (e.value && e.value.owner !== owner && e.value.until > Date.now()) return false;
    const res = await commitOp(
      kv.atomic().check(e).set(K.lease(channelId), { owner, until: Date.now() + 60_000 }, {
        expireIn: 60_000,
      }),
      "a delivery lease",
    );
    return res.ok;
  }

  async function releaseLease(channelId: string): Promise<void> {
    const e = await kv.get<{ owner: string }>(K.lease(channelId));
    if (e.value?.owner === owner) await commitOp(kv.atomic().check(e).delete(e.key), "a delivery lease");
  }

  async function drainOnce(channelId: string): Promise<void> {
    if (closed) return;
    if (pausedUntil > wallMs()) return await wake(channelId, pausedUntil - wallMs());
    if (!await acquireLease(channelId)) return await wake(channelId, 2000);
    let leasedAt = wallMs();
    try {
      for (;;) {
        const batch = await Array.fromAsync(
          kv.list<PendingItem>({ prefix: K.pendingChannel(channelId) }, { limit: 20 }),
        );
        if (batch.length === 0) return;
        for (const e of batch) {
          // A long backlog (Discord allows about 5 posts per 5 s per channel) outlives one lease.
          if (wallMs() - leasedAt > 20_000) {
            if (!await acquireLease(channelId)) return;
            leasedAt = wallMs();
          }
          if (closed || await deliverOne(ctx, e) === "stop") return;
        }
      }
    } finally {
      await releaseLease(channelId);
    }
  }

  /** Drains every channel that has something pending (start-up and the periodic sweep). */
  async function sweep(): Promise<void> {
    let start: Deno.KvKey | undefined;
    for (;;) {
      const selector = start
        ? { start, end: [...K.pendingAll().slice(0, 1), "pending\u0000"] }
        : { prefix: K.pendingAll() };
      const [first] = await Array.fromAsync(kv.list<PendingItem>(selector, { limit: 1 }));
      if (!first) return;
      const channelId = first.key[2] as string;
      void drain(channelId);
      start = [...K.pendingChannel(channelId).slice(0, 2), `${channelId}\u0000`];
    }
  }

  async function poll(): Promise<void> {
    const stamp = await outboxSignal(kv);
    if (stamp !== seenSignal) {
      seenSignal = stamp;
      await route();
    }
  }

  async function onMessage(raw: Record<string, unknown>): Promise<void> {
    const msg = QueueMessage.safeParse(raw);
    if (!msg.success) throw new Error(`Malformed delivery message: ${msg.error.issues[0]?.message}`);
    if (closed) return; // shutting down: the item stays pending in KV for the next start
    const due = wakeAt.get(msg.data.channelId);
    if (due !== undefined && due <= wallMs()) wakeAt.delete(msg.data.channelId);
    await drain(msg.data.channelId);
  }
  const listening = queues && opts.listen !== false;
  if (listening) onQueueMessage(kv, "podium.delivery", onMessage);

  const pollTimer = setInterval(() => {
    if (!closed) poll().catch((err) => log(`Outbox poll failed: ${(err as Error).message}`));
  }, opts.pollMs ?? 1000);
  const sweepTimer = setInterval(() => {
    if (!closed) sweep().catch((err) => log(`Delivery sweep failed: ${(err as Error).message}`));
  }, opts.sweepMs ?? 30_000);
  // Start-up: whatever was pending when the last process stopped, and anything new.
  const starting = sweep().then(() => poll()).catch((err) =>
    log(`Delivery start failed: ${(err as Error).message}`)
  );

  async function idle(): Promise<void> {
    await starting;
    for (let i = 0; i < 1000; i++) {
      const busy = [routing, ...running.values()].filter((p) => p !== null);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  return {
    kick() {
      if (!closed) void route();
    },
    idle,
    async drainAll() {
      if (closed) return;
      await starting;
      await route();
      await sweep();
      await idle();
    },
    onMessage,
    async close() {
      closed = true;
      if (listening) offQueueMessage(kv, "podium.delivery");
      clearInterval(pollTimer);
      clearInterval(sweepTimer);
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await idle();
    },
  };
}
