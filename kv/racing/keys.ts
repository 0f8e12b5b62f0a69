/** Keys of ACC and AC: sessions, tracks, drivers and leaderboards, under the prefixes kv/keys.ts gives racing. */
import type { RacingGame, SessionKind } from "@/games/racing/types.ts";

/** A leaderboard: records of one game, track and kind, overall (`cls` "all") or for one car class. */
export interface Board {
  game: RacingGame;
  track: string;
  kind: SessionKind;
  cls: string;
}

/** The overall board's class name. */
export const ALL_CLASSES = "all";

/** A session's header and classification. */
export function sessionKey(id: string): ["session", string] {
  return ["session", id];
}

/** One chunk of a session's classification, when it is too large for the header value. */
export function sessionCarsKey(id: string, chunk: number): ["session_cars", string, number] {
  return ["session_cars", id, chunk];
}

/** One chunk of a session's laps (packed). */
export function sessionLapsKey(id: string, chunk: number): ["session_laps", string, number] {
  return ["session_laps", id, chunk];
}

/** Sessions of a track, newest last. */
export function trackSessionKey(
  game: RacingGame,
  track: string,
  finishedAtMs: number,
  id: string,
): ["track_sessions", RacingGame, string, number, string] {
  return ["track_sessions", game, track, finishedAtMs, id];
}

/** Prefix of a track's sessions. */
export function trackSessionsPrefix(game: RacingGame, track: string): ["track_sessions", RacingGame, string] {
  return ["track_sessions", game, track];
}

/** A track's summary (name, session count); every import on the track rewrites it. */
export function trackKey(game: RacingGame, track: string): ["track", RacingGame, string] {
  return ["track", game, track];
}

/** Prefix of all track summaries. */
export function tracksPrefix(): ["track"] {
  return ["track"];
}

/** A driver's profile (latest name). */
export function driverKey(id: string): ["driver", string] {
  return ["driver", id];
}

/** A driver's statistics on one track and kind: sessions, sectors, PBs and their history. */
export function driverTrackKey(
  driverId: string,
  game: RacingGame,
  track: string,
  kind: SessionKind,
): ["driver_track", string, RacingGame, string, SessionKind] {
  return ["driver_track", driverId, game, track, kind];
}

/** How many guard keys the driver profiles are spread over (at most this many checks per commit). */
export const DRIVER_SHARDS = 16;

/**
 * The guard of a share of the driver profiles: read (checked) before a profile is read, rewritten
 * with every profile write, so two processes never overwrite each other's profile changes.
 */
export function driverShardKey(driverId: string): ["driver_shard", number] {
  let h = 0;
  for (let i = 0; i < driverId.length; i++) h = (h * 31 + driverId.charCodeAt(i)) >>> 0;
  return ["driver_shard", h % DRIVER_SHARDS];
}

/** Prefix of all of a driver's track statistics. */
export function driverTracksPrefix(driverId: string): ["driver_track", string] {
  return ["driver_track", driverId];
}

type BoardPrefix = ["board", RacingGame, string, SessionKind, string];

/** Prefix of a leaderboard: its key order is the ranking (lap, then who drove it first). */
export function boardPrefix(b: Board): BoardPrefix {
  return ["board", b.game, b.track, b.kind, b.cls];
}

/** Prefix of the board entries with exactly this lap time. */
export function boardLapPrefix(b: Board, lapMs: number): [...BoardPrefix, number] {
  return [...boardPrefix(b), lapMs];
}

/** One driver's entry on a board: their best lap. */
export function boardEntryKey(
  b: Board,
  lapMs: number,
  setAtMs: number,
  seq: number,
  driverId: string,
): [...BoardPrefix, number, number, number, string] {
  return [...boardPrefix(b), lapMs, setAtMs, seq, driverId];
}

type CountPrefix = ["board_count", RacingGame, string, SessionKind, string];

/** A board's entry count per whole second of lap time (for ranks without scanning). */
export function boardCountKey(b: Board): CountPrefix {
  return ["board_count", b.game, b.track, b.kind, b.cls];
}

/** Prefix of every count key of a track's boards (all kinds and classes). */
export function trackCountsPrefix(game: RacingGame, track: string): ["board_count", RacingGame, string] {
  return ["board_count", game, track];
}

/** A board's entry count per millisecond within one second of lap time. */
export function boardSecondCountKey(b: Board, second: number): [...CountPrefix, number] {
  return [...boardCountKey(b), second];
}

/** The name index: one key per word of a driver's name, the whole name and the id (kv/racing/names.ts). */
export function nameTokenKey(token: string, driverId: string): ["name_token", string, string] {
  return ["name_token", token, driverId];
}

/** Prefix of the name index. */
export function nameTokenPrefix(): ["name_token"] {
  return ["name_token"];
}

/** A driver by the week they were last seen, for "recently active". */
export function nameRecentKey(week: number, driverId: string): ["name_recent", number, string] {
  return ["name_recent", week, driverId];
}

/** Prefix of the drivers by week last seen. */
export function nameRecentPrefix(): ["name_recent"] {
  return ["name_recent"];
}
