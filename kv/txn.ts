/**
 * A read-your-writes transaction over Deno KV: reads see the writes made so far, keys read for
 * a read-modify-write are checked at commit, and everything lands in one `kv.atomic()` or not at
 * all. Several imports can share one transaction (a group commit); a child transaction lets one
 * import be planned and then merged or dropped whole.
 */
import { keyString } from "@/kv/keys.ts";
import { ReadCache } from "@/kv/cache.ts";

/** Deno KV's limits for one atomic write (Deno CLI and Deno Deploy). */
export const KV_LIMITS = {
  mutations: 1000,
  checks: 100,
  bytes: 800 * 1024,
  valueBytes: 65_536,
} as const;

type Pending = { key: Deno.KvKey; value: unknown; deleted: false } | {
  key: Deno.KvKey;
  deleted: true;
};

/** Raised when a commit lost a race with another writer; the caller plans again. */
export class ConflictError extends Error {}

/** Raised when the writes cannot fit in one atomic commit. */
export class TooLargeError extends Error {}

/** Rough serialized size of a value, for staying under Deno KV's limits. */
export function estimateSize(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (ArrayBuffer.isView(value)) return value.byteLength + 8;
  switch (typeof value) {
    case "string":
      return value.length + 4;
    case "number":
    case "boolean":
    case "bigint":
      return 9;
    case "object": {
      if (value instanceof Date) return 9;
      if (value instanceof Map) {
        let n = 8;
        for (const [k, v] of value) n += estimateSize(k) + estimateSize(v);
        return n;
      }
      let n = 4;
      if (Array.isArray(value)) {
        for (const v of value) n += estimateSize(v);
        return n;
      }
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) n += k.length + 2 + estimateSize(v);
      }
      return n;
    }
    default:
      return 8;
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

/** Something transactions read from: the KV store or a parent transaction. */
interface Source {
  readEntry(key: Deno.KvKey): Promise<{ value: unknown; versionstamp: string | null; pending: boolean }>;
  listEntries(prefix: Deno.KvKey, limit: number): Promise<{ key: Deno.KvKey; value: unknown }[]>;
}

/** A read-your-writes transaction; see the module doc. */
export class KvTxn implements Source {
  readonly #kv: Deno.Kv;
  readonly #parent: KvTxn | null;
  readonly #writes = new Map<string, Pending>();
  readonly #checks = new Map<string, { key: Deno.KvKey; versionstamp: string | null }>();
  readonly #cache: ReadCache;
  #bytes = 0;

  /** A root transaction; pass a long-lived `cache` to reuse what earlier commits read and wrote. */
  constructor(kv: Deno.Kv, opts: { cache?: ReadCache; parent?: KvTxn } = {}) {
    this.#kv = kv;
    this.#parent = opts.parent ?? null;
    this.#cache = opts.cache ?? (this.#parent ? this.#parent.#cache : new ReadCache());
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
          entries.forEach((e, j) =>
            this.#cache.remember(batch[j]!, { value: e.value, versionstamp: e.versionstamp })
          );
        }),
      );
    }
    await Promise.all(batches);
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

  /** True when nothing has been written. */
  get empty(): boolean {
    return this.#writes.size === 0;
  }

  async readEntry(
    key: Deno.KvKey,
  ): Promise<{ value: unknown; versionstamp: string | null; pending: boolean }> {
    const ks = keyString(key);
    const w = this.#writes.get(ks);
    if (w) return { value: w.deleted ? null : w.value, versionstamp: null, pending: true };
    if (this.#parent) return await this.#parent.readEntry(key);
    const cached = this.#cache.lookup(key, ks);
    if (cached) return { ...cached, pending: false };
    const e = await this.#kv.get(key);
    this.#cache.remember(key, { value: e.value, versionstamp: e.versionstamp }, ks);
    return { value: e.value, versionstamp: e.versionstamp, pending: false };
  }

  /**
   * Reads a key. With `check`, the commit fails if another writer changes it meanwhile (a
   * read-modify-write); keys only this transaction wrote need no check.
   */
  async get<T>(key: Deno.KvKey, opts: { check?: boolean } = {}): Promise<T | null> {
    const e = await this.readEntry(key);
    if (opts.check && !e.pending) this.#check(key, e.versionstamp);
    return (e.value ?? null) as T | null;
  }

  #check(key: Deno.KvKey, versionstamp: string | null): void {
    const ks = keyString(key);
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

  /** Writes a value at commit. */
  set(key: Deno.KvKey, value: unknown): void {
    const size = estimateSize(value);
    if (size > KV_LIMITS.valueBytes) {
      throw new TooLargeError(`value for ${keyString(key)} is about ${size} bytes, over Deno KV's 64 KiB`);
    }
    this.#replace(key, { key, value, deleted: false }, size + estimateSize(key));
  }

  /** Deletes a key at commit. */
  delete(key: Deno.KvKey): void {
    this.#replace(key, { key, deleted: true }, estimateSize(key));
  }

  /** Makes sure `key` does not exist at commit time (creation guard). */
  requireAbsent(key: Deno.KvKey): void {
    this.#check(key, null);
  }

  #replace(key: Deno.KvKey, p: Pending, size: number): void {
    const ks = keyString(key);
    const old = this.#writes.get(ks);
    if (old) this.#bytes -= old.deleted ? estimateSize(key) : estimateSize(old.value) + estimateSize(key);
    this.#writes.set(ks, p);
    this.#bytes += size;
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
    for (const w of child.#writes.values()) {
      if (w.deleted) this.delete(w.key);
      else this.#replace(w.key, w, estimateSize(w.value) + estimateSize(w.key));
    }
  }

  /** Commits everything atomically; throws ConflictError when a checked key changed. */
  async commit(): Promise<Deno.KvCommitResult> {
    if (this.#parent) throw new Error("Cannot commit a child transaction: merge it into its parent");
    if (!this.fits()) {
      throw new TooLargeError(
        `${this.mutations} writes, ${this.checks} checks and about ${this.bytes} bytes exceed one Deno KV commit`,
      );
    }
    const op = this.#kv.atomic();
    for (const c of this.#checks.values()) op.check(c);
    for (const w of this.#writes.values()) {
      if (w.deleted) op.delete(w.key);
      else op.set(w.key, w.value);
    }
    let res: Deno.KvCommitResult | Deno.KvCommitError;
    try {
      res = await op.commit();
    } catch (err) {
      this.#cache.clear();
      throw err;
    }
    if (!res.ok) {
      this.#cache.clear();
      throw new ConflictError("Another import changed the same data; planning again");
    }
    for (const [ks, w] of this.#writes) {
      this.#cache.remember(
        w.key,
        w.deleted ? { value: null, versionstamp: null } : {
          value: w.value,
          versionstamp: res.versionstamp,
        },
        ks,
      );
    }
    return res;
  }
}
