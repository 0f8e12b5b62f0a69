/**
 * The results file meets the laps seen live (docs/live.md). When a server's AC results file is
 * imported, each of its laps that was already seen live (same driver, same car, same time, in the
 * same order among that driver's laps) is matched: the match leaves the live store in the
 * import's own commit, and the file's best lap does not count for bests a second time (the live
 * lap already did, under the same rules), so nothing is counted or announced twice.
 */
import type { NormalizedSession } from "@/games/racing/types.ts";
import { acTrackId } from "@/games/ac/live.ts";
import { liveLapKey, liveLapsPrefix } from "@/kv/live/keys.ts";
import type { StoredLiveLap } from "@/kv/live/state.ts";
import type { KvTxn } from "@/kv/txn.ts";

/**
 * Matches a session's laps with the server's live laps, deletes the matched live laps in `txn`,
 * and returns the indexes (into `s.laps`) of the laps that were already counted live.
 */
export async function reconcileLiveLaps(
  txn: KvTxn,
  server: string,
  s: NormalizedSession,
): Promise<Set<number>> {
  const counted = new Set<number>();
  if (s.game !== "ac") return counted;
  const live = (await txn.list<StoredLiveLap>(liveLapsPrefix(server), 10_000))
    .map((e) => e.value)
    .filter((l) => acTrackId(l.track, l.layout) === s.track);
  if (live.length === 0) return counted;
  const byDriverCar = new Map<string, StoredLiveLap[]>();
  for (const l of live) {
    const k = `${l.guid}\n${l.model}`;
    byDriverCar.set(k, [...byDriverCar.get(k) ?? [], l]);
  }
  const next = new Map<string, number>();
  s.laps.forEach((lap, i) => {
    const car = s.cars[lap.car];
    const driver = car?.drivers[lap.driver];
    if (!car || !driver || !lap.countsForBest) return;
    const k = `${driver.id}\n${car.car.model}`;
    const list = byDriverCar.get(k);
    if (!list) return;
    // In order: a match is searched after the previous one, so equal times pair up one to one.
    const from = next.get(k) ?? 0;
    const j = list.findIndex((l, n) => n >= from && l.lapMs === lap.lapMs);
    if (j < 0) return;
    next.set(k, j + 1);
    const l = list[j]!;
    txn.delete(liveLapKey(server, l.atMs, l.stream, l.seq));
    if (l.kind === s.kind) counted.add(i);
  });
  return counted;
}
