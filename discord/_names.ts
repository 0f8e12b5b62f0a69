/**
 * The name index as Discord reads it. Stands in for `kv/racing/names.ts` (the lead's, same
 * signature) until it lands on main; then this file only re-exports it.
 */
import type { RacingGame } from "@/ingest/types.ts";
import { listTracks } from "@/kv/racing/tracks.ts";
import type { DriverProfile } from "@/kv/racing/drivers.ts";

/** One hit of a name search. */
export interface NameHit {
  kind: "driver" | "track";
  /** Driver id, or "<game>/<track>". */
  id: string;
  name: string;
  game?: RacingGame;
  lastSeenAt: string;
}

/** Prefix and word matches, newest-active first (interim: tracks listed, drivers scanned). */
export async function searchNames(
  kv: Deno.Kv,
  q: { query: string; kind?: "driver" | "track"; game?: RacingGame; limit?: number },
): Promise<NameHit[]> {
  const query = q.query.trim().toLowerCase();
  const limit = q.limit ?? 25;
  const matches = (name: string, id: string) =>
    !query || name.toLowerCase().split(/[\s_-]+/).some((w) => w.startsWith(query)) ||
    name.toLowerCase().startsWith(query) || id.toLowerCase().startsWith(query);
  const hits: NameHit[] = [];
  if (q.kind !== "driver") {
    for (const t of await listTracks(kv)) {
      if (q.game && t.game !== q.game) continue;
      if (matches(t.name, t.track)) {
        hits.push({
          kind: "track",
          id: `${t.game}/${t.track}`,
          name: t.name,
          game: t.game,
          lastSeenAt: t.lastSessionAt,
        });
      }
    }
  }
  if (q.kind !== "track") {
    for await (const e of kv.list<DriverProfile>({ prefix: ["driver"] }, { limit: 5000 })) {
      const d = e.value;
      if (q.game && !d.games.includes(q.game)) continue;
      if (matches(d.name, d.id)) {
        hits.push({ kind: "driver", id: d.id, name: d.name, lastSeenAt: new Date(d.nameAtMs).toISOString() });
      }
    }
  }
  hits.sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
  return hits.slice(0, limit);
}
