/**
 * Leaderboard counts cached per track, for rank reads. A board's counts and entry keys change
 * only when a session is imported on its track, and every such import rewrites the track's
 * summary key (kv/tracks.ts). So what was read for a track stays valid while that key's
 * versionstamp is unchanged; all of a track's counts are loaded at once, in one range read.
 * Cheaper still: every import also rewrites the changes key (kv/changes.ts); while its
 * versionstamp is the one under which a track was last confirmed, nothing changed anywhere and
 * that track needs no read at all. Correct across processes and Deploy isolates, because every
 * use is validated against the store.
 */
import { keyString } from "@/kv/keys.ts";
import { trackCountsPrefix, trackKey } from "@/kv/racing/keys.ts";
import type { KvReader } from "@/kv/reader.ts";
import type { RacingGame } from "@/games/racing/types.ts";

interface TrackBucket {
  /** The track key's versionstamp the values belong to. */
  versionstamp: string;
  /** The changes key's versionstamp under which that was last confirmed. */
  checkedAt: string | null;
  /** All the track's count keys are in `values`: one absent there is absent from the store. */
  countsLoaded: boolean;
  values: Map<string, unknown>;
}

const COUNTS_FAMILY = trackCountsPrefix("acc", "")[0];
const CACHED_FAMILIES = new Set([COUNTS_FAMILY, "board"]);

/** See the module doc. Holds at most `maxTracks` tracks (oldest dropped). */
export class RankCache {
  readonly #tracks = new Map<string, TrackBucket>();
  readonly #maxTracks: number;

  constructor(maxTracks = 500) {
    this.#maxTracks = maxTracks;
  }

  /**
   * A reader for rank reads on these tracks: board counts and tie lists come from the cache when
   * the track has not changed since they were read, from `base` otherwise. `changes` is the
   * versionstamp of the changes key (kv/changes.ts), read before anything else in this request (in parallel
   * with the caller's first read): a track already confirmed under that same versionstamp needs
   * no read at all, since no import has happened since.
   */
  async readerFor(
    kv: Deno.Kv,
    base: KvReader,
    tracks: { game: RacingGame; track: string }[],
    changes: string | null = null,
  ): Promise<KvReader> {
    const ids = [...new Map(tracks.map((t) => [`${t.game}\u0000${t.track}`, t])).entries()];
    const live = new Map<string, TrackBucket>();
    const toRead: typeof ids = [];
    for (const [id, t] of ids) {
      const bucket = this.#tracks.get(id);
      if (bucket && changes !== null && bucket.checkedAt === changes) live.set(id, bucket);
      else toRead.push([id, t]);
    }
    const batches: Promise<Deno.KvEntryMaybe<unknown>[]>[] = [];
    for (let i = 0; i < toRead.length; i += 10) {
      batches.push(kv.getMany(toRead.slice(i, i + 10).map(([, t]) => trackKey(t.game, t.track))));
    }
    const stamps = (await Promise.all(batches)).flat().map((e) => e.versionstamp);
    const fresh: [TrackBucket, { game: RacingGame; track: string }][] = [];
    toRead.forEach(([id, t], i) => {
      const stamp = stamps[i];
      if (!stamp) return;
      let bucket = this.#tracks.get(id);
      if (!bucket || bucket.versionstamp !== stamp) {
        bucket = { versionstamp: stamp, checkedAt: null, countsLoaded: false, values: new Map() };
        fresh.push([bucket, t]);
        this.#tracks.delete(id);
        this.#tracks.set(id, bucket);
        if (this.#tracks.size > this.#maxTracks) this.#tracks.delete(this.#tracks.keys().next().value!);
      }
      bucket.checkedAt = changes;
      live.set(id, bucket);
    });
    // A track's counts are small: one range read loads them all, so that later ranks on it need
    // no read (a key not loaded then does not exist).
    await Promise.all(fresh.map(async ([bucket, t]) => {
      const entries = kv.list({ prefix: trackCountsPrefix(t.game, t.track) }, { batchSize: 1000 });
      for await (const e of entries) bucket.values.set(keyString(e.key), e.value);
      bucket.countsLoaded = true;
    }));
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
      else if (!(bucket?.countsLoaded && key[0] === COUNTS_FAMILY)) missing.push(i);
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
