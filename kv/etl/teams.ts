/**
 * Persistent teams across the side swap (doc §7). In stopwatch the two teams swap sides between
 * R1 and R2 and may start a map on either side, so game sides (Axis/Allies) are not teams. Each
 * map's R1 attackers are matched, by shared players, to the rosters seen so far; Slomix instead
 * names the sides once from one player of the session's first R1.
 */
import type { EtlWho } from "@/kv/etl/people.ts";
import type { SessionMap } from "@/kv/etl/sessions.ts";
import type { StoredRound } from "@/kv/etl/types.ts";

/**
 * A team of a session: its players and its map points. A person (GUIDs an admin merged,
 * kv/etl/people.ts) is one entry: `guids` holds the GUID the person was first seen under in the
 * session (as the session's players table), `names` the person's (or display) name.
 */
export interface SessionTeam {
  label: "A" | "B";
  guids: string[];
  names: string[];
  points: number;
}

/** The session score and which team took each map. */
export interface SessionScore {
  teams: [SessionTeam, SessionTeam];
  maps: { map: string; r1Id: string; r2Id: string; a: number; b: number; summary: string }[];
}

function sides(r1: StoredRound): { attack: string[]; defend: string[] } {
  const def = r1.header.defender || 1;
  const attack: string[] = [], defend: string[] = [];
  for (const p of r1.players) {
    if (p.team === def) defend.push(p.guid);
    else if (p.team === 1 || p.team === 2) attack.push(p.guid);
  }
  return { attack, defend };
}

/** Who is who: a person's key and name (kv/etl/people.ts EtlWho); by default each GUID alone. */
type Who = Pick<EtlWho, "keyOf" | "nameOf">;
const ALONE: Who = { keyOf: (g) => g, nameOf: (p) => p.name };

/**
 * Scores a session's complete maps for two persistent teams. Players are matched as persons
 * (`who`), so a person who changed GUID mid-session votes, and is listed, once.
 */
export function sessionScore(maps: SessionMap[], who: Who = ALONE): SessionScore {
  const a = new Set<string>(), b = new Set<string>();
  // Per person key: the GUID first seen (shown), and the name of the latest round.
  const shown = new Map<string, string>(), names = new Map<string, string>();
  const out: SessionScore["maps"] = [];
  let pa = 0, pb = 0;
  for (const m of maps) {
    if (!m.r1 || !m.r2 || !m.result) continue;
    for (const p of [...m.r1.players, ...m.r2.players]) {
      const k = who.keyOf(p.guid);
      if (!shown.has(k)) shown.set(k, p.guid);
      names.set(k, who.nameOf(p));
    }
    const persons = (gs: string[]) => [...new Set(gs.map((g) => who.keyOf(g)))];
    const s = sides(m.r1);
    const [attack, defend] = [persons(s.attack), persons(s.defend)];
    const overlap = (set: Set<string>, g: string[]) => g.filter((x) => set.has(x)).length;
    // Votes: attackers who were A plus defenders who were B say "the attackers are A".
    const attackIsA = a.size + b.size === 0
      ? false
      : overlap(a, attack) + overlap(b, defend) > overlap(b, attack) + overlap(a, defend);
    const [att, def] = attackIsA ? [a, b] : [b, a];
    for (const g of attack) if (!def.has(g)) att.add(g);
    for (const g of defend) if (!att.has(g)) def.add(g);
    const ra = attackIsA ? m.result.r1AttackersPoints : m.result.r2AttackersPoints;
    const rb = attackIsA ? m.result.r2AttackersPoints : m.result.r1AttackersPoints;
    pa += ra;
    pb += rb;
    out.push({ map: m.map, r1Id: m.r1.id, r2Id: m.r2.id, a: ra, b: rb, summary: m.result.summary });
  }
  const team = (label: "A" | "B", set: Set<string>, points: number): SessionTeam => ({
    label,
    guids: [...set].map((k) => shown.get(k) ?? k),
    names: [...set].map((k) => names.get(k) ?? k),
    points,
  });
  return { teams: [team("A", a, pa), team("B", b, pb)], maps: out };
}
