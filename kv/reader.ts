/** The reads kv/ modules need, served by a transaction (import) or straight by Deno KV (API). */
export interface KvReader {
  get<T>(key: Deno.KvKey, opts?: { check?: boolean }): Promise<T | null>;
  getMany<T>(keys: Deno.KvKey[]): Promise<(T | null)[]>;
  list<T>(prefix: Deno.KvKey, limit: number): Promise<{ key: Deno.KvKey; value: T }[]>;
  /**
   * Reads a domain adds for people once per reader (ET:Legacy display names, kv/etl/display_names.ts).
   * Only read-only readers have it: a transaction sees stored values as they are.
   */
  memo?: Map<string, Promise<unknown>>;
}

/** A reader straight on Deno KV, for read-only paths. */
export function kvReader(kv: Deno.Kv): KvReader {
  return {
    memo: new Map(),
    async get<T>(key: Deno.KvKey) {
      return (await kv.get<T>(key)).value;
    },
    async getMany<T>(keys: Deno.KvKey[]) {
      const batches: Promise<Deno.KvEntryMaybe<unknown>[]>[] = [];
      for (let i = 0; i < keys.length; i += 10) batches.push(kv.getMany(keys.slice(i, i + 10)));
      return (await Promise.all(batches)).flat().map((e) => (e.value ?? null) as T | null);
    },
    async list<T>(prefix: Deno.KvKey, limit: number) {
      return await Array.fromAsync(
        kv.list<T>({ prefix }, { limit }),
        (e) => ({ key: e.key, value: e.value }),
      );
    },
  };
}
