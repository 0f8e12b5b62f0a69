/**
 * ET:Legacy per-player stats for one round, and the round-2 differential (doc §5).
 * The R2 file is cumulative over both rounds for some fields and per round for others; a paired
 * R2 is stored as R2 minus R1 for the cumulative ones only. Pure functions, no storage.
 */
import { type EtlHeader, type EtlPlayerLine, type EtlWeapon, F } from "@/games/etl/parser.ts";

/**
 * Weapons left out of accuracy and headshot %: splash and support weapons, whose "hits" count
 * every victim of one throw (grenade hits can exceed shots). One definition, used everywhere.
 */
export const NOT_AIMED = new Set([11, 14, 15, 16, 17, 19, 27]); // grenade dynamite airstrike artillery satchel landmine syringe

/** The summable stats of one player in one round (and, summed, over many rounds). */
export interface EtlStats {
  kills: number;
  deaths: number;
  /** Head hits over all weapons (the file's per-weapon `headshots`). */
  headshots: number;
  /** Hits, shots and head hits over aimed weapons (not NOT_AIMED): accuracy and headshot %. */
  aimedHits: number;
  aimedShots: number;
  aimedHeadshots: number;
  damageGiven: number;
  damageReceived: number;
  teamDamageGiven: number;
  teamDamageReceived: number;
  gibs: number;
  selfKills: number;
  teamKills: number;
  teamGibs: number;
  xp: number;
  killAssists: number;
  killSteals: number;
  headshotKills: number;
  objectivesStolen: number;
  objectivesReturned: number;
  dynamitesPlanted: number;
  dynamitesDefused: number;
  timesRevived: number;
  revivesGiven: number;
  repairsConstructions: number;
  usefulKills: number;
  uselessKills: number;
  fullSelfkills: number;
  deniedS: number;
  multikill2: number;
  multikill3: number;
  multikill4: number;
  multikill5: number;
  multikill6: number;
  /** Time on a team (f22), whole seconds. */
  timePlayedS: number;
  /** Time dead (f25), whole seconds, never more than time played. */
  timeDeadS: number;
}

/** Keys of EtlStats, for summing. */
export const STAT_KEYS = [
  "kills",
  "deaths",
  "headshots",
  "aimedHits",
  "aimedShots",
  "aimedHeadshots",
  "damageGiven",
  "damageReceived",
  "teamDamageGiven",
  "teamDamageReceived",
  "gibs",
  "selfKills",
  "teamKills",
  "teamGibs",
  "xp",
  "killAssists",
  "killSteals",
  "headshotKills",
  "objectivesStolen",
  "objectivesReturned",
  "dynamitesPlanted",
  "dynamitesDefused",
  "timesRevived",
  "revivesGiven",
  "repairsConstructions",
  "usefulKills",
  "uselessKills",
  "fullSelfkills",
  "deniedS",
  "multikill2",
  "multikill3",
  "multikill4",
  "multikill5",
  "multikill6",
  "timePlayedS",
  "timeDeadS",
] as const satisfies readonly (keyof EtlStats)[]; // deno-fmt-ignore

/** One player's row in a stored round. */
export interface EtlPlayerRound extends EtlStats {
  guid: string;
  name: string;
  nameRaw: string;
  /** The name in the file, when a display name (`/et name`) replaced `name` for reading; never stored. */
  gameName?: string;
  /** Side when the file was written: 1 Axis, 2 Allies, 3 spectator. */
  team: number;
  /** Best killing spree and worst death spree in this round (per round in the file). */
  killingSpree: number;
  deathSpree: number;
  /** "Alive %" as the Lua defines it (f8); for R2 recomputed over R2's own time. */
  alivePercent: number;
  /** f23, per round (Slomix subtracts it in R2: its bug; Podium copies it). */
  tankMeatshield: number;
  /** Weapons: `[id, hits, shots, kills, deaths, headshots]`, the differential for a paired R2. */
  weapons: EtlWeapon[];
  /** R2 counters below R1 (a reconnect): the raw R2 line is used (doc §5.2). */
  resetFallback?: true;
  /** In R2 but not in its R1 (a substitute): the raw R2 line, which is R2-only for them. */
  onlyInR2?: true;
}

