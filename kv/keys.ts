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
  /** Announcement delivery (discord/delivery.ts): the outbox signal, per-channel queues, results. */
  delivery: ["outbox_signal", "delivery", "kept_message"],
  /** ACC and AC (kv/racing/keys.ts). */
  racing: [
    "session",
    "session_cars",
    "session_laps",
    "track_sessions",
    "track",
    "driver_shard",
    "driver",
    "driver_track",
    "board",
    "board_count",
    "name_token",
    "name_recent",
  ],
  /** iRacing car numbers (kv/numbers/keys.ts). */
  numbers: ["numbers"],
  /** Discord member links (kv/links.ts). */
  discord: ["link", "link_by_player"],
  /** People and their game identities (kv/people/keys.ts). */
  people: ["person", "person_of", "people_op", "people_audit", "link_request"],
  /** AC content names sent by the agents (kv/ac_content/keys.ts). */
  acContent: ["ac_content"],
  /** Time attack (kv/ta/keys.ts): rotation state and lease, kept-message bookkeeping. */
  ta: ["ta"],
  /** Getting files in (kv/transport/keys.ts): push replay guard, SSH sources' seen files and leases. */
  transport: ["push_sig", "ssh_seen", "ssh_lease"],
  /** Live timing from the AC server plugin (kv/live/keys.ts): live state, live laps, agent commands. */
  live: ["live", "live_lap", "live_cmd"],
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
    "etl_endstats",
    "etl_failed",
    "etl_exclusion_state",
    "etl_display_name",
    "etl_display_name_of",
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

/** Rewritten by every commit that adds announcements: its versionstamp wakes delivery. */
export function outboxSignalKey(): ["outbox_signal"] {
  return ["outbox_signal"];
}

/** Delivery's keys, by part: a routed announcement waits in its channel's queue, in order. */
export const deliveryKeys = {
  /** Announcements routed to a channel, ordered by when they happened, then by id. */
  pending: (
    channelId: string,
    orderKey: string,
    id: string,
  ) => ["delivery", "pending", channelId, orderKey, id],
  pendingChannel: (channelId: string) => ["delivery", "pending", channelId],
  pendingAll: () => ["delivery", "pending"],
  /** A post that may have reached Discord (written before the request, removed on a definite answer). */
  attempt: (id: string) => ["delivery", "attempt", id],
  /** A delivered announcement: its message id (kept 90 days so a late duplicate is recognised). */
  done: (id: string) => ["delivery", "done", id],
  /** An announcement Discord refused for good, with the reason. */
  dead: (id: string) => ["delivery", "dead", id],
  deadAll: () => ["delivery", "dead"],
  /** The last delivered announcement, for /status. */
  last: () => ["delivery", "last"],
  /**
   * The post of an editable announcement, by its subject (the announcement's JSON): where a later
   * `edit: true` announcement of the same subject edits it (kept 90 days, as `done`).
   */
  posted: (subject: string) => ["delivery", "posted", subject],
  /** Which process drains a channel now (several instances on Deno Deploy). */
  lease: (channelId: string) => ["delivery", "lease", channelId],
} as const satisfies Record<string, (...args: string[]) => Deno.KvKey>;

/** A message kept up to date in place (discord/kept_message.ts), by its caller's key. */
export function keptMessageKey(key: string): ["kept_message", string] {
  return ["kept_message", key];
}

/** A member's link in one game (kv/links.ts). */
export function linkKey(userId: string, game: string): ["link", string, string] {
  return ["link", userId, game];
}

/** Prefix of all of a member's links. */
export function linksOfUserPrefix(userId: string): ["link", string] {
  return ["link", userId];
}

/** Who holds a game identity: the reverse of linkKey. */
export function linkByPlayerKey(game: string, playerId: string): ["link_by_player", string, string] {
  return ["link_by_player", game, playerId];
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
