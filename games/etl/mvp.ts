/**
 * The MVP of a round, a map or a session, by Slomix's round formula (etl-format.md §4):
 * score = K/D × 10 + efficiency + damage given / 100, where K/D is kills / deaths (kills when
 * there are no deaths) and efficiency is kills / (kills + deaths) × 100. For a map or a session
 * the same formula runs on the player's sums over the counted rounds. A player must score strictly
 * more than the best so far, which starts at 0: a round where everybody scores 0 has no MVP, and a
 * tie goes to the first in the given order.
 */

/** What the formula reads. */
export interface MvpInput {
  guid: string;
  name: string;
  kills: number;
  deaths: number;
  damageGiven: number;
}

/** The MVP and their score. */
export interface Mvp {
  guid: string;
  name: string;
  score: number;
}

/** One player's MVP score. */
export function mvpScore(p: Pick<MvpInput, "kills" | "deaths" | "damageGiven">): number {
  const kd = p.deaths > 0 ? p.kills / p.deaths : p.kills;
  const total = p.kills + p.deaths;
  const efficiency = total > 0 ? (p.kills / total) * 100 : 0;
  return kd * 10 + efficiency + p.damageGiven / 100;
}

/** The MVP of some players (rows of one round, or sums over a map or session); null when none scores. */
export function pickMvp(players: readonly MvpInput[]): Mvp | null {
  let best: Mvp | null = null;
  for (const p of players) {
    const score = mvpScore(p);
    if (score > (best?.score ?? 0)) {
      best = { guid: p.guid, name: p.name, score: Math.round(score * 100) / 100 };
    }
  }
  return best;
}

/** Sums rows per player (a map's two rounds, a session's rounds) and picks the MVP. */
export function mvpOfRounds(rounds: readonly (readonly MvpInput[])[]): Mvp | null {
  const sums = new Map<string, MvpInput>();
  for (const rows of rounds) {
    for (const r of rows) {
      const s = sums.get(r.guid) ?? { guid: r.guid, name: r.name, kills: 0, deaths: 0, damageGiven: 0 };
      s.name = r.name;
      s.kills += r.kills;
      s.deaths += r.deaths;
      s.damageGiven += r.damageGiven;
      sums.set(r.guid, s);
    }
  }
  return pickMvp([...sums.values()]);
}
