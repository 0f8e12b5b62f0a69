/**
 * The name index: what Discord autocomplete and the site's search read, so that no keystroke scans
 * the drivers. A driver's profile write (kv/racing/drivers.ts touchDriver, in the import's own
 * commit) also writes one key per word of their name, so a prefix of any word is one range read,
 * and one key by the week they were last seen, for "recently active" when nothing is typed yet.
 * Few keys per driver on purpose: a hotlap server's session brings 100+ new drivers at once, and
 * one commit holds at most 1,000 writes. Tracks are few: their summaries are the index.
 */
import type { RacingGame } from "@/games/racing/types.ts";
import { nameRecentKey, nameRecentPrefix, nameTokenKey, nameTokenPrefix } from "@/kv/racing/keys.ts";
import { listTracks } from "@/kv/racing/tracks.ts";
import type { KvTxn } from "@/kv/txn.ts";

/** One hit of a name search. */
export interface NameHit {
  kind: "driver" | "track";
  /** A driver id, or "<game>/<track>". */
  id: string;
  name: string;
  game?: RacingGame;
  /** The games a driver has sessions in. */
  games?: RacingGame[];
  lastSeenAt: string;
}

/** What a driver's index keys hold. */
interface IndexedDriver {
  name: string;
  games: RacingGame[];
  seenWeek: number;
}

/** A week in ms: how fine "recently active" is (so a profile is rewritten at most weekly for it). */
export const WEEK_MS = 7 * 24 * 3600 * 1000;

const MAX_TOKENS = 6;
const MAX_SCAN = 300;

/** Lower case, accents removed, one space between words. */
export function normalizeName(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** The words a name is found by (a name with no letters or digits is found by its id). */
export function nameTokens(name: string, id: string): string[] {
  const words = normalizeName(name).split(" ").filter((w) => w.length > 0).map((w) => w.slice(0, 60));
  return words.length > 0 ? [...new Set(words)].slice(0, MAX_TOKENS) : [id.toLowerCase()];
}

/** True when every typed word starts a word of the name, in order ("max ver" finds "Max Verstappen"). */
function wordsMatch(name: string, words: string[]): boolean {
  const have = normalizeName(name).split(" ");
  let i = 0;
  for (const w of words) {
    while (i < have.length && !have[i]!.startsWith(w)) i++;
    if (i++ >= have.length) return false;
  }
  return true;
}

/**
 * Updates a driver's index keys in the importing transaction, from what the profile was to what it
 * becomes. Called only when the profile itself is written.
 */
export function indexDriver(
  txn: KvTxn,
  id: string,
  before: { name: string; seenWeek: number } | null,
  after: IndexedDriver,
): void {
  const next = new Set(nameTokens(after.name, id));
  if (before) {
    for (const t of nameTokens(before.name, id)) if (!next.has(t)) txn.delete(nameTokenKey(t, id));
    if (before.seenWeek !== after.seenWeek) txn.delete(nameRecentKey(before.seenWeek, id));
  }
  for (const t of next) txn.set(nameTokenKey(t, id), after);
  txn.set(nameRecentKey(after.seenWeek, id), after);
}

/** Removes a driver from the index (merged into a person, who is indexed instead). */
export function unindexDriver(txn: KvTxn, id: string, before: { name: string; seenWeek: number }): void {
  for (const t of nameTokens(before.name, id)) txn.delete(nameTokenKey(t, id));
  txn.delete(nameRecentKey(before.seenWeek, id));
}

function driverHit(id: string, v: IndexedDriver): NameHit {
  return {
    kind: "driver",
    id,
    name: v.name,
    games: v.games,
    lastSeenAt: new Date(v.seenWeek * WEEK_MS).toISOString(),
  };
}

async function searchDrivers(
  kv: Deno.Kv,
  query: string,
  game: RacingGame | undefined,
  limit: number,
): Promise<NameHit[]> {
  const hits = new Map<string, NameHit>();
  const keep = (id: string, v: IndexedDriver) => {
    if (game && !v.games.includes(game)) return;
    if (!hits.has(id)) hits.set(id, driverHit(id, v));
  };
  if (query === "") {
    const iter = kv.list<IndexedDriver>({ prefix: nameRecentPrefix() }, { reverse: true, limit: MAX_SCAN });
    for await (const e of iter) {
      keep(String(e.key[2]), e.value);
      if (hits.size >= limit) break;
    }
    return [...hits.values()];
  }
  // One range read on the longest typed word; the other words filter what it finds.
  const words = query.split(" ");
  const first = words.reduce((a, b) => (b.length > a.length ? b : a));
  const iter = kv.list<IndexedDriver>({
    start: nameTokenKey(first, ""),
    end: [...nameTokenPrefix(), first + "\u{10FFFF}"],
  }, { limit: MAX_SCAN });
  for await (const e of iter) {
    if (words.length === 1 || wordsMatch(e.value.name, words)) keep(String(e.key[2]), e.value);
  }
  return [...hits.values()];
}

function matchesTrack(name: string, id: string, query: string): boolean {
  if (query === "") return true;
  return wordsMatch(name, query.split(" ")) || id.toLowerCase().startsWith(query.replaceAll(" ", "_"));
}

/**
 * Drivers and tracks with a word starting with each typed word (a track also by its id), exact
 * names first, then newest active, at most `limit` (default 25). An empty query lists the most
 * recently active.
 */
export async function searchNames(
  kv: Deno.Kv,
  q: { query: string; kind?: "driver" | "track"; game?: RacingGame; limit?: number },
): Promise<NameHit[]> {
  const query = normalizeName(q.query);
  const limit = Math.max(1, Math.min(q.limit ?? 25, 100));
  const hits: NameHit[] = [];
  if (q.kind !== "driver") {
    for (const t of await listTracks(kv)) {
      if (q.game && t.game !== q.game) continue;
      if (!matchesTrack(t.name, t.track, query)) continue;
      hits.push({
        kind: "track",
        id: `${t.game}/${t.track}`,
        name: t.name,
        game: t.game,
        lastSeenAt: t.lastSessionAt,
      });
    }
  }
  if (q.kind !== "track") hits.push(...await searchDrivers(kv, query, q.game, limit));
  // Exact and whole-name matches first, then the most recently active, then by name.
  const exact = (h: NameHit) => normalizeName(h.name) === query || h.id.toLowerCase() === query ? 0 : 1;
  hits.sort((a, b) =>
    exact(a) - exact(b) || b.lastSeenAt.localeCompare(a.lastSeenAt) || a.name.localeCompare(b.name)
  );
  return hits.slice(0, limit);
}
