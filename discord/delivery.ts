/**
 * Announcement delivery: every outbox item reaches its Discord channel exactly once, in the order
 * things happened, through restarts.
 *
 * - Routing: items written by import commits (kv/outbox.ts) move, one atomic commit per batch, to
 *   their channel's queue (`["delivery","pending",channel,orderKey,id]`), each with a KV queue
 *   message (`kv.enqueue`) that wakes a drain of that channel in whichever process listens.
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
import type { APIMessage } from "discord-api-types/v10";
import type { AppDeps } from "@/routes/env.ts";
import { type DiscordApi, DiscordError } from "@/discord/rest.ts";
import { type AnnouncementRenderer, RENDERERS } from "@/discord/announcements.ts";
import { fitMessage } from "@/discord/message_limits.ts";
import { type OutboxItem, outboxSignal } from "@/kv/outbox.ts";
import { deliveryKeys as K, outboxPrefix } from "@/kv/keys.ts";
import { commitOp, findPosted, nonceFor, withReference } from "@/discord/_delivery_util.ts";
import { offQueueMessage, onQueueMessage } from "@/kv/queue.ts";

export { type DeliveryStatus, deliveryStatus } from "@/discord/_delivery_util.ts";

/** A routed announcement waiting in its channel's queue. */
export interface PendingItem {
  item: OutboxItem;
  channelId: string;
}

/** Written before a post; its presence means "a post may have reached Discord". */
interface Attempt {
  firstAt: number;
  tries: number;
  maybeSent: boolean;
  nextAt?: number;
  lastError?: string;
}

/** What a drain does next after one item. */
type Step = "next" | "stop";

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
  random?: () => number;
  log?: (line: string) => void;
}

/** A running delivery. */
export interface Delivery {
  /** Routes new outbox items and drains their channels now. */
  kick(): void;
  /** Resolves when nothing is being routed or drained (tests, benchmark). */
  idle(): Promise<void>;
  /** Stops polling and waits for running drains. */
  close(): Promise<void>;
}

