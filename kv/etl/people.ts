/**
 * ET:Legacy players as people (docs/identities.md): the GUIDs an admin merged into one person
 * count once, under the person's name, in `/et stats`, `/et rank`, leaderboards, player pages
 * and the API. ET:Legacy totals are read whole at every leaderboard read anyway, so GUIDs are
 * resolved there, not rewritten on a merge: one list of the `person_of` GUID entries (only the
 * GUIDs admins grouped, a few hundred at most) and one get per person. Each GUID's own rows and
 * totals stay stored untouched, so a split or an undo is right at the next read.
 */
import type { EtlTotals } from "@/games/etl/metrics.ts";
import { addStats } from "@/games/etl/stats.ts";
import { personKey, personOfKey, personOfPrefix } from "@/kv/people/keys.ts";
import type { Person, PersonOf } from "@/kv/people/types.ts";
import type { KvReader } from "@/kv/reader.ts";
import type { EtlPlayer } from "@/kv/etl/types.ts";

/** The person a GUID belongs to, as ET:Legacy reads need it. */
export interface EtlPerson {
  personId: string;
  name: string;
  /** The person's GUIDs, in the order the admin merged them. */
  guids: string[];
}

/** A player as shown: one GUID, or a person's GUIDs with their totals summed. */
export interface EtlShownPlayer extends EtlPlayer {
  /** Every GUID counted (the first is `guid`, the one pages and buttons use). */
  guids: string[];
  /** The person, when an admin merged this GUID into one. */
  personId?: string;
}

/** The cap of GUIDs grouped into people a read resolves (people are made by admins). */
const MAX_GROUPED = 100_000;

/** Every GUID that belongs to a person, by GUID. One list and one get per person. */
export async function etlPeople(r: KvReader): Promise<Map<string, EtlPerson>> {
  const entries = await r.list<PersonOf>(personOfPrefix("etl"), MAX_GROUPED);
  const ids = [...new Set(entries.flatMap((e) => e.value.personId ? [e.value.personId] : []))];
  const persons = await r.getMany<Person>(ids.map(personKey));
  const byId = new Map<string, EtlPerson>();
  persons.forEach((p, i) => {
    if (p && p.etl.length > 0) byId.set(ids[i]!, { personId: p.id, name: p.name, guids: p.etl });
  });
  const out = new Map<string, EtlPerson>();
  for (const e of entries) {
    const p = e.value.personId ? byId.get(e.value.personId) : undefined;
    if (p) out.set(e.key[2] as string, p);
  }
  return out;
}

/** The person one GUID belongs to, or null. Two gets at most. */
export async function etlPersonOf(r: KvReader, guid: string): Promise<EtlPerson | null> {
  const of = await r.get<PersonOf>(personOfKey("etl", guid));
  if (!of?.personId) return null;
  const p = await r.get<Person>(personKey(of.personId));
  return p && p.etl.includes(guid) ? { personId: p.id, name: p.name, guids: p.etl } : null;
}

function addTotals(into: EtlTotals, t: EtlTotals): void {
  addStats(into, t);
  into.rounds += t.rounds;
}

/**
 * Items keyed by GUID, one per person: the items of a person's GUIDs folded into the first one
 * seen (`fold(into, other)`), the rest as they are. `guidOf` names an item's GUID.
 */
function groupByPerson<T>(
  items: T[],
  people: Map<string, EtlPerson>,
  guidOf: (x: T) => string,
  fold: (into: T, other: T, person: EtlPerson) => T,
): { item: T; guids: string[]; person: EtlPerson | null }[] {
  const out: { item: T; guids: string[]; person: EtlPerson | null }[] = [];
  const at = new Map<string, number>();
  for (const x of items) {
    const guid = guidOf(x);
    const person = people.get(guid) ?? null;
    if (!person) {
      out.push({ item: x, guids: [guid], person: null });
      continue;
    }
    const i = at.get(person.personId);
    if (i === undefined) {
      at.set(person.personId, out.length);
      out.push({ item: fold(x, x, person), guids: [guid], person });
    } else {
      const cur = out[i]!;
      cur.item = fold(cur.item, x, person);
      cur.guids.push(guid);
    }
  }
  // The GUID pages and buttons use: the person's first GUID that played.
  for (const g of out) {
    if (g.person) g.guids.sort((a, b) => g.person!.guids.indexOf(a) - g.person!.guids.indexOf(b));
  }
  return out;
}

/**
 * Players combined per person: totals summed, first and last play over every GUID, the person's
 * name. `fold` is called with `into === other` for the first GUID of a person (copy, rename).
 */
export function combinePlayers(players: EtlPlayer[], people: Map<string, EtlPerson>): EtlShownPlayer[] {
  return groupByPerson(players, people, (p) => p.guid, (into, other, person) => {
    if (into === other) {
      // A display name applied on read (kv/etl/display_names.ts: a member's own or an admin's
      // wins over the person's name) is kept; otherwise the person's name.
      const name = into.gameName !== undefined ? into.name : person.name;
      return { ...into, name, nameRaw: name, totals: { ...into.totals } };
    }
    addTotals(into.totals, other.totals);
    into.firstWallMs = Math.min(into.firstWallMs, other.firstWallMs);
    if (other.lastWallMs > into.lastWallMs) {
      into.lastWallMs = other.lastWallMs;
      into.lastPlayedAt = other.lastPlayedAt;
    }
    return into;
  }).map((g) => ({
    ...g.item,
    guid: g.guids[0]!,
    guids: g.guids,
    ...(g.person ? { personId: g.person.personId } : {}),
  }));
}

/** Leaderboard pools ({player, totals over a period}) combined per person, as combinePlayers. */
export function combinePool(
  pool: { p: EtlPlayer; t: EtlTotals }[],
  people: Map<string, EtlPerson>,
): { p: EtlShownPlayer; t: EtlTotals }[] {
  const players = combinePlayers(pool.map((x) => ({ ...x.p, totals: x.t })), people);
  return players.map((p) => ({ p, t: p.totals }));
}

/**
 * Who is who for one read (kv/etl/analytics.ts, session views): a GUID's person as a key, its
 * GUIDs and its name, from one `etlPeople` list. A GUID nobody merged is its own person.
 */
export class EtlWho {
  constructor(readonly people: Map<string, EtlPerson> = new Map()) {}

  /** Loads every grouped GUID once (one list, one get per person). */
  static async load(r: KvReader): Promise<EtlWho> {
    return new EtlWho(await etlPeople(r));
  }

  /** The person's GUIDs (just this one when nobody merged it). */
  guidsOf(guid: string): string[] {
    return this.people.get(guid)?.guids ?? [guid];
  }

  /** One key per person: the person's first GUID, or the GUID itself. */
  keyOf(guid: string): string {
    return this.people.get(guid)?.guids[0] ?? guid;
  }

  /**
   * The name to show for a row or player: a name applied on read (`gameName` set: a display name,
   * which kv/etl/display_names.ts already puts over the person's), else the person's, else the
   * files'. `raw`: the same for `nameRaw`.
   */
  nameOf(p: { guid: string; name: string; nameRaw?: string; gameName?: string }, raw = false): string {
    const own = raw ? p.nameRaw ?? p.name : p.name;
    return p.gameName !== undefined ? own : this.people.get(p.guid)?.name ?? own;
  }

  /** Whether two GUIDs are one person (the same GUID, or merged together). */
  same(a: string, b: string): boolean {
    return this.keyOf(a) === this.keyOf(b);
  }
}
