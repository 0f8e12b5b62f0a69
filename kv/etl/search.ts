/**
 * Finding ET:Legacy players and maps by what people type: a GUID, a name, the start of a name,
 * a word in it. Names are matched colour-stripped and case-insensitively; the most recently
 * active players come first.
 */
import { etlMapKey, etlMapMonthsPrefix, etlMapPrefix } from "@/kv/etl/keys.ts";
import { listEtlPlayers } from "@/kv/etl/players.ts";
import type { EtlMapInfo, EtlPlayer, RoundBrief } from "@/kv/etl/types.ts";
import { kvReader } from "@/kv/reader.ts";
import { combinePlayers, type EtlPerson, type EtlShownPlayer } from "@/kv/etl/people.ts";
import { matchScore } from "@/lib/text.ts";

/**
 * Players matching `query` (a GUID matches exactly), best first. With `people` (etlPeople), a
 * person is one player under the person's name (kv/etl/people.ts), found by that name, by any of
 * their GUIDs or by any name a GUID played under; without, every GUID is its own.
 */
export async function searchEtlPlayers(
  kv: Deno.Kv,
  query: string,
  limit = 25,
  people?: Map<string, EtlPerson>,
): Promise<EtlPlayer[]> {
  const q = query.trim().toLowerCase();
  const raw = await listEtlPlayers(kvReader(kv));
  // A display name, the name in the files and (for a person) each GUID's both find a player.
  const playedAs = new Map(raw.map((p) => [p.guid, [p.name, p.gameName ?? ""]]));
  const all: EtlPlayer[] = people?.size ? combinePlayers(raw, people) : raw;
  const byRecent = (a: EtlPlayer, b: EtlPlayer) => b.lastWallMs - a.lastWallMs;
  if (!q) return all.sort(byRecent).slice(0, limit);
  const exactGuid = all.filter((p) => guidsOf(p).some((g) => g.toLowerCase() === q));
  const scoreOf = (name: string): number => {
    const n = name.toLowerCase();
    if (n === q) return 0;
    if (n.startsWith(q)) return 1;
    if (n.split(/[\s._\-|]+/).some((w) => w.startsWith(q))) return 2;
    if (n.includes(q)) return 3;
    return 9;
  };
  const score = (p: EtlPlayer): number =>
    Math.min(
      scoreOf(p.name),
      p.gameName ? scoreOf(p.gameName) : 9,
      ...guidsOf(p).flatMap((g) => (playedAs.get(g) ?? []).map(scoreOf)),
    );
  const hits = all.map((p) => ({ p, s: score(p) })).filter((x) => x.s < 9)
    .sort((a, b) => a.s - b.s || byRecent(a.p, b.p)).map((x) => x.p);
  return [...exactGuid, ...hits.filter((p) => !exactGuid.includes(p))].slice(0, limit);
}

/** The GUIDs a listed player stands for: a person's (combinePlayers), or its own. */
const guidsOf = (p: EtlPlayer): string[] => (p as Partial<EtlShownPlayer>).guids ?? [p.guid];

/** What a typed player option names: one player, none, or several (with the candidates). */
export type PlayerPick = { kind: "one"; player: EtlPlayer } | { kind: "none" } | {
  kind: "many";
  players: EtlPlayer[];
};

/**
 * Resolves a player option: a GUID (autocomplete's value) or a typed name; with `people`, as
 * searchEtlPlayers (a person's name or any of their GUIDs names the person).
 */
export async function pickEtlPlayer(
  kv: Deno.Kv,
  query: string,
  people?: Map<string, EtlPerson>,
): Promise<PlayerPick> {
  const hits = await searchEtlPlayers(kv, query, 10, people);
  if (hits.length === 0) return { kind: "none" };
  const q = query.trim().toLowerCase();
  const exact = hits.filter((p) =>
    guidsOf(p).some((g) => g.toLowerCase() === q) || p.name.toLowerCase() === q ||
    p.gameName?.toLowerCase() === q
  );
  if (exact.length === 1) return { kind: "one", player: exact[0]! };
  if (hits.length === 1) return { kind: "one", player: hits[0]! };
  return { kind: "many", players: hits };
}

/** Maps whose name matches `query` (matchScore: `gold` finds `sw_goldrush_te`), best first, then most recently played. */
export async function searchEtlMaps(
  kv: Deno.Kv,
  query: string,
  limit = 25,
): Promise<(EtlMapInfo & { score: number })[]> {
  const hits: (EtlMapInfo & { score: number })[] = [];
  for (const m of await listEtlMaps(kv)) {
    const score = matchScore(m.map, query);
    if (score !== null) hits.push({ ...m, score });
  }
  return hits.sort((a, b) => a.score - b.score || b.lastWallMs - a.lastWallMs).slice(0, limit);
}

/** Every map played, most recently played first. */
export async function listEtlMaps(kv: Deno.Kv): Promise<EtlMapInfo[]> {
  const maps = await Array.fromAsync(kv.list<EtlMapInfo>({ prefix: etlMapPrefix() }), (e) => e.value);
  return maps.sort((a, b) => b.lastWallMs - a.lastWallMs);
}

/** Per map: stopwatch maps completed (paired R2s), won by R2's attackers, and double full holds. */
export interface EtlMapStats extends EtlMapInfo {
  maps: number;
  r2AttackWins: number;
  doubleHolds: number;
}

/** Every map with its stopwatch statistics, from the maps' month indexes (no round reads). */
export async function etlMapStats(kv: Deno.Kv): Promise<EtlMapStats[]> {
  const stats = new Map<string, { maps: number; r2AttackWins: number; doubleHolds: number }>();
  for await (const e of kv.list<{ briefs: RoundBrief[] }>({ prefix: etlMapMonthsPrefix() })) {
    for (const b of e.value.briefs) {
      if (!b.points) continue;
      const s = stats.get(b.map) ?? { maps: 0, r2AttackWins: 0, doubleHolds: 0 };
      s.maps++;
      if (b.points[1] === 2) s.r2AttackWins++;
      if (b.points[0] === 1) s.doubleHolds++;
      stats.set(b.map, s);
    }
  }
  return (await listEtlMaps(kv)).map((m) => ({
    ...m,
    ...(stats.get(m.map) ?? { maps: 0, r2AttackWins: 0, doubleHolds: 0 }),
  }));
}

/** One map's page: its totals, stopwatch statistics and latest rounds (newest first); null when never played. */
export async function getEtlMapView(
  kv: Deno.Kv,
  map: string,
  latest = 30,
): Promise<(EtlMapStats & { recent: RoundBrief[] }) | null> {
  const info = (await kv.get<EtlMapInfo>(etlMapKey(map))).value;
  if (!info) return null;
  const s = { maps: 0, r2AttackWins: 0, doubleHolds: 0 };
  const briefs: RoundBrief[] = [];
  for await (const e of kv.list<{ briefs: RoundBrief[] }>({ prefix: etlMapMonthsPrefix(map) })) {
    for (const b of e.value.briefs) {
      briefs.push(b);
      if (!b.points) continue;
      s.maps++;
      if (b.points[1] === 2) s.r2AttackWins++;
      if (b.points[0] === 1) s.doubleHolds++;
    }
  }
  const recent = briefs.sort((a, b) => b.wallMs - a.wallMs).slice(0, latest);
  return { ...info, ...s, recent };
}
