/**
 * Writes this domain's announcements into the outbox in the caller's atomic commit (the shared
 * outbox of kv/outbox.ts: `["outbox", id]` holding `{id, createdAt, attempts, announcement}`).
 * Each item names its channel, read from the guild's settings when the change was made.
 */
import { outboxKey } from "@/kv/keys.ts";
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

/** Adds outbox items to the operation; ids sort by time, `sourceId` keeps them unique and ordered. */
export function addNumbersAnnouncements(
  op: Deno.AtomicOperation,
  items: NumbersAnnouncement[],
  now: Date,
  sourceId: string,
): void {
  const stamp = now.getTime().toString().padStart(15, "0");
  items.forEach((announcement, i) => {
    const id = `${stamp}-${sourceId}-${String(i).padStart(3, "0")}`;
    op.set(outboxKey(id), { id, createdAt: now.toISOString(), attempts: 0, announcement });
  });
}
