/**
 * `deno task backup DEST`: copies every entry of the KV that PODIUM_KV names (a local file, or a
 * Deno Deploy database through its KV Connect URL) into DEST: a new local KV file, which a hub can
 * then run on (`PODIUM_KV=DEST`), or an empty database's KV Connect URL (a restore to Deploy). Run it while the hub is stopped, or accept that writes made
 * during the copy may be in it or not (each entry is copied whole). Exit 0, or 2 when it could not
 * run (DEST exists, no PODIUM_KV, the store unreachable).
 */
import { loadConfigOrReport } from "@/config.ts";
import { openKv } from "@/kv/open.ts";

const USAGE =
  "Usage: deno task backup DEST   (copies the KV that PODIUM_KV names into DEST: a new file, or an empty KV Connect URL)";
/** Entries per atomic write: 10 values of at most 64 KiB stay under a commit's 800 KiB limit. */
const BATCH = 10;

/** Copies every entry of `from` into `to`; returns how many were written. */
export async function copyKv(from: Deno.Kv, to: Deno.Kv): Promise<number> {
  let copied = 0;
  let op = to.atomic();
  let count = 0;
  for await (const e of from.list({ prefix: [] }, { batchSize: 500 })) {
    if (count >= BATCH) {
      await commit(op);
      op = to.atomic();
      count = 0;
    }
    op.set(e.key, e.value);
    count++;
    copied++;
  }
  if (count > 0) await commit(op);
  return copied;
}

async function commit(op: Deno.AtomicOperation): Promise<void> {
  const res = await op.commit();
  if (!res.ok) throw new Error("Cannot write the backup: a commit was refused");
}

/** Runs the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const dest = args[0];
  if (!dest || args.length > 1 || dest.startsWith("-")) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfigOrReport();
  if (config === null) return 2;
  const kvPath = config.kvPath;
  if (kvPath === null || kvPath === ":memory:") {
    console.error("Set PODIUM_KV to the KV to back up (a path or a KV Connect URL)");
    return 2;
  }
  const remote = /^https?:\/\//.test(dest);
  if (!remote) {
    try {
      await Deno.lstat(dest);
      console.error(`Cannot back up into "${dest}": it exists; give a new file name`);
      return 2;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  const started = performance.now();
  let from: Deno.Kv;
  try {
    from = await openKv(kvPath);
  } catch (err) {
    console.error(`Cannot open KV "${kvPath}": ${(err as Error).message}`);
    return 2;
  }
  const to = await openKv(dest);
  if (remote && !(await to.list({ prefix: [] }, { limit: 1 }).next()).done) {
    console.error(`Cannot copy into "${dest}": that store is not empty`);
    from.close();
    to.close();
    return 2;
  }
  try {
    const n = await copyKv(from, to);
    console.log(
      `copied ${n} entries from "${kvPath}" to "${dest}" in ${
        ((performance.now() - started) / 1000).toFixed(1)
      } s`,
    );
    return 0;
  } finally {
    from.close();
    to.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
