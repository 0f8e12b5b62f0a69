/**
 * The top of Podium's key space. Every Deno KV key Podium uses is built by a function under kv/:
 * the shared keys here, and each domain's keys in its own folder (kv/racing/keys.ts, ...), every
 * one under a first part that this module owns. A key's first part names the aggregate; the rest
 * orders it so that the reads users make are prefix or range reads.
 */

/**
 * Every first key part, by the domain that owns it. A domain builds keys only under its own;
 * `tests/keys_test.ts` checks that no two domains share one.
 */
export const PREFIXES = {
  /** Shared by every game: the exactly-once guard, the changes stamp, the announcement outbox. */
  core: ["file", "changes", "outbox"],
  /** ACC and AC (kv/racing/keys.ts). */
  racing: [
    "session",
    "session_cars",
    "session_laps",
    "track_sessions",
    "track",
    "driver",
    "driver_track",
    "board",
    "board_count",
  ],
  /** ET:Legacy (kv/etl/keys.ts). */
  etl: [
    "etl_round",
    "etl_round_raw",
    "etl_when",
    "etl_player",
    "etl_player_round",
    "etl_map",
    "etl_map_month",
    "etl_session_posted",
  ],
} as const satisfies Record<string, readonly string[]>;

/** Imported file, by the SHA-256 of its bytes: the exactly-once guard. */
export function fileKey(sha256: string): ["file", string] {
  return ["file", sha256];
}

/** Rewritten by every import: its versionstamp says whether anything changed (kv/changes.ts). */
export function changesKey(): ["changes"] {
  return ["changes"];
}

/** An announcement waiting to be delivered. Ids sort by creation. */
export function outboxKey(id: string): ["outbox", string] {
  return ["outbox", id];
}

/** Prefix of all pending announcements. */
export function outboxPrefix(): ["outbox"] {
  return ["outbox"];
}

/** A stable, unambiguous text form of a key, for maps of pending writes (length-prefixed parts). */
export function keyString(key: Deno.KvKey): string {
  let out = "";
  for (const p of key) {
    if (typeof p === "string") out += `s${p.length}:${p}`;
    else if (typeof p === "number") out += `n${p};`;
    else if (typeof p === "bigint") out += `b${p};`;
    else if (typeof p === "boolean") out += p ? "t;" : "f;";
    else out += `u${Array.from(p as Uint8Array).join(",")};`;
  }
  return out;
}
