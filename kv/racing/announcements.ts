/**
 * What the racing core announces (written to the outbox by kv/racing/apply.ts in the import's
 * commit; rendered for Discord by discord/racing/announce.ts).
 */
import type { CarInfo, DriverRef, RacingGame, SessionKind } from "@/games/racing/types.ts";

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
  /** rankBefore - rankAfter: negative when others' faster laps in the same session pushed them down. */
  positionsGained: number;
  /** Drivers the new lap passed (absent in posts queued before it was counted). */
  passed?: number;
  /** Drivers who went ahead with faster laps in the same session. */
  pushedDown?: number;
  /** Drivers on the board after the session. */
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

/** Everything racing announces. */
export type RacingAnnouncement = TrackRecordAnnouncement | PersonalBestAnnouncement | RaceResultAnnouncement;
