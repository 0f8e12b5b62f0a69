/**
 * This domain's announcements, written into the shared outbox (kv/outbox.ts) in the caller's
 * atomic commit. Each item names its channel, read from the guild's settings when the change was
 * made; discord/numbers/announce.ts renders them.
 */
import { addAnnouncements } from "@/kv/outbox.ts";
import type { Conflict } from "@/kv/numbers/sync.ts";

/** A member claimed a number. */
export interface NumberClaimedAnnouncement {
  type: "numbers_claimed";
  guildId: string;
  channelId: string;
  number: string;
  userId: string;
  displayName: string | null;
  at: string;
}

/** A number was released (by its holder, or forced by an admin). */
export interface NumberReleasedAnnouncement {
  type: "numbers_released";
  guildId: string;
  channelId: string;
  number: string;
  userId: string;
  byId: string;
  forced: boolean;
  at: string;
}

/** A sync found conflicts that no earlier sync had reported. */
export interface NumberConflictsAnnouncement {
  type: "numbers_conflicts";
  guildId: string;
  channelId: string;
  leagueId: number;
  /** The new conflicts (at most 25); `more` counts the rest. */
  conflicts: Conflict[];
  more: number;
  at: string;
}

/** Every announcement of the numbers domain. */
export type NumbersAnnouncement =
  | NumberClaimedAnnouncement
  | NumberReleasedAnnouncement
  | NumberConflictsAnnouncement;

/** Adds the items to the operation through the shared outbox (kv/outbox.ts), in order. */
export function addNumbersAnnouncements(
  op: Deno.AtomicOperation,
  items: NumbersAnnouncement[],
  now: Date,
  sourceId: string,
): void {
  addAnnouncements(op, items, now, sourceId);
}
