/**
 * A KvReader that gathers the gets issued in the same tick into `getMany` calls of up to ten keys
 * (Deno KV's limit per call), so reading hundreds of sessions side by side costs a tenth of the
 * round trips. Only for kv/ta/: reads with no checks, nothing cached between ticks.
 */
import type { KvReader } from "@/kv/reader.ts";

interface Waiting {
  key: Deno.KvKey;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** See the module doc. */
export function batchingReader(kv: Deno.Kv): KvReader {
  let queue: Waiting[] = [];
  const flush = () => {
    const q = queue;
    queue = [];
    for (let i = 0; i < q.length; i += 10) {
      const part = q.slice(i, i + 10);
      kv.getMany(part.map((w) => w.key)).then(
        (entries) => entries.forEach((e, j) => part[j]!.resolve(e.value ?? null)),
        (err) => part.forEach((w) => w.reject(err)),
      );
    }
  };
  const get = <T>(key: Deno.KvKey) =>
    new Promise<T | null>((resolve, reject) => {
      if (queue.length === 0) queueMicrotask(flush);
      queue.push({ key, resolve: resolve as (v: unknown) => void, reject });
    });
  return {
    get,
    getMany: <T>(keys: Deno.KvKey[]) => Promise.all(keys.map((k) => get<T>(k))),
    list: async <T>(prefix: Deno.KvKey, limit: number) =>
      await Array.fromAsync(kv.list<T>({ prefix }, { limit }), (e) => ({ key: e.key, value: e.value })),
  };
}
