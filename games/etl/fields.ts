/**
 * What an ET:Legacy gamestats file holds (shared/docs/etl-format.md §2-3): the limits, the
 * extended fields by index, the weapons by id, and the shapes games/etl/parser.ts reads a file
 * into. Types and constants only.
 */

/** Player lines one stats file may hold (ET:Legacy servers have at most 64 slots). */
export const MAX_PLAYER_LINES = 256;

/** Extended (TAB) fields per player line in the newest Lua; older builds write a prefix. */
export const ETL_FIELDS = 38;
/** The shortest TAB block a real Lua build wrote (2024). */
export const ETL_MIN_FIELDS = 33;

/** Names of the extended fields f0..f37, by index (doc §3.3). */
export const F = {
  damageGiven: 0,
  damageReceived: 1,
  teamDamageGiven: 2,
  teamDamageReceived: 3,
  gibs: 4,
  selfKills: 5,
  teamKills: 6,
  teamGibs: 7,
  alivePercent: 8,
  xp: 9,
  killingSpree: 10,
  deathSpree: 11,
  killAssists: 12,
  killSteals: 13,
  headshotKills: 14,
  objectivesStolen: 15,
  objectivesReturned: 16,
  dynamitesPlanted: 17,
  dynamitesDefused: 18,
  timesRevived: 19,
  bulletsFired: 20,
  luaDpm: 21,
  timePlayedMinutes: 22,
  tankMeatshield: 23,
  timeDeadRatio: 24,
  timeDeadMinutes: 25,
  luaKd: 26,
  usefulKills: 27,
  deniedPlaytimeS: 28,
  multikill2: 29,
  multikill3: 30,
  multikill4: 31,
  multikill5: 32,
  multikill6: 33,
  uselessKills: 34,
  fullSelfkills: 35,
  repairsConstructions: 36,
  revivesGiven: 37,
} as const;

/** Weapon ids 0..27 (`WeaponStats_t`). */
export const WEAPONS: readonly string[] = [
  "knife",
  "knife_kbar",
  "luger",
  "colt",
  "mp40",
  "thompson",
  "sten",
  "fg42",
  "panzerfaust",
  "bazooka",
  "flamethrower",
  "grenade",
  "mortar",
  "mortar2",
  "dynamite",
  "airstrike",
  "artillery",
  "satchel",
  "grenadelauncher",
  "landmine",
  "mg42",
  "browning",
  "carbine",
  "kar98",
  "garand",
  "k43",
  "mp34",
  "syringe",
]; // deno-fmt-ignore

/** One weapon's counters: `[id, hits, shots, kills, deaths, headshots]` (compact: stored per player). */
export type EtlWeapon = [id: number, hits: number, shots: number, kills: number, deaths: number, headshots: number];

/** One player line. `f` always has 38 entries; fields an old Lua build did not write are 0. */
export interface EtlPlayerLine {
  /** Effective GUID: the 8-hex GUID, or for Omni-bots (`[BOT]` names) GUID + a hash of the name. */
  guid: string;
  /** Name with ET colour codes, for rendering. */
  nameRaw: string;
  /** Name without colour codes. */
  name: string;
  /** `sess.rounds`: parsed, not relied on (doc §3.2). */
  rounds: number;
  /** 1 Axis, 2 Allies, 3 spectator. */
  team: number;
  weapons: EtlWeapon[];
  f: number[];
  bot: boolean;
}

/** The backslash header (doc §3.1). */
export interface EtlHeader {
  serverRaw: string;
  server: string;
  map: string;
  config: string;
  round: number;
  /** Defending side, 1 Axis / 2 Allies (0 when unreadable). */
  defender: number;
  /** Winning side, 1 Axis / 2 Allies (0 when unreadable). */
  winner: number;
  /** This round's limit in seconds (R2: the time R1 set). */
  timeLimitS: number;
  /** "Actual time" in seconds: a stopwatch value, not a measured duration; 0 when corrupt. */
  actualTimeS: number;
  /** c0rnp0rn7/8 only: measured play time in ms. */
  playtimeMs: number | null;
  fieldCount: 8 | 9;
}

/** One parsed gamestats file. */
export interface EtlRound {
  fileName: string;
  map: string;
  round: 1 | 2;
  /** The file name's timestamp as written (server wall clock): `2025-10-20-213931`. */
  stamp: string;
  /** The same wall-clock time as if it were UTC, in ms: pairing and session gaps use it. */
  wallMs: number;
  /** The instant, in the server's time zone. */
  playedAt: Date;
  header: EtlHeader;
  players: EtlPlayerLine[];
  /** Extended fields per line in this file (33-38). */
  tabFields: number;
  /** Lines dropped as damaged, one sentence each. */
  warnings: string[];
  /** The decoded file text (kept as the round's raw record: the base of a recomputed differential). */
  text: string;
}
