/**
 * What an importer already knows of the store, so that planning a file rarely waits on a read:
 * values read or written (least recently used dropped past a limit), and for whole key families
 * ("complete" prefixes, loaded once by a backfill) which keys exist at all, so that a key never
 * seen is known to be absent without asking Deno KV.
 */
import { keyString } from "@/kv/keys.ts";

/**
 * A commit under way: its writes are already visible to the next plan; their versionstamp is
 * known when it lands (and `failed` when it did not).
 */
export class CommitTicket {
  versionstamp: string | null = null;
  failed = false;
}

/** A versionstamp, or the ticket of the commit that will give it. */
export type Stamp = string | null | CommitTicket;

/** A value with the versionstamp it had (null: absent). */
export interface CachedEntry {
  value: unknown;
  versionstamp: Stamp;
}

/** See the module doc. */
export class ReadCache {
  readonly #values = new Map<string, CachedEntry>();
  readonly #complete = new Set<string>();
  readonly #existing = new Set<string>();
  readonly #limit: number;
  /** The commit under way, if any: range reads wait for it (they cannot see its writes). */
  landing: Promise<unknown> | null = null;
  /**
   * Bumped by every clear. A plan that straddles a clear remembers nothing it read and is planned
   * again (KvTxn checks this at commit).
   */
  generation = 0;

  constructor(limit = 50_000) {
    this.#limit = limit;
  }

  /** A known entry, or undefined when the store must be asked. */
  lookup(key: Deno.KvKey, ks = keyString(key)): CachedEntry | undefined {
    const hit = this.#values.get(ks);
    if (hit) {
      this.#values.delete(ks);
      this.#values.set(ks, hit);
      return hit;
    }
    if (this.#complete.has(String(key[0])) && !this.#existing.has(ks)) {
      return { value: null, versionstamp: null };
    }
    return undefined;
  }

  /** Remembers an entry as read or written. */
  remember(key: Deno.KvKey, entry: CachedEntry, ks = keyString(key)): void {
    if (this.#complete.has(String(key[0]))) {
      if (entry.versionstamp === null) this.#existing.delete(ks);
      else this.#existing.add(ks);
    }
    this.#values.delete(ks);
    this.#values.set(ks, entry);
    if (this.#values.size > this.#limit) {
      const [oldest, e] = this.#values.entries().next().value!;
      this.#values.delete(oldest);
      // Writes of a commit under way stay until it lands: the store does not have them yet.
      if (e.versionstamp instanceof CommitTicket && e.versionstamp.versionstamp === null) {
        this.#values.set(oldest, e);
      }
    }
  }

  /** Forgets everything (after losing a race with another writer). */
  clear(): void {
    this.generation++;
    this.#values.clear();
    this.#complete.clear();
    this.#existing.clear();
  }

  /**
   * Loads every key under single-part prefixes (e.g. "driver_track") so absent keys need no
   * read. Gives up, keeping nothing complete, when the store holds more than `maxEntries`.
   */
  async preload(kv: Deno.Kv, families: string[], maxEntries = 500_000): Promise<boolean> {
    let seen = 0;
    const loaded: { ks: string; key: Deno.KvKey; entry: CachedEntry }[] = [];
    for (const family of families) {
      for await (const e of kv.list({ prefix: [family] }, { batchSize: 500 })) {
        if (++seen > maxEntries) return false;
        loaded.push({
          ks: keyString(e.key),
          key: e.key,
          entry: { value: e.value, versionstamp: e.versionstamp },
        });
      }
    }
    for (const f of families) this.#complete.add(f);
    for (const l of loaded) this.remember(l.key, l.entry, l.ks);
    return true;
  }
}
