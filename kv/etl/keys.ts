/**
 * ET:Legacy keys, all under the `etl_*` first parts that kv/keys.ts PREFIXES.etl lists.
 * Days are the server's wall-clock date from the file name, so the time index sorts by play time.
 */

/** A stored round (header, derived player rows, pairing). */
export function etlRoundKey(id: string): ["etl_round", string] {
  return ["etl_round", id];
}

/** A round's player lines as the file wrote them: the base of every (re)computed differential. */
export function etlRoundRawKey(id: string): ["etl_round_raw", string] {
  return ["etl_round_raw", id];
}

/** The time index: every round by wall-clock day and time. Pairing, sessions and paging read it. */
export function etlWhenKey(day: string, wallMs: number, id: string): ["etl_when", string, number, string] {
  return ["etl_when", day, wallMs, id];
}

/** All rounds of one day, or (no day) all rounds. */
export function etlWhenPrefix(day?: string): ["etl_when"] | ["etl_when", string] {
  return day === undefined ? ["etl_when"] : ["etl_when", day];
}

/** A player by GUID: newest name and career totals. */
export function etlPlayerKey(guid: string): ["etl_player", string] {
  return ["etl_player", guid];
}

/** All players. */
export function etlPlayerPrefix(): ["etl_player"] {
  return ["etl_player"];
}

/** One player's row in one round, in time order (form over time, per map, periods). */
export function etlPlayerRoundKey(
  guid: string,
  wallMs: number,
  id: string,
): ["etl_player_round", string, number, string] {
  return ["etl_player_round", guid, wallMs, id];
}

/** All rows of one player. */
export function etlPlayerRoundPrefix(guid: string): ["etl_player_round", string] {
  return ["etl_player_round", guid];
}

/** Per map: round count and last play; every import of the map rewrites it (it serializes pairing). */
export function etlMapKey(map: string): ["etl_map", string] {
  return ["etl_map", map];
}

/** All maps. */
export function etlMapPrefix(): ["etl_map"] {
  return ["etl_map"];
}

/**
 * One map's rounds in one wall-clock month, as briefs in time order. Pairing reads it (one get,
 * usually answered from the import's read cache) and every import of the map rewrites it with a
 * check, so two imports that could pair with each other cannot both commit blind.
 */
export function etlMapMonthKey(map: string, month: string): ["etl_map_month", string, string] {
  return ["etl_map_month", map, month];
}

/** One map's month indexes (a prefix of etlMapMonthKey); every map's without `map`. */
export function etlMapMonthsPrefix(map?: string): ["etl_map_month"] | ["etl_map_month", string] {
  return map === undefined ? ["etl_map_month"] : ["etl_map_month", map];
}

/** The wall-clock month (`YYYY-MM`) of a wall-clock time. */
export function wallMonth(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 7);
}

/** A session whose summary has been announced (the session-end cron's exactly-once guard). */
export function etlSessionPostedKey(sessionId: string): ["etl_session_posted", string] {
  return ["etl_session_posted", sessionId];
}

/** The wall-clock day (`YYYY-MM-DD`) of a wall-clock time. */
export function wallDay(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 10);
}

/** A round's endstats file (awards, VS rows), by the round's id: stored before or after the round. */
export function etlEndstatsKey(roundId: string): ["etl_endstats", string] {
  return ["etl_endstats", roundId];
}

/** A file the ET:Legacy importer refused, by when and name (`/et admin failed`). */
export function etlFailedKey(atMs: number, name: string): ["etl_failed", number, string] {
  return ["etl_failed", atMs, name];
}

/** All refused files, oldest first. */
export function etlFailedPrefix(): ["etl_failed"] {
  return ["etl_failed"];
}

/** All stored endstats files. */
export function etlEndstatsPrefix(): ["etl_endstats"] {
  return ["etl_endstats"];
}

/** Which `etl.exclude` config every stored round was judged by, and a re-judging under way. */
export function etlExclusionStateKey(): ["etl_exclusion_state"] {
  return ["etl_exclusion_state"];
}

/** Prefix of every stored round (the re-judging walks it in id order). */
export function etlRoundPrefix(): ["etl_round"] {
  return ["etl_round"];
}

/** A display name set for a GUID by its member (`/et name`) or an admin (`/et admin name`). */
export function etlDisplayNameKey(guid: string): ["etl_display_name", string] {
  return ["etl_display_name", guid];
}

/** Prefix of every display name. */
export function etlDisplayNamePrefix(): ["etl_display_name"] {
  return ["etl_display_name"];
}

/** Which GUIDs go by a display name (folded: case, width and spaces do not tell two apart). */
export function etlDisplayNameIndexKey(folded: string): ["etl_display_name_of", string] {
  return ["etl_display_name_of", folded];
}