/** Starts delivering the outbox to Discord. `deps.discord` must be set. */
export function startDelivery(deps: AppDeps, opts: DeliveryOptions = {}): Delivery {
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

  /** A durable wake-up of `channelId`'s drain after `delayMs`. */
  async function wake(channelId: string, delayMs: number): Promise<void> {
    const at = wallMs() + delayMs;
    const known = wakeAt.get(channelId);
    if (known !== undefined && known <= at && known > wallMs()) return;
    wakeAt.set(channelId, at);
    await kv.enqueue({ kind: "podium.delivery", channelId }, { delay: Math.max(0, Math.ceil(delayMs)) });
  }

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
        const channelId = r ? r.channel(deps, item.announcement) : null;
        if (!r || !channelId) {
          const reason = r
            ? `no Discord channel is configured for "${item.announcement.type}" announcements`
            : `no renderer for announcements of type "${item.announcement.type}"`;
          op.set(K.dead(item.id), { item, channelId: null, reason, at: new Date(now()).toISOString() });
          continue;
        }
        const orderKey = r.orderKey?.(item.announcement) ?? item.createdAt;
        op.set(K.pending(channelId, orderKey, item.id), { item, channelId } satisfies PendingItem);
        op.enqueue({ kind: "podium.delivery", channelId, id: item.id });
        channels.add(channelId);
      }
      await commitOp(op, "routing announcements"); // a lost race: another process routed them
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
    try {
      for (;;) {
        const batch = await Array.fromAsync(
          kv.list<PendingItem>({ prefix: K.pendingChannel(channelId) }, { limit: 20 }),
        );
        if (batch.length === 0) return;
        for (const e of batch) {
          if (closed || await deliverOne(e) === "stop") return;
        }
      }
    } finally {
      await releaseLease(channelId);
    }
  }

  async function deliverOne(entry: Deno.KvEntry<PendingItem>): Promise<Step> {
    const { item, channelId } = entry.value;
    const id = item.id;
    const [attemptEntry, doneEntry] = await kv.getMany<[Attempt, { messageId: string | null }]>([
      K.attempt(id),
      K.done(id),
    ]);
    if (doneEntry.value) {
      await commitOp(kv.atomic().check(entry).delete(entry.key), "a delivered announcement");
      return "next";
    }
    const t = now();
    const prev = attemptEntry.value;
    if (prev?.nextAt !== undefined && prev.nextAt > wallMs()) {
      await wake(channelId, prev.nextAt - wallMs());
      return "stop";
    }
    const nonce = await nonceFor(id);
    let firstAt = prev?.firstAt ?? t;
    if (prev?.maybeSent && t - prev.firstAt >= nonceWindow) {
      // Past the nonce's window: the earlier post may exist; look for its reference first.
      let found: APIMessage | null | "unsure";
      try {
        found = await findPosted(api, channelId, nonce, prev.firstAt);
      } catch (err) {
        return await failed(entry, { ...prev, tries: prev.tries + 1 }, err);
      }
      if (found === "unsure") {
        return await deadLetter(
          entry,
          "could not confirm whether an earlier try was posted; not posting twice",
        );
      }
      if (found) return await delivered(entry, found.id);
      firstAt = t; // not there: a new post, with a new window
    }
    const renderer = byType.get(item.announcement.type);
    if (!renderer) return await deadLetter(entry, `no renderer for "${item.announcement.type}"`);
    let body;
    try {
      const { files, ...message } = await renderer.render(deps, item.announcement);
      body = { message: fitMessage(withReference(message, nonce)), files };
    } catch (err) {
      return await deadLetter(entry, `could not render it: ${(err as Error).message}`);
    }
    const attempt: Attempt = { firstAt, tries: (prev?.tries ?? 0) + 1, maybeSent: true };
    await commitOp(kv.atomic().set(K.attempt(id), attempt), "a delivery attempt");
    try {
      const msg = await api.createMessage(channelId, {
        ...body.message,
        allowed_mentions: { parse: [] },
        nonce,
        enforce_nonce: true,
      }, body.files);
      return await delivered(entry, msg.id);
    } catch (err) {
      // A definite refusal changes nothing about what an earlier try may have done.
      return await failed(entry, { ...attempt, maybeSent: prev?.maybeSent ?? false }, err);
    }
  }

  async function failed(entry: Deno.KvEntry<PendingItem>, attempt: Attempt, err: unknown): Promise<Step> {
    const { channelId, item } = entry.value;
    const e = err instanceof DiscordError
      ? err
      : new DiscordError((err as Error)?.message ?? String(err), { status: 0 });
    const t = wallMs();
    if (e.status === 404 && e.code === 10008) {
      return await delivered(entry, null); // the nonce's message was posted, then deleted
    }
    if (e.status === 429) {
      const wait = e.retryAfterMs ?? 1000;
      if (e.global) pausedUntil = t + wait;
      await commitOp(
        kv.atomic().set(K.attempt(item.id), { ...attempt, nextAt: t + wait }),
        "a delivery attempt",
      );
      await wake(channelId, wait);
      return "stop";
    }
    if (e.outcomeUnknown || e.status === 401) {
      const unknown = e.outcomeUnknown;
      const tries = attempt.tries;
      if (unknown && tries >= maxTries) {
        return await deadLetter(
          entry,
          `gave up after ${tries} tries (it may have been posted): ${e.message}`,
          e,
        );
      }
      const ceiling = Math.min(600_000, retryBase * 2 ** Math.min(20, tries - 1));
      const wait = e.status === 401 ? 300_000 : ceiling / 2 + random() * ceiling / 2;
      if (e.status === 401) {
        log(`Discord refused the bot token (401): check DISCORD_BOT_TOKEN; retrying in 5 minutes`);
      }
      await commitOp(
        kv.atomic().set(K.attempt(item.id), {
          ...attempt,
          maybeSent: attempt.maybeSent || unknown,
          nextAt: t + wait,
          lastError: e.message,
        }),
        "a delivery attempt",
      );
      await wake(channelId, wait);
      return "stop";
    }
    return await deadLetter(entry, e.message, e);
  }

  async function delivered(entry: Deno.KvEntry<PendingItem>, messageId: string | null): Promise<Step> {
    const { item, channelId } = entry.value;
    const at = new Date(now()).toISOString();
    const done = { id: item.id, type: item.announcement.type, channelId, messageId, deliveredAt: at };
    await commitOp(
      kv.atomic().check(entry).delete(entry.key).delete(K.attempt(item.id))
        .set(K.done(item.id), done, { expireIn: 90 * 86_400_000 })
        .set(K.last(), done),
      "a delivered announcement",
    );
    return "next";
  }

  async function deadLetter(
    entry: Deno.KvEntry<PendingItem>,
    reason: string,
    e?: DiscordError,
  ): Promise<Step> {
    const { item, channelId } = entry.value;
    log(`Announcement ${item.id} (${item.announcement.type}) not delivered to ${channelId}: ${reason}`);
    await commitOp(
      kv.atomic().check(entry).delete(entry.key).delete(K.attempt(item.id)).set(K.dead(item.id), {
        item,
        channelId,
        reason,
        ...(e ? { status: e.status, ...(e.code !== undefined ? { code: e.code } : {}) } : {}),
        at: new Date(now()).toISOString(),
      }),
      "a dead letter",
    );
    return "next";
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

  if (opts.listen !== false) {
    onQueueMessage(kv, "podium.delivery", async (raw) => {
      const msg = QueueMessage.safeParse(raw);
      if (!msg.success) throw new Error(`Malformed delivery message: ${msg.error.issues[0]?.message}`);
      if (closed) return; // shutting down: the item stays pending in KV for the next start
      const due = wakeAt.get(msg.data.channelId);
      if (due !== undefined && due <= wallMs()) wakeAt.delete(msg.data.channelId);
      await drain(msg.data.channelId);
    });
  }

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
    async close() {
      closed = true;
      if (opts.listen !== false) offQueueMessage(kv, "podium.delivery");
      clearInterval(pollTimer);
      clearInterval(sweepTimer);
      await idle();
    },
  };
}
