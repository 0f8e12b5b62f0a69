/**
 * The announcement renderers, one import line per domain. Each domain writes outbox items
 * `{ type, ... }` in its own commits (kv/outbox.ts) and says here, per type, which channel they go
 * to, how they look, and in which order they belong (discord/delivery.ts posts them).
 */
import type { RawFile } from "@discordjs/rest";
import type { DiscordDeps } from "@/discord/deps.ts";
import type { MessageBody } from "@/discord/rest.ts";
import { RACING_ANNOUNCEMENTS } from "@/discord/racing/announce.ts";
import { ETL_ANNOUNCEMENTS } from "@/discord/et/announce.ts";
import { TA_ANNOUNCEMENTS } from "@/discord/ta/announce.ts";
import { NUMBERS_ANNOUNCEMENTS } from "@/discord/numbers/announce.ts";
import { LINK_ANNOUNCEMENTS } from "@/discord/core/link_approval.ts";

/** What a renderer returns: a message, optionally with files. */
export type AnnouncementMessage = MessageBody & { files?: RawFile[] };

/** How one announcement type reaches Discord. */
// deno-lint-ignore no-explicit-any
export interface AnnouncementRenderer<A extends { type: string } = any> {
  type: string;
  /** The channel id from the config, or null when this league has none for it. */
  channel(deps: DiscordDeps, ann: A): string | null;
  /** The message; delivery adds `allowed_mentions`, the nonce and the reference in the footer. */
  render(deps: DiscordDeps, ann: A): Promise<AnnouncementMessage>;
  /** Sorts a channel's posts (when it happened); default: when it was announced. */
  orderKey?(ann: A): string;
  /**
   * Its posts are remembered by subject, so that the same announcement with `edit: true` (the data
   * it shows was completed later) edits the post instead of posting again.
   */
  editable?: boolean;
}

/** Every renderer, by domain. */
export const RENDERERS: readonly AnnouncementRenderer[] = [
  ...RACING_ANNOUNCEMENTS,
  ...ETL_ANNOUNCEMENTS,
  ...TA_ANNOUNCEMENTS,
  ...NUMBERS_ANNOUNCEMENTS,
  ...LINK_ANNOUNCEMENTS,
];
