/**
 * Keys of time attack, all under the `ta` prefix kv/keys.ts gives it. Scores are never stored:
 * they are computed from the racing core's laps (kv/ta/boards.ts). What lives here is the
 * rotation's state and lease, and what the kept Discord messages last showed.
 */

/** The event the rotation last announced: `{ season, event, changedAt }`. */
export function rotationKey(): ["ta", "rotation"] {
  return ["ta", "rotation"];
}

/** The rotation's lease: one instance at a time runs a rotation step. */
export function rotationLeaseKey(): ["ta", "lease", "rotation"] {
  return ["ta", "lease", "rotation"];
}

/** A kept message's state (last content hash, last edit, edit due): `live`, `standings` or `schedule`. */
export function keptStateKey(
  kind: "live" | "standings" | "schedule",
  season: number,
  event = "",
): ["ta", "kept", string, number, string] {
  return ["ta", "kept", kind, season, event];
}
