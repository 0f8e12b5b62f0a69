/** Opens Deno KV where the configuration says: a local file (folder created), memory, a KV Connect URL, or Deploy's own. */
import { dirname } from "node:path";
import { commitWithRetry } from "@/kv/retry.ts";

/**
 * Opens the store; `path` null means the platform default (Deno Deploy). Two processes opening a
 * new local file at the same moment (two imports started together) can find it locked while the
 * other sets it up: that is retried like a busy commit.
 */
export async function openKv(path: string | null): Promise<Deno.Kv> {
  if (path === null) return await Deno.openKv();
  if (path !== ":memory:" && !/^https?:\/\//.test(path)) {
    await Deno.mkdir(dirname(path), { recursive: true });
  }
  return await commitWithRetry(() => Deno.openKv(path), `the store's setup (opening "${path}")`);
}
