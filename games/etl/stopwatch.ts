/**
 * Stopwatch map results (doc §7). R1's attackers set a time; R2's attackers must beat it.
 * The faster attack wins the map 2-0; a double full hold is 1-1; a tie goes to R1's attackers.
 * A surrender cannot be seen in the files: a surrendered attack looks like a full hold.
 */
import type { EtlHeader } from "@/games/etl/parser.ts";

/** The header fields stopwatch scoring reads. */
export type StopwatchHeader = Pick<EtlHeader, "winner" | "defender" | "timeLimitS" | "actualTimeS">;

/** Whether a round's attackers completed the objective, or null when the header cannot tell. */
export function attackersSucceeded(h: StopwatchHeader): boolean | null {
  if (h.winner && h.defender) return h.winner !== h.defender;
  if (h.actualTimeS <= 0) return null;
  if (h.timeLimitS <= 0) return true;
  return h.actualTimeS < h.timeLimitS;
}

/** The result of one map (an R1 and its R2), from R1's attackers' point of view. */
export interface MapResult {
  /** Map points of R1's attackers and R2's attackers: 2-0, 0-2 or 1-1. */
  r1AttackersPoints: number;
  r2AttackersPoints: number;
  r1Completed: boolean;
  r2Completed: boolean;
  /** Attack times in seconds (the header's "actual time"; null for a full hold). */
  r1TimeS: number | null;
  r2TimeS: number | null;
  /** One line, e.g. "R2 attackers 2:28 vs 8:45". */
  summary: string;
}

/** `M:SS`. */
export function mmss(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** Scores a map from its two headers. */
export function mapResult(r1: StopwatchHeader, r2: StopwatchHeader): MapResult {
  const time = (h: StopwatchHeader) => h.actualTimeS > 0 && h.timeLimitS > 0 && h.actualTimeS < h.timeLimitS;
  // When the header cannot tell, fall back on the times alone (Slomix's legacy rule).
  const a1 = attackersSucceeded(r1) ?? time(r1);
  const a2 = attackersSucceeded(r2) ?? time(r2);
  const t1 = a1 ? r1.actualTimeS : null;
  const t2 = a2 ? r2.actualTimeS : null;
  const base = { r1Completed: a1, r2Completed: a2, r1TimeS: t1, r2TimeS: t2 };
  if (a1 && a2) {
    const r1Wins = (t1 ?? 0) <= (t2 ?? 0);
    return {
      ...base,
      r1AttackersPoints: r1Wins ? 2 : 0,
      r2AttackersPoints: r1Wins ? 0 : 2,
      summary: r1Wins
        ? `R1 attackers ${mmss(t1 ?? 0)} vs ${mmss(t2 ?? 0)}`
        : `R2 attackers ${mmss(t2 ?? 0)} vs ${mmss(t1 ?? 0)}`,
    };
  }
  if (a1) {
    return {
      ...base,
      r1AttackersPoints: 2,
      r2AttackersPoints: 0,
      summary: `R1 attackers set ${mmss(t1 ?? 0)}, R2 held`,
    };
  }
  if (a2) {
    return {
      ...base,
      r1AttackersPoints: 0,
      r2AttackersPoints: 2,
      summary: `R2 attackers completed in ${mmss(t2 ?? 0)}, R1 held`,
    };
  }
  return { ...base, r1AttackersPoints: 1, r2AttackersPoints: 1, summary: "double full hold, 1-1" };
}
