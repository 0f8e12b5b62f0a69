/**
 * A read-your-writes transaction over Deno KV: reads see the writes made so far, keys read for
 * a read-modify-write are checked at commit, and everything lands in one `kv.atomic()` or not at
 * all. Several imports can share one transaction (a group commit); a child transaction lets one
 * import be planned and then merged or dropped whole.
 */
import { keyString } from "@/kv/keys.ts";
import { CommitTicket, ReadCache, type Stamp } from "@/kv/cache.ts";
import { commitWithRetry } from "@/kv/retry.ts";

/** Deno KV's limits for one atomic write (Deno CLI and Deno Deploy). */
export const KV_LIMITS = {
  mutations: 1000,
  checks: 100,
  bytes: 800 * 1024,
  valueBytes: 65_536,
} as const;

type Pending = { key: Deno.KvKey; value: unknown; deleted: false; size: number; fresh: boolean } | {
  key: Deno.KvKey;
  deleted: true;
  size: number;
};

/** Raised when a commit lost a race with another writer; the caller plans again. */
export class ConflictError extends Error {}

/** Raised when the writes cannot fit in one atomic commit. */
export class TooLargeError extends Error {}

/** Rough serialized size of a value, for staying under Deno KV's limits. */
export function estimateSize(value: unknown): number {
  switch (typeof value) {
    case "string":
      return value.length + 4;
    case "number":
    case "boolean":
    case "bigint":
      return 9;
    case "object": {
      if (value === null) return 1;
      if (ArrayBuffer.isView(value)) return value.byteLength + 8;
      if (Array.isArray(value)) {
        let n = 4;
        for (let i = 0; i < value.length; i++) n += estimateSize(value[i]);
        return n;
      }
      if (value instanceof Date) return 9;
      let n = 4;
      const o = value as Record<string, unknown>;
      for (const k in o) {
        const v = o[k];
        if (v !== undefined) n += k.length + 2 + estimateSize(v);
      }
      return n;
    }
    default:
      return 1;
  }
}

function compareParts(a: Deno.KvKeyPart, b: Deno.KvKeyPart): number {
  const rank = (p: Deno.KvKeyPart) =>
    p instanceof Uint8Array
      ? 0
      : typeof p === "string"
      ? 1
      : typeof p === "number"
      ? 2
      : typeof p === "bigint"
      ? 3
      : 4;
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  }
  const x = a as string | number | bigint | boolean, y = b as string | number | bigint | boolean;
  return x < y ? -1 : x > y ? 1 : 0;
}

function keySize(key: Deno.KvKey): number {
  let n = 2;
  for (const p of key) n += typeof p === "string" ? p.length + 2 : 9;
  return n;
}

