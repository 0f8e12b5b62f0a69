/**
 * AC content names in the store: what the agents read from their servers' `ui_track.json` and
 * `ui_car.json` (agent/ac_content.ts, received by routes/ac_content.ts), one key per track layout
 * or car so that no value nears the 64 KiB limit. `loadAcNames` merges them under the config's
 * `names` and over Kunos's table; every page, post and answer resolves names through it.
 */
import { z } from "zod";
import { cleanText } from "@/lib/text.ts";
import type { ConfigFile } from "@/config.ts";
import { type AcNames, acNames, type CarName, type ContentNames, type TrackName } from "@/games/ac/names.ts";
import { contentDigestKey, contentNameKey, contentNamePrefix } from "@/kv/ac_content/keys.ts";
import { changesKey } from "@/kv/keys.ts";

// Names come from files on a game host: shown only after cleanText (no bidi or control characters).
const Name = z.string().transform(cleanText).pipe(z.string().trim().min(1).max(100));
const Place = z.string().transform(cleanText).pipe(z.string().trim().min(1).max(60));
const Key = z.string().min(1).max(200).regex(/^[^\s@]+(@[^\s@]+)?$/, "a folder name, or track@layout");

/** An agent's upload: every track layout and car it found, as `games/ac/names.ts` reads them. */
export const ContentUpload = z.object({
  tracks: z.record(Key, z.object({ name: Name, country: Place.optional() }).strict()),
  cars: z.record(Key, z.object({ name: Name, brand: Place.optional(), country: Place.optional() }).strict()),
}).strict().refine((u) => Object.keys(u.tracks).length + Object.keys(u.cars).length <= 5000, {
  message: "more than 5,000 names",
});
export type ContentUpload = z.infer<typeof ContentUpload>;

/** What storing an upload did. */
export interface StoreResult {
  written: number;
  unchanged: boolean;
}

const BATCH = 400;

/**
 * Stores an upload from `server`: each new or changed name, in commits of at most 400 writes (every
 * one a whole name), then the upload's digest with the changes key, so pages and the live board
 * pick the names up. A repeated upload (same digest) writes nothing.
 */
export async function storeContentNames(
  kv: Deno.Kv,
  server: string,
  upload: ContentUpload,
  opts: { digest: string; now: Date },
): Promise<StoreResult> {
  const seen = await kv.get<{ digest: string }>(contentDigestKey(server));
  if (seen.value?.digest === opts.digest) return { written: 0, unchanged: true };
  const wanted: [Deno.KvKey, TrackName | CarName][] = [
    ...Object.entries(upload.tracks).map(([k, v]) => [contentNameKey("track", k.toLowerCase()), v] as const),
    ...Object.entries(upload.cars).map(([k, v]) => [contentNameKey("car", k.toLowerCase()), v] as const),
  ].map(([k, v]) => [k, v]);
  let written = 0;
  for (let i = 0; i < wanted.length; i += BATCH) {
    const part = wanted.slice(i, i + BATCH);
    const old = await getAll(kv, part.map(([k]) => k));
    const op = kv.atomic();
    let n = 0;
    part.forEach(([k, v], j) => {
      if (JSON.stringify(old[j]) !== JSON.stringify(v)) op.set(k, v), n++;
    });
    if (n === 0) continue;
    const res = await op.commit();
    if (!res.ok) throw new Error(`Cannot store the AC content names from "${server}": commit refused`);
    written += n;
  }
  const old = await kv.get<{ lastImportAt?: string }>(changesKey());
  // Unchecked: two uploads racing both wrote whole names; the later digest is the one kept.
  await kv.atomic()
    .set(contentDigestKey(server), { digest: opts.digest, at: opts.now.toISOString() })
    .set(changesKey(), old.value ?? {})
    .commit();
  return { written, unchanged: false };
}

async function getAll(kv: Deno.Kv, keys: Deno.KvKey[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < keys.length; i += 10) {
    for (const e of await kv.getMany(keys.slice(i, i + 10))) out.push(e.value);
  }
  return out;
}

/** The stored names (every agent's), as one source. */
export async function storedContentNames(kv: Deno.Kv): Promise<ContentNames> {
  const out: ContentNames = { tracks: {}, cars: {} };
  for await (const e of kv.list<TrackName>({ prefix: contentNamePrefix("track") })) {
    out.tracks[String(e.key[2])] = e.value;
  }
  for await (const e of kv.list<CarName>({ prefix: contentNamePrefix("car") })) {
    out.cars[String(e.key[2])] = e.value;
  }
  return out;
}

const cache = new WeakMap<Deno.Kv, { stamp: string | null; names: ContentNames }>();

/**
 * The names every reader uses: the config's `names` first, then the stored ones, then Kunos's.
 * The stored ones are read again only when the changes key moved (one get otherwise).
 */
export async function loadAcNames(kv: Deno.Kv, config: { names?: ConfigFile["names"] }): Promise<AcNames> {
  const stamp = (await kv.get(changesKey())).versionstamp;
  let hit = cache.get(kv);
  if (!hit || hit.stamp !== stamp) {
    hit = { stamp, names: await storedContentNames(kv) };
    cache.set(kv, hit);
  }
  return acNames(config.names ?? { tracks: {}, cars: {} }, hit.names);
}

/**
 * The racing side's AC tracks (id `track` or `track@layout`) by their display name: `name` replaced
 * from `names`; other games' tracks unchanged.
 */
export function withAcNames<T extends { game: string; track: string; name: string }>(
  items: T[],
  names: AcNames,
): T[] {
  return items.map((t) => {
    if (t.game !== "ac") return t;
    const [track, layout = ""] = t.track.split("@");
    return { ...t, name: names.track(track!, layout).name };
  });
}
