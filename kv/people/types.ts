/**
 * The shapes of kv/people/ that other domains read: what `person_of` holds and what a regrouping
 * still has to do. Kept apart so that kv/racing/ can read them without importing kv/people/'s code.
 */
import type { RacingGame, SessionKind } from "@/games/racing/types.ts";

/** A person: one human with several game identities, shown under the name an admin chose. */
export interface Person {
  /** "p-" and 8 hex digits; on ACC/AC boards and pages when the person has two or more drivers. */
  id: string;
  name: string;
  /** ACC/AC driver ids (a `playerId`, an AC GUID, or the name-only `acc:<name>` id). */
  drivers: string[];
  /** ET:Legacy GUIDs. */
  etl: string[];
  /** iRacing customer ids. */
  iracing: string[];
  createdAt: string;
  updatedAt: string;
}

/** What `person_of` holds for an identity that belongs to a person. */
export interface PersonOf {
  /** The person, or null for a driver that is being split off (only while `op` runs). */
  personId: string | null;
  /** The id ACC/AC boards count this driver under: the person's id, or the driver's own. */
  boardId: string;
  /** A regrouping whose boards are not all rewritten yet (kv/racing/regroup_boards.ts). */
  op?: string;
}

/** Who is on the boards as one entry: a person (two or more drivers) or a lone driver (its own id). */
export interface BoardSubject {
  id: string;
  drivers: string[];
  /** A person's name; a lone driver's name is their profile's. */
  name?: string;
}

/** One track and kind of a driver's statistics. */
export interface TrackRef {
  game: RacingGame;
  track: string;
  kind: SessionKind;
}

/** A regrouping whose boards are rewritten in bounded batches: from `before` to `after`, per track. */
export interface PeopleOp {
  id: string;
  before: BoardSubject[];
  after: BoardSubject[];
  /** Tracks whose boards still count `before`. */
  remaining: TrackRef[];
  /** Every driver of the regrouping, whose `person_of` carries `op` until it is done. */
  drivers: string[];
}

/** True when a board subject is a person (its own aggregate statistics), not a lone driver. */
export function isPersonSubject(s: BoardSubject): boolean {
  return s.drivers.length >= 2;
}

/** True when two track refs name the same track and kind. */
export function sameTrack(a: TrackRef, b: TrackRef): boolean {
  return a.game === b.game && a.track === b.track && a.kind === b.kind;
}
