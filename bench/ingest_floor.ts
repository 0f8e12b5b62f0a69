/**
 * The floor of an import on this machine, for `deno task bench`: what the run would cost if
 * planning the records were free. It imports a corpus once into memory, recording exactly the
 * atomic commits the importer made, then times (best of 3, in this process):
 *  - "writes only": those commits replayed into a fresh KV file, pipelined as the importer does;
 *  - "file work + writes": the same, with every file also read, hashed, decoded and parsed.
 * Usage: deno run -A bench/ingest_floor.ts DIR
 */
import { Importer } from "@/ingest/importer.ts";
import { prepareFile } from "@/ingest/pipeline.ts";

type Mutation = { key: Deno.KvKey; value: unknown } | { key: Deno.KvKey; deleted: true };

const dir = Deno.args[0]!;
const paths = [...Deno.readDirSync(dir)].map((e) => `${dir}/${e.name}`).sort();
const name = (p: string) => p.slice(p.lastIndexOf("/") + 1);

/** Imports the corpus into an in-memory KV and returns its commits' mutations. */
async function recordCommits(): Promise<Mutation[][]> {
  const commits: Mutation[][] = [];
  let current: Mutation[] = [];
  const proto = Deno.AtomicOperation.prototype;
  const { set, delete: del, commit } = proto;
  proto.set = function (key, value) {
    current.push({ key, value });
    return set.call(this, key, value);
  };
  proto.delete = function (key) {
    current.push({ key, deleted: true });
    return del.call(this, key);
  };
  proto.commit = function () {
    commits.push(current);
    current = [];
    return commit.call(this);
  };
  try {
    using kv = await Deno.openKv(":memory:");
    const items = paths.map((p) => ({ name: name(p), bytes: Deno.readFileSync(p) }));
    await new Importer(kv, { announce: false, preload: true }).importMany(items, () => {});
  } finally {
    Object.assign(proto, { set, delete: del, commit });
  }
  return commits;
}

async function replay(commits: Mutation[][], withFiles: boolean): Promise<number> {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  try {
    return await replayInto(path, commits, withFiles);
  } finally {
    for (const f of [path, `${path}-wal`, `${path}-shm`]) await Deno.remove(f).catch(() => {});
  }
}

async function replayInto(path: string, commits: Mutation[][], withFiles: boolean): Promise<number> {
  using kv = await Deno.openKv(path);
  const perCommit = Math.ceil(paths.length / commits.length);
  const t = performance.now();
  let landing: Promise<unknown> | null = null;
  for (let c = 0; c < commits.length; c++) {
    if (withFiles) {
      for (const p of paths.slice(c * perCommit, (c + 1) * perCommit)) {
        Deno.statSync(p);
        prepareFile(Deno.readFileSync(p), { name: name(p) });
      }
    }
    if (landing) await landing;
    const op = kv.atomic();
    for (const m of commits[c]!) "deleted" in m ? op.delete(m.key) : op.set(m.key, m.value);
    landing = op.commit();
  }
  await landing;
  return performance.now() - t;
}

const commits = await recordCommits();
const writes = commits.reduce((n, c) => n + c.length, 0);
for (const withFiles of [false, true]) {
  let best = Infinity;
  for (let run = 0; run < 3; run++) best = Math.min(best, await replay(commits, withFiles));
  console.log(
    `floor, ${
      withFiles ? "file work + writes" : "writes only"
    } (${writes} writes in ${commits.length} commits, ` +
      `planning free): ${(paths.length / (best / 1000)).toFixed(0)} files/s (${
        (best / 1000).toFixed(2)
      } s in-process, best of 3)`,
  );
}
