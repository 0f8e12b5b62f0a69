/** Stored ET:Legacy shapes (values under the etl_* keys). */
import type { EtlHeader } from "@/games/etl/parser.ts";
import type { EtlTotals } from "@/games/etl/metrics.ts";
import type { EtlPlayerRound, EtlStats } from "@/games/etl/stats.ts";
import type { Exclusion } from "@/games/etl/exclusion.ts";

/** R1; an R2 stored as the differential against its R1; an R2 without an R1 (raw, not counted). */
export type RoundStatus = "r1" | "paired" | "orphan";

/** A stored round. R2 player rows are the differential when `status` is "paired". */
export interface StoredRound {
  id: string;
  /** The file's own name. */
  fileName: string;
  sha256: string;
  serverId?: string;
  map: string;
  round: 1 | 2;
  /** The name's timestamp as the server wrote it (its local time). */
  stamp: string;
  /** That wall-clock time read as UTC, in ms (pairing, sessions). */
  wallMs: number;
  /** ISO instant, in the server's time zone. */
  playedAt: string;
  importedAt: string;
  header: EtlHeader;
  tabFields: number;
  /** Lines dropped as damaged. */
  warnings: string[];
  status: RoundStatus;
  /** The R1 a paired R2 was computed against. */
  r1Id: string | null;
  players: EtlPlayerRound[];
  /** The bots/filler rule's verdict at import (games/etl/exclusion.ts). */
  contentRule?: Exclusion | null;
  /** A restarted R1: the R1 that replaced it. */
  restartedBy?: string | null;
  /** A league admin's word, above every rule. */
  override?: "exclude" | "include";
  /** What counts in the end: kept and shown, never in totals, sessions' tables or leaderboards. */
  excluded?: Exclusion | null;
}

/** A round in the time index. */
export interface RoundBrief {
  id: string;
  map: string;
  round: 1 | 2;
  wallMs: number;
  status: RoundStatus;
  serverId?: string;
  /** A paired R2: the map's points, R1's attackers then R2's (2-0, 0-2 or 1-1). */
  points?: [number, number];
  /** Set when the round is excluded (its rule). */
  x?: string;
}

/** Per map. */
export interface EtlMapInfo {
  map: string;
  rounds: number;
  lastWallMs: number;
  lastPlayedAt: string;
}

/** A player by GUID. */
export interface EtlPlayer {
  guid: string;
  /** The newest name (plain, and with colour codes). */
  name: string;
  nameRaw: string;
  /** The newest name in the files, when a display name (`/et name`) replaced `name` for reading. */
  gameName?: string;
  firstWallMs: number;
  lastWallMs: number;
  lastPlayedAt: string;
  /** Sums over counted rounds (R1s and paired R2 differentials; orphans never). */
  totals: EtlTotals;
}

/** One player's row in one round, as indexed per player. */
export interface EtlPlayerRoundEntry {
  roundId: string;
  map: string;
  round: 1 | 2;
  playedAt: string;
  row: EtlStats;
}

/** EtlPlayer as stored: totals packed (STAT_KEYS order, then rounds). */
export interface StoredEtlPlayer extends Omit<EtlPlayer, "totals"> {
  t: number[];
}

/** EtlPlayerRoundEntry as stored: the row packed. */
export interface StoredPlayerRoundEntry extends Omit<EtlPlayerRoundEntry, "row"> {
  s: number[];
}

/**
 * Announcements this domain writes to the outbox (rendered by discord/et/announce.ts). `edit`: the
 * round was completed by a longer file; the post already made is edited, none is added.
 */
export type EtlAnnouncement =
  | { type: "etl_round"; roundId: string; edit?: true }
  | { type: "etl_map_result"; r1Id: string; r2Id: string; edit?: true }
  | { type: "etl_session"; sessionId: string; lastRoundId: string; edit?: true }
  | { type: "etl_awards"; roundId: string; edit?: true };
