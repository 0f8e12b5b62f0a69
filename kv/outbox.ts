/**
 * The announcement outbox. An import writes its announcements in the same atomic commit as the
 * records they announce; delivery (Discord) reads them from here and deletes them when sent.
 */
import type { CarInfo, DriverRef, RacingGame, SessionKind } from "@/ingest/types.ts";
import { outboxKey, outboxPrefix } from "@/kv/keys.ts";
import type { KvTxn } from "@/kv/txn.ts";
import type { EtlAnnouncement } from "@/kv/etl/types.ts";

interface LapAnnouncement {
  game: RacingGame;
  track: string;
  trackName: string;
  kind: SessionKind;
  /** "all" for overall, else the car class. */
  cls: string;
  driver: DriverRef;
  car: CarInfo;
  lapMs: number;
  splitsMs: number[];
  sessionId: string;
  setAt: string;
}

/** A new track record (overall or in a class). */
export interface TrackRecordAnnouncement extends LapAnnouncement {
  type: "track_record";
  previous: { driver: DriverRef; lapMs: number } | null;
}

/** A driver beat their own best. */
export interface PersonalBestAnnouncement extends LapAnnouncement {
  type: "personal_best";
  previousMs: number;
  rankBefore: number;
  rankAfter: number;
  positionsGained: number;
  of: number;
}

/** A race finished. The classification is read from the session at delivery. */
export interface RaceResultAnnouncement {
  type: "race_result";
  game: RacingGame;
  track: string;
  trackName: string;
  sessionType: string;
  sessionId: string;
  finishedAt: string;
}

export type Announcement =
  | TrackRecordAnnouncement
  | PersonalBestAnnouncement
  | RaceResultAnnouncement
  | EtlAnnouncement;

/** An announcement waiting for delivery. */
export interface OutboxItem {
  id: string;
  createdAt: string;
  attempts: number;
  announcement: Announcement;
}

/** Records announcements in the transaction, in order. */
export function enqueueAnnouncements(txn: KvTxn, items: Announcement[], now: Date, sessionId: string): void {
  const stamp = now.getTime().toString().padStart(15, "0");
  items.forEach((announcement, i) => {
    const id = `${stamp}-${sessionId}-${String(i).padStart(3, "0")}`;
    txn.set(
      outboxKey(id),
      { id, createdAt: now.toISOString(), attempts: 0, announcement } satisfies OutboxItem,
    );
  });
}

/** Pending announcements, oldest first. */
export async function listOutbox(kv: Deno.Kv, limit = 100): Promise<OutboxItem[]> {
  return await Array.fromAsync(kv.list<OutboxItem>({ prefix: outboxPrefix() }, { limit }), (e) => e.value);
}
