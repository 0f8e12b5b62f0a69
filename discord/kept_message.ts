/**
 * Messages kept up to date in place (time attack's live leaderboard, standings, a schedule): the
 * first call posts, later calls edit that message; when it is gone (deleted by a moderator:
 * 404) it is posted anew. The message id lives in KV under the caller's key.
 */
import type { DiscordDeps } from "@/discord/deps.ts";
import type { AnnouncementMessage } from "@/discord/announcements.ts";
import { DiscordError } from "@/discord/rest.ts";
import { fitMessage } from "@/discord/message_limits.ts";
import { commitOp, nonceFor } from "@/discord/_delivery_util.ts";
import { keptMessageKey } from "@/kv/keys.ts";

interface KeptMessage {
  channelId: string;
  messageId: string;
  /** Counts posts under this key, so each new post gets its own nonce. */
  generation: number;
  updatedAt: string;
}

const locks = new Map<string, Promise<unknown>>();

/**
 * Edits the message kept under `key`, or posts it (first time, another channel, or deleted).
 * Returns the message id, or null when Discord is off.
 */
export function upsertKeptMessage(
  deps: Pick<DiscordDeps, "kv" | "discord" | "now">,
  key: string,
  channelId: string,
  payload: AnnouncementMessage,
): Promise<string | null> {
  // One update per key at a time in this process, so two updates never both post.
  const previous = locks.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => upsert(deps, key, channelId, payload));
  locks.set(key, next);
  next.finally(() => locks.get(key) === next && locks.delete(key)).catch(() => {});
  return next;
}

async function upsert(
  deps: Pick<DiscordDeps, "kv" | "discord" | "now">,
  key: string,
  channelId: string,
  payload: AnnouncementMessage,
): Promise<string | null> {
  const api = deps.discord;
  if (!api) return null;
  const { files, ...message } = payload;
  const body = { ...fitMessage(message), allowed_mentions: { parse: [] } };
  const entry = await deps.kv.get<KeptMessage>(keptMessageKey(key));
  const kept = entry.value;
  if (kept && kept.channelId === channelId) {
    try {
      const msg = await api.editMessage(channelId, kept.messageId, body);
      return msg.id;
    } catch (err) {
      // Deleted (10008) or its channel gone: post anew below; anything else is the caller's to see.
      if (!(err instanceof DiscordError && err.status === 404)) throw err;
    }
  }
  const generation = (kept?.generation ?? 0) + 1;
  const msg = await api.createMessage(
    channelId,
    { ...body, nonce: await nonceFor(`kept:${key}:${generation}`), enforce_nonce: true },
    files,
  );
  const value: KeptMessage = {
    channelId,
    messageId: msg.id,
    generation,
    updatedAt: deps.now().toISOString(),
  };
  await commitOp(deps.kv.atomic().set(keptMessageKey(key), value), `the kept message "${key}"`);
  return msg.id;
}
