/** Expands the CLI's paths: files as given, folders recursively (result files only), sorted. */
import { join } from "node:path";

const RESULT_FILE = /\.(json|txt)$/i;

/** Files to import under the given paths; a path that does not exist is an error. */
export async function collectFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(p);
    } catch {
      throw new Error(`Cannot import "${p}": no such file or folder`);
    }
    if (info.isFile) out.push(p);
    else if (info.isDirectory) await walk(p, out);
  }
  return out;
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries: Deno.DirEntry[] = await Array.fromAsync(Deno.readDir(dir));
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory) await walk(path, out);
    else if (e.isFile && RESULT_FILE.test(e.name)) out.push(path);
  }
}
