/** Opens Deno KV where the configuration says: a local file (folder created), memory, a KV Connect URL, or Deploy's own. */
import { dirname } from "node:path";

/** Opens the store; `path` null means the platform default (Deno Deploy). */
export async function openKv(path: string | null): Promise<Deno.Kv> {
  if (path === null) return await Deno.openKv();
  if (path !== ":memory:" && !/^https?:\/\//.test(path)) {
    await Deno.mkdir(dirname(path), { recursive: true });
  }
  return await Deno.openKv(path);
}