/** Stats as an array in STAT_KEYS order: a fifth of the bytes of the named object in Deno KV. */
export function packStats(s: EtlStats): number[] {
  return STAT_KEYS.map((k) => s[k]);
}

/** The inverse of packStats (missing entries read as 0). */
export function unpackStats(a: readonly number[]): EtlStats {
  const s = {} as EtlStats;
  STAT_KEYS.forEach((k, i) => s[k] = a[i] ?? 0);
  return s;
}

/** Empty stats. */
export function zeroStats(): EtlStats {
  const s = {} as EtlStats;
  for (const k of STAT_KEYS) s[k] = 0;
  return s;
}

/** Adds `b` times `sign` into `a` (in place). */
export function addStats(a: EtlStats, b: EtlStats, sign = 1): EtlStats {
  for (const k of STAT_KEYS) a[k] += sign * b[k];
  return a;
}

/**
 * The round's duration when a line has no f22 (Slomix's rule): the Lua play time (9-field
 * header), else the header's actual time, 300 s when that is 0; never over the limit.
 */
export function headerRoundSeconds(h: EtlHeader): number {
  let t = h.playtimeMs !== null ? Math.trunc(h.playtimeMs > 10_000 ? h.playtimeMs / 1000 : h.playtimeMs) : 0;
  if (t <= 0) t = h.actualTimeS || 300;
  if (h.timeLimitS > 0 && t > h.timeLimitS) t = h.timeLimitS;
  return t;
}

/** Minutes (0.1 resolution in the file) to whole seconds. Rounded: Slomix truncates (`int(x*60)`), losing 1 s on 4.1*60. */
export function minutesToSeconds(min: number): number {
  return Math.max(0, Math.round(min * 60));
}

function weaponSums(weapons: EtlWeapon[]) {
  let kills = 0, deaths = 0, headshots = 0, aimedHits = 0, aimedShots = 0, aimedHeadshots = 0;
  for (const [id, hits, shots, k, d, hs] of weapons) {
    kills += k;
    deaths += d;
    headshots += hs;
    if (!NOT_AIMED.has(id)) {
      aimedHits += hits;
      aimedShots += shots;
      aimedHeadshots += hs;
    }
  }
  return { kills, deaths, headshots, aimedHits, aimedShots, aimedHeadshots };
}

/** Stats from the weapon list, the extended fields and a time played. */
function statsFrom(weapons: EtlWeapon[], f: number[], timePlayedS: number): EtlStats {
  return {
    ...weaponSums(weapons),
    damageGiven: f[F.damageGiven]!,
    damageReceived: f[F.damageReceived]!,
    teamDamageGiven: f[F.teamDamageGiven]!,
    teamDamageReceived: f[F.teamDamageReceived]!,
    gibs: f[F.gibs]!,
    selfKills: f[F.selfKills]!,
    teamKills: f[F.teamKills]!,
    teamGibs: f[F.teamGibs]!,
    xp: f[F.xp]!,
    killAssists: f[F.killAssists]!,
    killSteals: f[F.killSteals]!,
    headshotKills: f[F.headshotKills]!,
    objectivesStolen: f[F.objectivesStolen]!,
    objectivesReturned: f[F.objectivesReturned]!,
    dynamitesPlanted: f[F.dynamitesPlanted]!,
    dynamitesDefused: f[F.dynamitesDefused]!,
    timesRevived: f[F.timesRevived]!,
    revivesGiven: f[F.revivesGiven]!,
    repairsConstructions: f[F.repairsConstructions]!,
    usefulKills: f[F.usefulKills]!,
    uselessKills: f[F.uselessKills]!,
    fullSelfkills: f[F.fullSelfkills]!,
    deniedS: f[F.deniedPlaytimeS]!,
    multikill2: f[F.multikill2]!,
    multikill3: f[F.multikill3]!,
    multikill4: f[F.multikill4]!,
    multikill5: f[F.multikill5]!,
    multikill6: f[F.multikill6]!,
    timePlayedS,
    // f25 can exceed f22, once absurdly (220.7 min against 19.2): capped, as Slomix does at read time.
    timeDeadS: Math.min(minutesToSeconds(f[F.timeDeadMinutes]!), timePlayedS),
  };
}

