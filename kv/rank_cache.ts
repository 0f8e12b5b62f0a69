/**
 * Leaderboard counts cached per track, for rank reads. A board's counts and entry keys change
 * only when a session is imported on its track, and every such import rewrites the track's
 * summary key (kv/tracks.ts). So what was read for a track stays valid while that key's
 * versionstamp is unchanged: a driver page checks one key per track (ten per read) instead of
 * reading two count keys per personal best. Correct across processes and Deploy isolates,
 * because every use is validated against the store.
 */
import { keyString, trackKey } from "@/kv/keys.ts";
import type { KvReader } from "@/kv/reader.ts";
import type { RacingGame } from "@/ingest/types.ts";

interface TrackBucket {
  versionstamp: string;
  values: Map<string, unknown>;
}

const CACHED_FAMILIES = new Set(["board_count", "board"]);

/** See the module doc. Holds at most `maxTracks` tracks (oldest dropped). */
export class RankCache {
  readonly #tracks = new Map<string, TrackBucket>();
  readonly #maxTracks: number;

  constructor(maxTracks = 500) {
    this.#maxTracks = maxTracks;
  }

  /**
   * A reader for rank reads on these tracks: board counts and tie lists come from the cache when
   * the track has not changed since they were read, from `base` otherwise.
   */
  async readerFor(
    kv: Deno.Kv,
    base: KvReader,
    tracks: { game: RacingGame; track: string }[],
  ): Promise<KvReader> {
    const ids = [...new Map(tracks.map((t) => [`${t.game}\u0000${t.track}`, t])).values()];
    const stamps: (string | null)[] = [];
    for (let i = 0; i < ids.length; i += 10) {
      const batch = await kv.getMany(ids.slice(i, i + 10).map((t) => trackKey(t.game, t.track)));
      stamps.push(...batch.map((e) => e.versionstamp));
    }
    const live = new Map<string, TrackBucket>();
    ids.forEach((t, i) => {
      const id = `${t.game}\u0000${t.track}`;
      const stamp = stamps[i];
      if (!stamp) return;
      let bucket = this.#tracks.get(id);
      if (!bucket || bucket.versionstamp !== stamp) {
        bucket = { versionstamp: stamp, values: new Map() };
        this.#tracks.delete(id);
        this.#tracks.set(id, bucket);
        if (this.#tracks.size > this.#maxTracks) this.#tracks.delete(this.#tracks.keys().next().value!);
      }
      live.set(id, bucket);
    });
    const bucketOf = (key: Deno.KvKey) =>
      CACHED_FAMILIES.has(String(key[0])) ? live.get(`${String(key[1])}\u0000${String(key[2])}`) : undefined;

    return {
      get: async <T>(key: Deno.KvKey) => (await this.#many<T>(base, bucketOf, [key]))[0] ?? null,
      getMany: <T>(keys: Deno.KvKey[]) => this.#many<T>(base, bucketOf, keys),
      list: async <T>(prefix: Deno.KvKey, limit: number) => {
        const bucket = bucketOf(prefix);
        const ks = `list:${limit}:${keyString(prefix)}`;
        if (bucket?.values.has(ks)) return bucket.values.get(ks) as { key: Deno.KvKey; value: T }[];
        const out = await base.list<T>(prefix, limit);
        bucket?.values.set(ks, out);
        return out;
      },
    };
  }

  async #many<T>(
    base: KvReader,
    bucketOf: (key: Deno.KvKey) => TrackBucket | undefined,
    keys: Deno.KvKey[],
  ): Promise<(T | null)[]> {
    const out = new Array<T | null>(keys.length).fill(null);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const bucket = bucketOf(key);
      const ks = keyString(key);
      if (bucket?.values.has(ks)) out[i] = bucket.values.get(ks) as T | null;
      else missing.push(i);
    });
    if (missing.length > 0) {
      const fetched = await base.getMany<T>(missing.map((i) => keys[i]!));
      missing.forEach((i, j) => {
        out[i] = fetched[j] ?? null;
        bucketOf(keys[i]!)?.values.set(keyString(keys[i]!), out[i]);
      });
    }
    return out;
  }
}
