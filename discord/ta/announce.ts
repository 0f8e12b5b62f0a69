/**
 * Time attack's announcements (outbox items written in the rotation's commits) and their
 * renderers, plus `TaOutput`: the two doors time attack uses to reach Discord (the outbox for
 * posts, kept messages for what is edited in place).
 */
import type { AnnouncementRenderer } from "@/discord/announcements.ts";
import { addAnnouncements } from "@/kv/outbox.ts";
import { GRACE_MS } from "@/kv/ta/schedule.ts";
import type { DiscordDeps } from "@/discord/deps.ts";
import { type EventBoardView, eventNames, type EventView } from "@/kv/ta/views.ts";
import { acNames } from "@/games/ac/names.ts";
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

const eventChanged: AnnouncementRenderer<TaEventChanged> = {
  type: "ta_event_changed",
  channel: (deps) => deps.config.timeAttack?.channels.events ?? null,
  render: (deps, a) =>
    Promise.resolve(eventChangedMessage(a.season, withNames(a.event), deps.config.timeAttack?.emoji)),
  orderKey: (a) => a.event.start,
};

const eventResult: AnnouncementRenderer<TaEventResult> = {
  type: "ta_event_result",
  channel: (deps) => deps.config.timeAttack?.channels.events ?? null,
  render: (_deps, a) => {
    const board = withNames(a.board);
    const entries = board.entries.map((e) => ({ ...e, carName: e.carName ?? acNames().car(e.car).name }));
    return Promise.resolve(eventResultMessage({ ...board, entries }, a.name));
  },
  // Posted after the grace: after the next event's "event changed", which is ordered by its start.
  orderKey: (a) => new Date(Date.parse(a.board.end ?? a.board.start) + GRACE_MS).toISOString(),
};

/** An item committed before names were part of it (still in an outbox): Kunos's names, or readable ones. */
function withNames<T extends EventView | EventBoardView>(v: T): T {
  return typeof v.trackName === "string" ? v : { ...v, ...eventNames(v, acNames()) };
}

/** Time attack's renderers (registered in discord/announcements.ts). */
export const TA_ANNOUNCEMENTS: readonly AnnouncementRenderer[] = [eventChanged, eventResult];

/** The real doors: the outbox, kept messages and delivery's kick. Null when Discord is off. */
export function taOutputOf(deps: Pick<DiscordDeps, "kv" | "discord" | "now" | "delivery">): TaOutput | null {
  if (!deps.discord) return null;
  return {
    addAnnouncements(op, items, now, sourceId) {
      addAnnouncements(op, items, now, sourceId);
    },
    async upsertKeptMessage(key, channelId, payload) {
      // Loaded on first use: it brings the REST client, which start-up leaves for later.
      const { upsertKeptMessage } = await import("@/discord/kept_message.ts");
      await upsertKeptMessage(deps, key, channelId, payload);
    },
    kick() {
      deps.delivery?.kick();
    },
  };
}