/** A round-1 (or orphan, or only-in-R2) line as stored: its values as written. */
export function rawPlayerRound(p: EtlPlayerLine, h: EtlHeader): EtlPlayerRound {
  const f22 = p.f[F.timePlayedMinutes]!;
  const timePlayedS = f22 > 0 ? minutesToSeconds(f22) : headerRoundSeconds(h);
  return {
    guid: p.guid,
    name: p.name,
    nameRaw: p.nameRaw,
    team: p.team,
    ...statsFrom(p.weapons, p.f, timePlayedS),
    killingSpree: p.f[F.killingSpree]!,
    deathSpree: p.f[F.deathSpree]!,
    alivePercent: p.f[F.alivePercent]!,
    tankMeatshield: p.f[F.tankMeatshield]!,
    weapons: p.weapons.map((w) => [...w] as EtlWeapon),
  };
}

/** Fields that are cumulative in the R2 file (doc §3.3): subtracted. Every other field is copied. */
const CUMULATIVE = [
  F.damageGiven,
  F.damageReceived,
  F.teamDamageGiven,
  F.teamDamageReceived,
  F.gibs,
  F.selfKills,
  F.teamKills,
  F.teamGibs,
  F.bulletsFired,
  F.timePlayedMinutes,
] as const; // deno-fmt-ignore

/** R2 minus R1 per weapon, clamped at 0 (knife shots can drop: a Lua quirk). */
function weaponDiff(r1: EtlWeapon[], r2: EtlWeapon[]): EtlWeapon[] {
  const before = new Map(r1.map((w) => [w[0], w]));
  const out: EtlWeapon[] = [];
  for (const w of r2) {
    const b = before.get(w[0]);
    const d = w.map((v, i) => i === 0 ? v : Math.max(0, v - (b?.[i] ?? 0))) as EtlWeapon;
    if (d[1] || d[2] || d[3] || d[4] || d[5]) out.push(d);
  }
  return out;
}

/**
 * One R2 player as stored: the differential against their R1 line, the raw line when they were
 * not in R1, and the raw line when a counter dropped (a reconnect reset their session).
 */
export function diffPlayerRound(
  r1: EtlPlayerLine | undefined,
  r2: EtlPlayerLine,
  h: EtlHeader,
): EtlPlayerRound {
  if (!r1) return { ...rawPlayerRound(r2, h), onlyInR2: true };
  const k1 = weaponSums(r1.weapons), k2 = weaponSums(r2.weapons);
  const dropped = k2.kills < k1.kills || k2.deaths < k1.deaths ||
    r2.f[F.damageGiven]! < r1.f[F.damageGiven]! || r2.f[F.damageReceived]! < r1.f[F.damageReceived]! ||
    r2.f[F.timePlayedMinutes]! < r1.f[F.timePlayedMinutes]!;
  if (dropped) return { ...rawPlayerRound(r2, h), resetFallback: true };
  const f = [...r2.f];
  for (const i of CUMULATIVE) f[i] = Math.max(0, r2.f[i]! - r1.f[i]!);
  const t1 = r1.f[F.timePlayedMinutes]!, t2 = r2.f[F.timePlayedMinutes]!;
  const minutes = Math.max(0, t2 - t1);
  // Alive % is a ratio over the time on a team: R2's alive time over R2's own team time.
  const alive = Math.max(0, (r2.f[F.alivePercent]! / 100) * t2 - (r1.f[F.alivePercent]! / 100) * t1);
  const weapons = weaponDiff(r1.weapons, r2.weapons);
  return {
    guid: r2.guid,
    name: r2.name,
    nameRaw: r2.nameRaw,
    team: r2.team,
    ...statsFrom(weapons, f, minutesToSeconds(minutes)),
    killingSpree: r2.f[F.killingSpree]!,
    deathSpree: r2.f[F.deathSpree]!,
    alivePercent: minutes > 0 ? Math.round((alive / minutes) * 1000) / 10 : 0,
    tankMeatshield: r2.f[F.tankMeatshield]!,
    weapons,
  };
}

/** Every R2 player's stored row (R2 players only: someone only in R1 keeps their R1 row). */
export function roundTwoDifferential(
  r1: EtlPlayerLine[],
  r2: EtlPlayerLine[],
  h: EtlHeader,
): EtlPlayerRound[] {
  const byGuid = new Map(r1.map((p) => [p.guid, p]));
  return r2.map((p) => diffPlayerRound(byGuid.get(p.guid), p, h));
}
