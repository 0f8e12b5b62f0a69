/**
 * ET:Legacy leaderboards: any metric, all time (the players' stored totals) or the last N days
 * (the rounds of the period, summed). The API, the site and `/et top` read these.
 */
import { type EtlTotals, metricById, qualifies } from "@/games/etl/metrics.ts";
import { addStats } from "@/games/etl/stats.ts";
import { etlWhenPrefix, wallDay } from "@/kv/etl/keys.ts";
import { getRounds } from "@/kv/etl/rounds.ts";
import { getEtlPlayers, listEtlPlayers, zeroTotals } from "@/kv/etl/players.ts";
import type { EtlPlayer, RoundBrief } from "@/kv/etl/types.ts";
import { kvReader } from "@/kv/reader.ts";
import { UTC_ZONE, type ZoneOf } from "@/kv/etl/zones.ts";
import { offsetMs } from "@/lib/file_time.ts";
import { combinePool, etlPeople } from "@/kv/etl/people.ts";

const DAY_MS = 86_400_000;

/** Leaderboard periods: all time, or the last N days of play. */
export const PERIODS = { all: 0, "7d": 7, "30d": 30, "90d": 90, "365d": 365 } as const;
export type Period = keyof typeof PERIODS;

/** One leaderboard row. */
export interface LeaderRow {
  rank: number;
  /** The GUID pages use: a person's first GUID. */
  guid: string;
  /** A person's id and every GUID counted, when an admin merged this player's GUIDs. */
  personId?: string;
  guids?: string[];
  name: string;
  nameRaw: string;
  value: number;
  display: string;
  rounds: number;
}

async function periodTotals(
  kv: Deno.Kv,
  since: number,
  zoneOf: ZoneOf,
): Promise<Map<string, { p: EtlPlayer; t: EtlTotals }>> {
  const out = new Map<string, { p: EtlPlayer; t: EtlTotals }>();
  const briefs = await Array.fromAsync(
    kv.list<RoundBrief>({
      start: etlWhenPrefix(wallDay(since - DAY_MS)),
      end: [...etlWhenPrefix(), "\uffff"],
    }),
    (e) => e.value,
  );
  // Briefs hold the server's wall clock: `since` as each server's wall clock (one offset per zone).
  const wallSince = new Map<string | undefined, number>();
  const after = (b: RoundBrief) => {
    if (!wallSince.has(b.serverId)) wallSince.set(b.serverId, since + offsetMs(since, zoneOf(b.serverId)));
    return b.wallMs >= wallSince.get(b.serverId)!;
  };
  const rounds = await getRounds(
    kvReader(kv),
    briefs.filter((b) => after(b) && b.status !== "orphan" && !b.x).map((b) => b.id),
  );
  for (const r of rounds) {
    for (const row of r.players) {
      const cur = out.get(row.guid) ?? {
        p: {
          guid: row.guid,
          name: row.name,
          nameRaw: row.nameRaw,
          firstWallMs: r.wallMs,
          lastWallMs: r.wallMs,
          lastPlayedAt: r.playedAt,
          totals: zeroTotals(),
        },
        t: zeroTotals(),
      };
      addStats(cur.t, row);
      cur.t.rounds++;
      out.set(row.guid, cur);
    }
  }
  // Names are the players' newest, as everywhere.
  const guids = [...out.keys()];
  const players = await getEtlPlayers(kvReader(kv), guids);
  players.forEach((p, i) => {
    if (p) out.get(guids[i]!)!.p = p;
  });
  return out;
}

/** The ranking for a metric over a period (bounded by the metric's floor), best first. */
export async function leaderboard(
  kv: Deno.Kv,
  metricId: string,
  opts: { period: Period; now: Date; limit: number; zoneOf?: ZoneOf },
): Promise<
  { metric: string; label: string; definition: string; period: Period; minRounds: number; rows: LeaderRow[] }
> {
  const m = metricById(metricId);
  if (!m) throw new Error(`Unknown metric "${metricId}"`);
  let pool: { p: EtlPlayer; t: EtlTotals }[];
  if (opts.period === "all") {
    pool = (await listEtlPlayers(kvReader(kv))).map((p) => ({ p, t: p.totals }));
  } else {
    const since = opts.now.getTime() - PERIODS[opts.period] * 86_400_000;
    pool = [...(await periodTotals(kv, since, opts.zoneOf ?? UTC_ZONE)).values()];
  }
  // A person's GUIDs count once (kv/etl/people.ts).
  const people = combinePool(pool, await etlPeople(kvReader(kv)));
  const ranked = people.filter((x) => qualifies(m, x.t)).map((x) => ({ ...x, v: m.value(x.t) }))
    .sort((a, b) => b.v - a.v || b.t.rounds - a.t.rounds || a.p.guid.localeCompare(b.p.guid));
  return {
    metric: m.id,
    label: m.label,
    definition: m.definition,
    period: opts.period,
    minRounds: m.minRounds,
    rows: ranked.slice(0, opts.limit).map((x, i) => ({
      rank: i + 1,
      guid: x.p.guid,
      ...(x.p.personId ? { personId: x.p.personId, guids: x.p.guids } : {}),
      name: x.p.name,
      nameRaw: x.p.nameRaw,
      value: x.v,
      display: m.format(x.v),
      rounds: x.t.rounds,
    })),
  };
}
