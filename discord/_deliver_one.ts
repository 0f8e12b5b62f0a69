/**
 * One announcement's way to Discord (used by discord/delivery.ts, which owns the order and the
 * retries' timing): the attempt record before the post, the nonce, the search for an earlier post
 * after the nonce's window, and what each answer means.
 */
import type { APIMessage } from "discord-api-types/v10";
import type { DiscordDeps } from "@/discord/deps.ts";
import { type DiscordApi, DiscordError } from "@/discord/rest.ts";
import type { AnnouncementRenderer } from "@/discord/announcements.ts";
import type { OutboxAnnouncement } from "@/kv/outbox.ts";
import { fitMessage } from "@/discord/message_limits.ts";
import type { OutboxItem } from "@/kv/outbox.ts";
import { deliveryKeys as K } from "@/kv/keys.ts";
import { commitOp, findPosted, nonceFor, withReference } from "@/discord/_delivery_util.ts";

/** A routed announcement waiting in its channel's queue. */
export interface PendingItem {
  item: OutboxItem;
  channelId: string;
}

/** Written before a post; its presence means "a post may have reached Discord". */
export interface Attempt {
  firstAt: number;
  tries: number;
  maybeSent: boolean;
  nextAt?: number;
  lastError?: string;
}

/** Where an editable announcement was posted (`deliveryKeys.posted`). */
interface Posted {
  channelId: string;
  messageId: string;
  /** The outbox id it was posted under: its nonce's reference stays in the footer. */
  itemId: string;
}

