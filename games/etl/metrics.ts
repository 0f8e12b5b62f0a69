/**
 * Every ET:Legacy metric, defined once. Each works on summed stats (one round, a session, a
 * career), so an aggregate is always "sum the counts, then divide": never an average of ratios.
 * Division by zero gives 0. docs/etl.md "Metrics" documents the same table.
 */
import type { EtlStats } from "@/games/etl/stats.ts";

/** Summed stats plus how many rounds they cover. */
export type EtlTotals = EtlStats & { rounds: number };

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** A metric: how it is computed, shown, and which players qualify for its leaderboard. */
export interface EtlMetric {
  id: string;
  label: string;
  /** One-line definition, for README and autocomplete. */
  definition: string;
  value(s: EtlTotals): number;
  /** Text for people: "1.52", "41.3%", "12:05". */
  format(v: number): string;
  /** Leaderboard floor: fewer rounds (or less of the basis) and the player is not ranked. */
  minRounds: number;
  qualifies?(s: EtlTotals): boolean;
}

const pct = (v: number) => `${r1(v).toFixed(1)}%`;
const count = (v: number) => String(Math.round(v));
const hms = (v: number) => {
  const s = Math.round(v), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}` : `${m}:${String(s % 60).padStart(2, "0")}`;
};

/** All metrics, by id. */
export const METRICS: readonly EtlMetric[] = [
  {
    id: "kills",
    label: "Kills",
    definition: "Σ kills over all weapons (self-kills not included)",
    value: (s) => s.kills,
    format: count,
    minRounds: 1,
  },
  {
    id: "kd",
    label: "K/D",
    definition: "Σ kills / Σ deaths (kills when there are no deaths)",
    value: (s) => s.deaths > 0 ? r2(s.kills / s.deaths) : s.kills,
    format: (v) => v.toFixed(2),
    minRounds: 10,
  },
  {
    id: "dpm",
    label: "DPM",
    definition: "Σ damage given · 60 / Σ time played (s): damage per minute on a team",
    value: (s) => r1(ratio(s.damageGiven * 60, s.timePlayedS)),
    format: (v) => v.toFixed(1),
    minRounds: 10,
  },
  {
    id: "accuracy",
    label: "Accuracy",
    definition:
      "Σ hits / Σ shots · 100, aimed weapons only (no grenade, syringe, explosives, air or artillery)",
    value: (s) => r1(ratio(s.aimedHits * 100, s.aimedShots)),
    format: pct,
    minRounds: 10,
    qualifies: (s) => s.aimedShots >= 500,
  },
  {
    id: "headshot_pct",
    label: "Headshot %",
    definition: "Σ head hits / Σ hits · 100, aimed weapons only (a share of hits, never over 100%)",
    value: (s) => r1(ratio(s.aimedHeadshots * 100, s.aimedHits)),
    format: pct,
    minRounds: 10,
    qualifies: (s) => s.aimedHits >= 200,
  },
  {
    id: "efficiency",
    label: "Efficiency",
    definition: "Σ kills / (Σ kills + Σ deaths) · 100",
    value: (s) => r1(ratio(s.kills * 100, s.kills + s.deaths)),
    format: pct,
    minRounds: 10,
  },
  {
    id: "damage_given",
    label: "Damage given",
    definition: "Σ damage given to enemies (hp)",
    value: (s) => s.damageGiven,
    format: count,
    minRounds: 1,
  },
  {
    id: "damage_received",
    label: "Damage received",
    definition: "Σ damage received (hp)",
    value: (s) => s.damageReceived,
    format: count,
    minRounds: 1,
  },
  {
    id: "gibs",
    label: "Gibs",
    definition: "Σ enemy bodies gibbed",
    value: (s) => s.gibs,
    format: count,
    minRounds: 1,
  },
  {
    id: "revives",
    label: "Revives",
    definition: "Σ revives given (medic)",
    value: (s) => s.revivesGiven,
    format: count,
    minRounds: 1,
  },
  {
    id: "objectives",
    label: "Objectives",
    definition: "Σ objectives stolen + returned + dynamites planted + defused + repairs/constructions",
    value: (s) =>
      s.objectivesStolen + s.objectivesReturned + s.dynamitesPlanted + s.dynamitesDefused +
      s.repairsConstructions,
    format: count,
    minRounds: 1,
  },
  {
    id: "headshots",
    label: "Headshot kills",
    definition: "Σ kills whose final blow hit the head (f14)",
    value: (s) => s.headshotKills,
    format: count,
    minRounds: 1,
  },
  {
    id: "time_played",
    label: "Time played",
    definition: "Σ time on a team, whole seconds (f22 minutes · 60, rounded)",
    value: (s) => s.timePlayedS,
    format: hms,
    minRounds: 1,
  },
  {
    id: "time_dead_pct",
    label: "Time dead %",
    definition: "Σ time dead / Σ time played · 100 (time dead capped to time played per round)",
    value: (s) => r1(ratio(s.timeDeadS * 100, s.timePlayedS)),
    format: pct,
    minRounds: 10,
  },
  {
    id: "useful_kills",
    label: "Useful kills",
    definition: "Σ kills of an enemy with more than half of their respawn wait left",
    value: (s) => s.usefulKills,
    format: count,
    minRounds: 1,
  },
  {
    id: "multikills",
    label: "Multikills",
    definition: "Σ multikills 2x + 3x + 4x + 5x + 6x",
    value: (s) => s.multikill2 + s.multikill3 + s.multikill4 + s.multikill5 + s.multikill6,
    format: count,
    minRounds: 1,
  },
  {
    id: "team_damage",
    label: "Team damage",
    definition: "Σ damage given to team-mates (hp)",
    value: (s) => s.teamDamageGiven,
    format: count,
    minRounds: 1,
  },
  {
    id: "xp",
    label: "XP",
    definition: "Σ XP (the score, per round)",
    value: (s) => s.xp,
    format: count,
    minRounds: 1,
  },
  {
    id: "rounds",
    label: "Rounds",
    definition: "rounds played (a paired R2 and its R1 are two)",
    value: (s) => s.rounds,
    format: count,
    minRounds: 1,
  },
];

const BY_ID = new Map(METRICS.map((m) => [m.id, m]));

/** The metric with this id, or undefined. */
export function metricById(id: string): EtlMetric | undefined {
  return BY_ID.get(id);
}

/** True when a player with these totals is ranked on the metric's leaderboard. */
export function qualifies(m: EtlMetric, s: EtlTotals): boolean {
  return s.rounds >= m.minRounds && (m.qualifies?.(s) ?? true);
}