/** Orders keys the way Deno KV does. */
export function compareKeys(a: Deno.KvKey, b: Deno.KvKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareParts(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function hasPrefix(key: Deno.KvKey, prefix: Deno.KvKey): boolean {
  if (key.length <= prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (compareParts(key[i]!, prefix[i]!) !== 0) return false;
  return true;
}

/** A read-your-writes transaction; see the module doc. */
export class KvTxn {
  readonly #kv: Deno.Kv;
  readonly #parent: KvTxn | null;
  readonly #writes = new Map<string, Pending>();
  readonly #checks = new Map<string, { key: Deno.KvKey; versionstamp: Stamp }>();
  readonly #cache: ReadCache;
  /** The cache's generation when this plan began: a clear since then means it mixed old and new reads. */
  readonly #generation: number;
  #bytes = 0;

  /** A root transaction; pass a long-lived `cache` to reuse what earlier commits read and wrote. */
  constructor(kv: Deno.Kv, opts: { cache?: ReadCache; parent?: KvTxn } = {}) {
    this.#kv = kv;
    this.#parent = opts.parent ?? null;
    this.#cache = opts.cache ?? (this.#parent ? this.#parent.#cache : new ReadCache());
    // A child plans within its parent's plan: it began when the parent began.
    this.#generation = this.#parent ? this.#parent.#generation : this.#cache.generation;
  }

  /** A child transaction whose writes stay apart until `merge()`. */
  child(): KvTxn {
    return new KvTxn(this.#kv, { parent: this });
  }

  /** Reads the keys not yet known in a few batched round trips, so later gets are answered from memory. */
  async prefetch(keys: Deno.KvKey[]): Promise<void> {
    const missing: Deno.KvKey[] = [];
    const seen = new Set<string>();
    for (const key of keys) {
      const ks = keyString(key);
      if (seen.has(ks) || this.#pendingWrite(ks) || this.#cache.lookup(key, ks)) continue;
      seen.add(ks);
      missing.push(key);
    }
    const batches: Promise<void>[] = [];
    for (let i = 0; i < missing.length; i += 10) {
      const batch = missing.slice(i, i + 10);
      batches.push(
        this.#kv.getMany(batch).then((entries) => {
          if (!this.#sameGeneration()) return;
          entries.forEach((e, j) =>
            this.#cache.remember(batch[j]!, { value: e.value, versionstamp: e.versionstamp })
          );
        }),
      );
    }
    await Promise.all(batches);
  }

  /**
   * True while no clear happened since this plan began. A plan that straddles a clear is thrown
   * away, and what it read is not remembered: its guards (read before the clear) are gone from the
   * cache, and values read after the clear would later pair with newer guards, unchecked.
   */
  #sameGeneration(): boolean {
    return this.#cache.generation === this.#generation;
  }

  #pendingWrite(ks: string): Pending | undefined {
    return this.#writes.get(ks) ?? (this.#parent ? this.#parent.#pendingWrite(ks) : undefined);
  }

  get mutations(): number {
    return this.#writes.size;
  }

  get checks(): number {
    return this.#checks.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** What the chain of transactions and the cache already know of a key, without waiting. */
  #known(key: Deno.KvKey, ks: string): { value: unknown; versionstamp: Stamp; pending: boolean } | undefined {
    const w = this.#writes.get(ks);
    if (w) return { value: w.deleted ? null : w.value, versionstamp: null, pending: true };
    if (this.#parent) return this.#parent.#known(key, ks);
    const cached = this.#cache.lookup(key, ks);
    return cached && { value: cached.value, versionstamp: cached.versionstamp, pending: false };
  }

  /** Reads a key nothing here knows yet from the store, and remembers it. */
  async #fetch(
    key: Deno.KvKey,
    ks: string,
  ): Promise<{ value: unknown; versionstamp: Stamp; pending: boolean }> {
    const e = await this.#kv.get(key);
    if (this.#sameGeneration()) {
      this.#cache.remember(key, { value: e.value, versionstamp: e.versionstamp }, ks);
    }
    return { value: e.value, versionstamp: e.versionstamp, pending: false };
  }

  /**
   * Reads a key. With `check`, the commit fails if another writer changes it meanwhile (a
   * read-modify-write); keys only this transaction wrote need no check. A key already known
   * (written here, or in the cache) is answered without a round trip.
   */
  get<T>(key: Deno.KvKey, opts: { check?: boolean } = {}): Promise<T | null> {
    const ks = keyString(key);
    const known = this.#known(key, ks);
    if (known) {
      if (opts.check && !known.pending) this.#check(key, ks, known.versionstamp);
      return Promise.resolve((known.value ?? null) as T | null);
    }
    return this.#fetch(key, ks).then((e) => {
      if (opts.check && !e.pending) this.#check(key, ks, e.versionstamp);
      return (e.value ?? null) as T | null;
    });
  }

  #check(key: Deno.KvKey, ks: string, versionstamp: Stamp): void {
    if (this.#hasCheck(ks)) return;
    this.#checks.set(ks, { key, versionstamp });
  }

  #hasCheck(ks: string): boolean {
    return this.#checks.has(ks) || (this.#parent !== null && this.#parent.#hasCheck(ks));
  }

  /** Reads many keys (no checks). */
  async getMany<T>(keys: Deno.KvKey[]): Promise<(T | null)[]> {
    await this.prefetch(keys);
    return await Promise.all(keys.map((k) => this.get<T>(k)));
  }

  async listEntries(prefix: Deno.KvKey, limit: number): Promise<{ key: Deno.KvKey; value: unknown }[]> {
    const own = [...this.#writes.values()].filter((w) => hasPrefix(w.key, prefix));
    const deletes = own.filter((w) => w.deleted).length;
    if (own.length === 0 && this.#parent) return await this.#parent.listEntries(prefix, limit);
    if (!this.#parent && this.#cache.landing) await this.#cache.landing.catch(() => {});
    const base = this.#parent
      ? await this.#parent.listEntries(prefix, limit + deletes)
      : await Array.fromAsync(this.#kv.list({ prefix }, { limit: limit + deletes }), (e) => ({
        key: e.key,
        value: e.value,
      }));
    if (own.length === 0) return base.slice(0, limit);
    const merged = new Map<string, { key: Deno.KvKey; value: unknown }>();
    for (const e of base) merged.set(keyString(e.key), e);
    for (const w of own) {
      const ks = keyString(w.key);
      if (w.deleted) merged.delete(ks);
      else merged.set(ks, { key: w.key, value: w.value });
    }
    return [...merged.values()].sort((a, b) => compareKeys(a.key, b.key)).slice(0, limit);
  }

  /** The first `limit` entries under `prefix`, in key order, including this transaction's writes. */
  async list<T>(prefix: Deno.KvKey, limit: number): Promise<{ key: Deno.KvKey; value: T }[]> {
    return (await this.listEntries(prefix, limit)) as { key: Deno.KvKey; value: T }[];
  }

  /**
   * Writes a value at commit. `fresh` promises the key cannot exist in the store yet (its parts
   * are unique to this write), so deleting it again in this transaction writes nothing at all.
   */
  set(key: Deno.KvKey, value: unknown, opts: { fresh?: boolean } = {}): void {
    const size = estimateSize(value);
    if (size > KV_LIMITS.valueBytes) {
      throw new TooLargeError(
        `value for ${JSON.stringify(key)} is about ${size} bytes, over Deno KV's 64 KiB`,
      );
    }
    this.#replace(keyString(key), {
      key,
      value,
      deleted: false,
      size: size + keySize(key),
      fresh: !!opts.fresh,
    });
  }

  /** Deletes a key at commit. */
  delete(key: Deno.KvKey): void {
    const ks = keyString(key);
    const own = this.#writes.get(ks);
    if (own && !own.deleted && own.fresh) {
      this.#writes.delete(ks);
      this.#bytes -= own.size;
      return;
    }
    const inherited = own || !this.#parent ? undefined : this.#parent.#pendingWrite(ks);
    if (inherited && !inherited.deleted && inherited.fresh) {
      // Cancels the parent's fresh write when merged; until then it reads as deleted here.
      this.#replace(ks, { key, deleted: true, size: 0 });
      return;
    }
    this.#replace(ks, { key, deleted: true, size: keySize(key) });
  }

  /** Makes sure `key` does not exist at commit time (creation guard). */
  requireAbsent(key: Deno.KvKey): void {
    this.#check(key, keyString(key), null);
  }

  #replace(ks: string, p: Pending): void {
    const old = this.#writes.get(ks);
    if (old) this.#bytes -= old.size;
    this.#writes.set(ks, p);
    this.#bytes += p.size;
  }

  /** True when this transaction's writes plus `other`'s fit in one atomic commit. */
  fitsWith(other: KvTxn): boolean {
    return this.mutations + other.mutations <= KV_LIMITS.mutations &&
      this.checks + other.checks <= KV_LIMITS.checks &&
      this.bytes + other.bytes <= KV_LIMITS.bytes * 0.9;
  }

  /** True when this transaction alone fits in one atomic commit. */
  fits(): boolean {
    return this.mutations <= KV_LIMITS.mutations && this.checks <= KV_LIMITS.checks &&
      this.bytes <= KV_LIMITS.bytes * 0.9;
  }

  /** Moves a child's writes and checks into this transaction. */
  merge(child: KvTxn): void {
    for (const [ks, c] of child.#checks) if (!this.#checks.has(ks)) this.#checks.set(ks, c);
    for (const [ks, w] of child.#writes) {
      if (w.deleted) this.delete(w.key);
      else this.#replace(ks, w);
    }
  }

  /** Commits everything atomically; throws ConflictError when a checked key changed. */
  async commit(): Promise<void> {
    await this.startCommit();
  }

  /**
   * Starts the atomic commit and makes its writes visible to later plans at once (through the
   * shared cache, stamped with a ticket), so the next group can be planned while this one lands.
   * The returned promise rejects (ConflictError on a lost race) if it does not land; the cache is
   * then cleared and every plan built on it must be replayed.
   */
  startCommit(): Promise<void> {
    if (this.#parent) throw new Error("Cannot commit a child transaction: merge it into its parent");
    if (!this.fits()) {
      throw new TooLargeError(
        `${this.mutations} writes, ${this.checks} checks and about ${this.bytes} bytes exceed one Deno KV commit`,
      );
    }
    if (!this.#sameGeneration()) {
      throw new ConflictError("Another writer's commit arrived while this was planned; planning again");
    }
    const checks: Deno.AtomicCheck[] = [];
    for (const c of this.#checks.values()) {
      const v = c.versionstamp;
      if (v instanceof CommitTicket && (v.failed || v.versionstamp === null)) {
        throw new ConflictError("The commit this plan builds on did not land; planning again");
      }
      checks.push({ key: c.key, versionstamp: v instanceof CommitTicket ? v.versionstamp : v });
    }
    const writes = [...this.#writes.values()];
    // A busy store (another process writing the same file) is retried with a fresh operation.
    const build = () => {
      const op = this.#kv.atomic();
      for (const c of checks) op.check(c);
      for (const w of writes) {
        if (w.deleted) op.delete(w.key);
        else op.set(w.key, w.value);
      }
      return op.commit();
    };
    const ticket = new CommitTicket();
    const pending = commitWithRetry(build, `${writes.length} writes`);
    const cache = this.#cache;
    for (const [ks, w] of this.#writes) {
      this.#cache.remember(w.key, {
        value: w.deleted ? null : w.value,
        versionstamp: w.deleted ? null : ticket,
      }, ks);
    }
    const landing = pending.then((res) => {
      if (!res.ok) throw new ConflictError("Another import changed the same data; planning again");
      ticket.versionstamp = res.versionstamp;
    }).catch((err) => {
      ticket.failed = true;
      cache.clear();
      throw err;
    }).finally(() => {
      if (cache.landing === landing) cache.landing = null;
    });
    cache.landing = landing;
    // The caller may await this only after planning the next group: mark it handled now, so a lost
    // race is never an unhandled rejection that ends the process.
    landing.catch(() => {});
    return landing;
  }
}
