/**
 * Time attack's announcements (outbox items written in the rotation's commits) and their
 * renderers, plus `TaOutput`: the two doors time attack uses to reach Discord (the outbox for
 * posts, kept messages for what is edited in place).
 */
import type { Config } from "@/config.ts";
import type { EventBoardView, EventView } from "@/kv/ta/views.ts";
import { eventChangedMessage, eventResultMessage, type TaMessage } from "@/discord/ta/embeds.ts";

/** A new event is on. */
export interface TaEventChanged {
  type: "ta_event_changed";
  season: number;
  event: EventView;
}

/** An event is over: its final leaderboard (top 10), taken after the 30-minute grace. */
export interface TaEventResult {
  type: "ta_event_result";
  season: number;
  name: string;
  board: EventBoardView;
}

/** Everything time attack announces. */
export type TaAnnouncement = TaEventChanged | TaEventResult;

/** How time attack reaches Discord; null when Discord is off. */
export interface TaOutput {
  /** Adds announcements to the atomic operation that commits what they announce (kv/outbox.ts). */
  addAnnouncements(op: Deno.AtomicOperation, items: TaAnnouncement[], now: Date, sourceId: string): void;
  /** Edits the message kept under `key` in place, or posts it (again, when it was deleted). */
  upsertKeptMessage(key: string, channelId: string, payload: TaMessage): Promise<void>;
  /** Asks delivery to post what was just committed. */
  kick(): void;
}

/** The renderers of time attack's announcement types (registered in discord/announcements.ts). */
export const TA_ANNOUNCEMENTS = [
  {
    type: "ta_event_changed",
    channel: (deps: { config: Config }, _ann: TaEventChanged) =>
      deps.config.timeAttack?.channels.events ?? null,
    render: (_deps: unknown, ann: TaEventChanged) =>
      Promise.resolve(eventChangedMessage(ann.season, ann.event)),
    orderKey: (ann: TaEventChanged) => ann.event.start,
  },
  {
    type: "ta_event_result",
    channel: (deps: { config: Config }, _ann: TaEventResult) =>
      deps.config.timeAttack?.channels.events ?? null,
    render: (_deps: unknown, ann: TaEventResult) => Promise.resolve(eventResultMessage(ann.board, ann.name)),
    orderKey: (ann: TaEventResult) => ann.board.end ?? ann.board.start,
  },
] as const;
