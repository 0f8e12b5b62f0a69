/**
 * The keys of iRacing car numbers, all under the `numbers` prefix (kv/keys.ts PREFIXES). Every
 * Discord server (guild) has its own settings, claims, audit log and sync state; numbers are text
 * ("07" and "7" are different numbers), so they are key parts as given.
 */

/** A guild's settings (league id, number rules, admin role, channel, limit). */
export function settingsKey(guildId: string): ["numbers", "settings", string] {
  return ["numbers", "settings", guildId];
}

/** Prefix of every guild's settings (the hourly sync walks it). */
export function settingsPrefix(): ["numbers", "settings"] {
  return ["numbers", "settings"];
}

/** The claim on one number in a guild; absent when the number is free. */
export function claimKey(guildId: string, number: string): ["numbers", "claim", string, string] {
  return ["numbers", "claim", guildId, number];
}

/** Prefix of a guild's claims (key order is text order of the numbers). */
export function claimPrefix(guildId: string): ["numbers", "claim", string] {
  return ["numbers", "claim", guildId];
}

/** How many numbers a member holds: checked and bumped in the same commit as a claim or release. */
export function holdingKey(guildId: string, userId: string): ["numbers", "holding", string, string] {
  return ["numbers", "holding", guildId, userId];
}

/** Prefix of every member's holding in a guild. */
export function holdingPrefix(guildId: string): ["numbers", "holding", string] {
  return ["numbers", "holding", guildId];
}

/** One audit entry; ids sort by time. */
export function auditKey(guildId: string, id: string): ["numbers", "audit", string, string] {
  return ["numbers", "audit", guildId, id];
}

/** Prefix of a guild's audit log. */
export function auditPrefix(guildId: string): ["numbers", "audit", string] {
  return ["numbers", "audit", guildId];
}

/** The same audit entry indexed by a member it concerns (actor or target). */
export function auditByMemberKey(
  guildId: string,
  userId: string,
  id: string,
): ["numbers", "audit_member", string, string, string] {
  return ["numbers", "audit_member", guildId, userId, id];
}

/** Prefix of one member's audit entries. */
export function auditByMemberPrefix(
  guildId: string,
  userId: string,
): ["numbers", "audit_member", string, string] {
  return ["numbers", "audit_member", guildId, userId];
}

/** The last sync of a guild: when, result, conflicts (the known set, so new ones post once). */
export function syncStatusKey(guildId: string): ["numbers", "sync", string] {
  return ["numbers", "sync", guildId];
}

/** The roster numbers seen at the last sync (for /available and /check). */
export function rosterKey(guildId: string): ["numbers", "roster", string] {
  return ["numbers", "roster", guildId];
}

/** The bot's iRacing OAuth tokens, per iRacing account (lower-cased username). */
export function tokenKey(account: string): ["numbers", "iracing_token", string] {
  return ["numbers", "iracing_token", account];
}
