/**
 * Answers of read routes, kept until the next import anywhere. Every import rewrites the changes
 * key (kv/changes.ts), so one get of it tells whether a kept answer is still what the store
 * holds: a hit costs that one small read. Correct across processes and Deploy isolates, because
 * every use is validated against the store. Bounded: the least recently used answers go first.
 */
import { changesStamp } from "@/kv/changes.ts";

interface Kept {
  stamp: string;
  value: unknown;
}

/** See the module doc. */
export class ViewCache {
  readonly #kept = new Map<string, Kept>();
  readonly #max: number;

  constructor(maxEntries = 500) {
    this.#max = maxEntries;
  }

  /**
   * The answer under `id`: kept, when nothing was imported since it was loaded; else `load()`ed.
   * The changes key is read before `load` runs, so a kept answer is never older than its stamp.
   */
  async through<T>(kv: Deno.Kv, id: string, load: () => Promise<T>): Promise<T> {
    const stamp = await changesStamp(kv);
    const kept = this.#kept.get(id);
    if (kept && stamp !== null && kept.stamp === stamp) {
      this.#kept.delete(id);
      this.#kept.set(id, kept);
      return kept.value as T;
    }
    const value = await load();
    if (stamp === null) return value;
    this.#kept.delete(id);
    this.#kept.set(id, { stamp, value });
    if (this.#kept.size > this.#max) this.#kept.delete(this.#kept.keys().next().value!);
    return value;
  }
}
