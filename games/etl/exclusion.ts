/**
 * Rounds that should not count (kept, shown, left out of totals and leaderboards), each by one
 * rule with a switch in the config (`etl.exclude`). Pure: the storage applies the verdicts.
 *
 * - restart: an R1 followed, on the same map and server, by a newer R1 within the pairing window
 *   (45 minutes) with no R2 between them: the round was abandoned and played again.
 * - bots: any player is an Omni-bot (a `[BOT]` name or an `OMNIBOT` GUID), as Slomix marks it.
 * - filler: the map is one of the configured warm-up/filler maps.
 * - admin: a league admin excluded it (`/et admin exclude`); `/et admin include` overrides any rule.
 */

/** Why a round does not count. */
export type ExclusionRule = "restart" | "bots" | "filler" | "admin";

/** The switches (config `etl.exclude`). */
export interface EtlExclusionConfig {
  restarts: boolean;
  bots: boolean;
  /** Map names (case-insensitive) that never count. */
  fillerMaps: readonly string[];
}

/** The defaults: restarts and bot rounds excluded, Slomix's one filler map. */
export const DEFAULT_EXCLUSION: EtlExclusionConfig = {
  restarts: true,
  bots: true,
  fillerMaps: ["mp_sillyctf"],
};

/** A rule's verdict: the rule and one sentence for people. */
export interface Exclusion {
  rule: ExclusionRule;
  reason: string;
}

const BOT_NAME = /^\[BOT\]/i;
const BOT_GUID = /^OMNIBOT/i;

/** True for an Omni-bot's line (Slomix's `BOT_NAME_REGEX`, or the bots' shared GUID prefix). */
export function isBot(p: { name: string; guid: string }): boolean {
  return BOT_NAME.test(p.name) || BOT_GUID.test(p.guid);
}

/** The rules a round's own content decides (bots, filler map); null when it counts. */
export function contentExclusion(
  round: { map: string; players: readonly { name: string; guid: string }[] },
  cfg: EtlExclusionConfig,
): Exclusion | null {
  const map = round.map.toLowerCase();
  if (cfg.fillerMaps.some((m) => m.toLowerCase() === map)) {
    return {
      rule: "filler",
      reason: `"${round.map}" is a filler/warm-up map (config etl.exclude.fillerMaps)`,
    };
  }
  if (cfg.bots) {
    const bots = round.players.filter(isBot);
    if (bots.length > 0) {
      const names = bots.slice(0, 3).map((b) => b.name).join(", ");
      return {
        rule: "bots",
        reason: `${bots.length} of ${round.players.length} players are bots (${names}${
          bots.length > 3 ? ", ..." : ""
        })`,
      };
    }
  }
  return null;
}

/** A round as the restart rule sees it. */
export interface RoundPlace {
  id: string;
  round: 1 | 2;
  wallMs: number;
  /** Rounds from different servers never restart each other. */
  serverId?: string;
}

/**
 * The R1s of `rounds` (one map) that were restarted, each with the R1 that replaced it: a newer
 * R1 within `windowMs` on the same server with no R2 strictly between the two.
 */
export function restartedRounds(rounds: readonly RoundPlace[], windowMs: number): Map<string, string> {
  const sorted = [...rounds].sort((a, b) => a.wallMs - b.wallMs || (a.id < b.id ? -1 : 1));
  const out = new Map<string, string>();
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    if (r.round !== 1) continue;
    for (let j = i + 1; j < sorted.length; j++) {
      const n = sorted[j]!;
      if (n.wallMs - r.wallMs > windowMs) break;
      if ((n.serverId ?? null) !== (r.serverId ?? null)) continue;
      if (n.round === 2) break;
      out.set(r.id, n.id);
      break;
    }
  }
  return out;
}

/** The reason a restarted R1 carries. */
export function restartExclusion(replacedBy: string): Exclusion {
  return {
    rule: "restart",
    reason: `restarted: round 1 was played again (${replacedBy}) before any round 2`,
  };
}

/** What counts in the end: an admin's word, else the first rule that applies. */
export function effectiveExclusion(
  rules: { content?: Exclusion | null; restart?: Exclusion | null },
  override: "exclude" | "include" | undefined,
  cfg: Pick<EtlExclusionConfig, "restarts">,
): Exclusion | null {
  if (override === "include") return null;
  if (override === "exclude") return { rule: "admin", reason: "excluded by a league admin" };
  return rules.content ?? (cfg.restarts ? rules.restart ?? null : null);
}
