/** A Deno KV whose reads are counted, for tests of what a route costs. */

/** Counts the reads an app makes on `kv`. */
export function countingKv(kv: Deno.Kv): { kv: Deno.Kv; reads: () => number } {
  let reads = 0;
  const counted = new Proxy(kv, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (prop === "get" || prop === "getMany" || prop === "list") {
        return (...args: unknown[]) => {
          reads++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { kv: counted, reads: () => reads };
}
