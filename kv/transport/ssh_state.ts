/**
 * What the SSH poll remembers per source: the files it has handled (bucketed, see
 * `sshSeenKey`) and the lease a poll holds while it works, so that two polls that overlap (a slow
 * one, or two Deno Deploy isolates) never handle a file twice.
 */
import { sshLeaseKey, sshSeenKey, sshSeenPrefix } from "@/kv/transport/keys.ts";
import { commitWithRetry } from "@/kv/retry.ts";

/** Buckets per source: room for about 100,000 files of 60-character names (a bucket stays under 64 KiB). */
export const SEEN_BUCKETS = 128;

/** A file as it was when handled. */
export interface SeenFile {
  size: number;
  mtimeMs: number;
}

/** A bucket's value: parallel arrays keep it compact. */
interface Bucket {
  names: string[];
  sizes: number[];
  mtimes: number[];
}

/** The bucket a file name belongs to (FNV-1a). */
export function bucketOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SEEN_BUCKETS;
}

/** A source's seen files, loaded in one range read; changes are written bucket by bucket. */
export class SeenFiles {
  readonly #kv: Deno.Kv;
  readonly #source: string;
  readonly #files = new Map<string, SeenFile>();
  readonly #dirty = new Set<number>();

  private constructor(kv: Deno.Kv, source: string) {
    this.#kv = kv;
    this.#source = source;
  }

  /** Loads a source's seen files. */
  static async load(kv: Deno.Kv, source: string): Promise<SeenFiles> {
    const s = new SeenFiles(kv, source);
    for await (const e of kv.list<Bucket>({ prefix: sshSeenPrefix(source) })) {
      const b = e.value;
      b.names.forEach((n, i) => s.#files.set(n, { size: b.sizes[i]!, mtimeMs: b.mtimes[i]! }));
    }
    return s;
  }

  /** True when the file was handled with this size and time. */
  has(name: string, f: SeenFile): boolean {
    const s = this.#files.get(name);
    return s !== undefined && s.size === f.size && s.mtimeMs === f.mtimeMs;
  }

  get size(): number {
    return this.#files.size;
  }

  /** Marks a file handled (written by `save`). */
  add(name: string, f: SeenFile): void {
    this.#files.set(name, { size: f.size, mtimeMs: f.mtimeMs });
    this.#dirty.add(bucketOf(name));
  }

  /** Forgets files no longer in the folder, so the state does not grow forever. */
  keepOnly(present: Set<string>): void {
    for (const name of this.#files.keys()) {
      if (!present.has(name)) {
        this.#files.delete(name);
        this.#dirty.add(bucketOf(name));
      }
    }
  }

  /** Writes the changed buckets, as few commits as Deno KV's size limit allows (usually one). */
  async save(): Promise<void> {
    if (this.#dirty.size === 0) return;
    const buckets = new Map<number, Bucket>();
    for (const b of this.#dirty) buckets.set(b, { names: [], sizes: [], mtimes: [] });
    for (const [name, f] of this.#files) {
      const b = buckets.get(bucketOf(name));
      if (!b) continue;
      b.names.push(name);
      b.sizes.push(f.size);
      b.mtimes.push(f.mtimeMs);
    }
    let batch: [number, Bucket][] = [], bytes = 0;
    const commit = async () => {
      const writes = batch;
      batch = [];
      bytes = 0;
      await commitWithRetry(() => {
        const op = this.#kv.atomic();
        for (const [i, b] of writes) {
          const key = sshSeenKey(this.#source, i);
          if (b.names.length) op.set(key, b);
          else op.delete(key);
        }
        return op.commit();
      }, `SSH source "${this.#source}"'s seen files`);
      for (const [i] of writes) this.#dirty.delete(i);
    };
    for (const entry of buckets) {
      const size = entry[1].names.reduce((n, name) => n + name.length + 24, 64);
      if (bytes + size > 600_000 && batch.length) await commit();
      batch.push(entry);
      bytes += size;
    }
    await commit();
  }
}

interface LeaseValue {
  owner: string;
  untilMs: number;
}

/** A poll's hold on a source. */
export interface Lease {
  source: string;
  owner: string;
  untilMs: number;
}

/** Takes the source's lease for `ttlMs` unless another poll holds it; null when it does. */
export async function takeLease(
  kv: Deno.Kv,
  source: string,
  now: Date,
  ttlMs: number,
): Promise<Lease | null> {
  const key = sshLeaseKey(source);
  const cur = await kv.get<LeaseValue>(key);
  if (cur.value && cur.value.untilMs > now.getTime()) return null;
  const lease = { source, owner: crypto.randomUUID(), untilMs: now.getTime() + ttlMs };
  const res = await commitWithRetry(
    () =>
      kv.atomic().check(cur).set(key, { owner: lease.owner, untilMs: lease.untilMs } satisfies LeaseValue, {
        expireIn: ttlMs,
      }).commit(),
    `SSH source "${source}"'s lease`,
  );
  return res.ok ? lease : null;
}

/** Extends a lease still held; false when it was lost (expired and taken by another poll). */
export async function renewLease(kv: Deno.Kv, lease: Lease, now: Date, ttlMs: number): Promise<boolean> {
  const key = sshLeaseKey(lease.source);
  const cur = await kv.get<LeaseValue>(key);
  if (cur.value?.owner !== lease.owner) return false;
  const untilMs = now.getTime() + ttlMs;
  const res = await commitWithRetry(
    () => kv.atomic().check(cur).set(key, { owner: lease.owner, untilMs }, { expireIn: ttlMs }).commit(),
    `SSH source "${lease.source}"'s lease`,
  );
  if (res.ok) lease.untilMs = untilMs;
  return res.ok;
}

/** Gives a lease back (only if still ours). */
export async function releaseLease(kv: Deno.Kv, lease: Lease): Promise<void> {
  const key = sshLeaseKey(lease.source);
  const cur = await kv.get<LeaseValue>(key);
  if (cur.value?.owner !== lease.owner) return;
  await commitWithRetry(
    () => kv.atomic().check(cur).delete(key).commit(),
    `SSH source "${lease.source}"'s lease`,
  );
}