/** An editable announcement's subject: the announcement without `edit`, its fields sorted. */
export function subjectOf(a: OutboxAnnouncement): string {
  const { edit: _, ...rest } = a;
  return JSON.stringify(
    Object.fromEntries(Object.entries(rest).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
  );
}

/** What a drain does next after one item. */
export type Step = "next" | "stop";

/** What delivering needs from the running delivery. */
export interface DeliverContext {
  kv: Deno.Kv;
  api: DiscordApi;
  deps: DiscordDeps;
  byType: Map<string, AnnouncementRenderer>;
  nonceWindow: number;
  retryBase: number;
  maxTries: number;
  random: () => number;
  log: (line: string) => void;
  /** Discord's clock (injectable). */
  now: () => number;
  /** Real time, for waits. */
  wallMs: () => number;
  /** A durable wake-up of a channel's drain. */
  wake: (channelId: string, delayMs: number) => Promise<void>;
  /** A global 429: every channel waits. */
  pause: (ms: number) => void;
}

/** Posts one routed announcement, or decides why not yet; "stop" holds the channel's later posts back. */
export async function deliverOne(ctx: DeliverContext, entry: Deno.KvEntry<PendingItem>): Promise<Step> {
  const { kv, api, deps, now, wallMs, wake } = ctx;
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
  const renderer = ctx.byType.get(item.announcement.type);
  if (!renderer) return await deadLetter(ctx, entry, `no renderer for "${item.announcement.type}"`);
  if (item.announcement.edit === true) return await editPosted(ctx, entry, renderer, prev);
  const subject = renderer.editable ? subjectOf(item.announcement) : undefined;
  const nonce = await nonceFor(id);
  let firstAt = prev?.firstAt ?? t;
  if (prev?.maybeSent && t - prev.firstAt >= ctx.nonceWindow) {
    // Past the nonce's window: the earlier post may exist; look for its reference first.
    let found: APIMessage | null | "unsure";
    try {
      found = await findPosted(api, channelId, nonce, prev.firstAt);
    } catch (err) {
      return await failed(ctx, entry, { ...prev, tries: prev.tries + 1 }, err);
    }
    if (found === "unsure") {
      return await deadLetter(
        ctx,
        entry,
        "could not confirm whether an earlier try was posted; not posting twice",
      );
    }
    if (found) return await delivered(ctx, entry, found.id, subject);
    firstAt = t; // not there: a new post, with a new window
  }
  let body;
  try {
    const { files, ...message } = await renderer.render(deps, item.announcement);
    body = { message: fitMessage(withReference(message, nonce)), files };
  } catch (err) {
    return await deadLetter(ctx, entry, `could not render it: ${(err as Error).message}`);
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
    return await delivered(ctx, entry, msg.id, subject);
  } catch (err) {
    // A definite refusal changes nothing about what an earlier try may have done.
    return await failed(ctx, entry, { ...attempt, maybeSent: prev?.maybeSent ?? false }, err);
  }
}

/**
 * Edits the post of the announcement's subject with what the store holds now. Nothing to edit (not
 * posted yet: that post will read the store when it is made; deleted; older than 90 days) ends the
 * edit as delivered. Edits are idempotent, so an unknown outcome is simply tried again.
 */
async function editPosted(
  ctx: DeliverContext,
  entry: Deno.KvEntry<PendingItem>,
  renderer: AnnouncementRenderer,
  prev: Attempt | null,
): Promise<Step> {
  const { kv, api, deps } = ctx;
  const { item, channelId } = entry.value;
  const posted = (await kv.get<Posted>(K.posted(subjectOf(item.announcement)))).value;
  if (!posted || posted.channelId !== channelId) return await delivered(ctx, entry, null);
  let message;
  try {
    const { files: _, ...rendered } = await renderer.render(deps, item.announcement);
    message = fitMessage(withReference(rendered, await nonceFor(posted.itemId)));
  } catch (err) {
    return await deadLetter(ctx, entry, `could not render it: ${(err as Error).message}`);
  }
  try {
    await api.editMessage(channelId, posted.messageId, { ...message, allowed_mentions: { parse: [] } });
    return await delivered(ctx, entry, posted.messageId);
  } catch (err) {
    if (err instanceof DiscordError && err.status === 404) return await delivered(ctx, entry, null);
    const attempt = { firstAt: prev?.firstAt ?? ctx.now(), tries: (prev?.tries ?? 0) + 1, maybeSent: false };
    return await failed(ctx, entry, attempt, err);
  }
}

async function failed(
  ctx: DeliverContext,
  entry: Deno.KvEntry<PendingItem>,
  attempt: Attempt,
  err: unknown,
): Promise<Step> {
  const { kv, wallMs, wake } = ctx;
  const { channelId, item } = entry.value;
  const e = err instanceof DiscordError
    ? err
    : new DiscordError((err as Error)?.message ?? String(err), { status: 0 });
  const t = wallMs();
  if (e.status === 404 && e.code === 10008) {
    return await delivered(ctx, entry, null); // the nonce's message was posted, then deleted
  }
  if (e.status === 429) {
    const wait = e.retryAfterMs ?? 1000;
    if (e.global) ctx.pause(wait);
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
    if (unknown && tries >= ctx.maxTries) {
      return await deadLetter(
        ctx,
        entry,
        `gave up after ${tries} tries (it may have been posted): ${e.message}`,
        e,
      );
    }
    const ceiling = Math.min(600_000, ctx.retryBase * 2 ** Math.min(20, tries - 1));
    const wait = e.status === 401 ? 300_000 : ceiling / 2 + ctx.random() * ceiling / 2;
    if (e.status === 401) {
      ctx.log(`Discord refused the bot token (401): check DISCORD_BOT_TOKEN; retrying in 5 minutes`);
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
  return await deadLetter(ctx, entry, e.message, e);
}

async function delivered(
  ctx: DeliverContext,
  entry: Deno.KvEntry<PendingItem>,
  messageId: string | null,
  subject?: string,
): Promise<Step> {
  const { kv, now } = ctx;
  const { item, channelId } = entry.value;
  const at = new Date(now()).toISOString();
  const done = { id: item.id, type: item.announcement.type, channelId, messageId, deliveredAt: at };
  const op = kv.atomic().check(entry).delete(entry.key).delete(K.attempt(item.id))
    .set(K.done(item.id), done, { expireIn: 90 * 86_400_000 })
    .set(K.last(), done);
  if (subject !== undefined && messageId !== null) {
    const posted: Posted = { channelId, messageId, itemId: item.id };
    op.set(K.posted(subject), posted, { expireIn: 90 * 86_400_000 });
  }
  await commitOp(op, "a delivered announcement");
  return "next";
}

async function deadLetter(
  ctx: DeliverContext,
  entry: Deno.KvEntry<PendingItem>,
  reason: string,
  e?: DiscordError,
): Promise<Step> {
  const { kv, now } = ctx;
  const { item, channelId } = entry.value;
  ctx.log(`Announcement ${item.id} (${item.announcement.type}) not delivered to ${channelId}: ${reason}`);
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
