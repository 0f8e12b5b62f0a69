/**
 * ET:Legacy figures (`deno task bench --only etl`, or `deno run -A bench/etl.ts`):
 *  1. parse throughput on the real sample files, beside reading and hashing the same files alone;
 *  2. import of 3,000 generated rounds through the importer (group commits), beside one bare
 *     commit per file of the same bytes;
 *  3. /api/etl/leaderboard and /et top p50/p99 on that store, beside a bare KV get;
 *  4. the leaderboard once 100 GUIDs are merged into 50 people, beside the same without.
 * Figures for README, not a timed test.
 */
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { sha256Hex } from "@/lib/hash.ts";
import { Importer, type ImportItem } from "@/ingest/importer.ts";
import { prepareFile } from "@/ingest/pipeline.ts";
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";
import { METRICS } from "@/games/etl/metrics.ts";
import { leaderboard } from "@/kv/etl/views.ts";
import { etTop } from "@/discord/et/handlers.ts";
import { listEtlPlayers } from "@/kv/etl/players.ts";
import { kvReader } from "@/kv/reader.ts";
import { mergeIdentities } from "@/kv/people/merge.ts";
import { fromFileUrl } from "@/tests/_path.ts";

const SAMPLES = Deno.env.get("PODIUM_SAMPLES") ??
  fromFileUrl(new URL("../../shared/samples", import.meta.url));
const ROUNDS = Number(Deno.env.get("ETL_BENCH_ROUNDS") ?? 3000);

function pct(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const range = (xs: number[]) => `${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))}`;

function parseBench(): void {
  const dir = `${SAMPLES}/etl`;
  const paths = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".txt")).map((e) =>
    `${dir}/${e.name}`
  );
  const run = (fn: (path: string) => void) => {
    let files = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 300) {
      for (const p of paths) fn(p);
      files += paths.length;
    }
    return files / ((performance.now() - t0) / 1000);
  };
  const parseOne = (p: string) =>
    prepareFile(Deno.readFileSync(p), { name: p.slice(p.lastIndexOf("/") + 1) });
  run(parseOne); // warm-up
  // Interleaved short windows, medians: this VM's speed drifts within seconds.
  const floors: number[] = [], parses: number[] = [];
  for (let i = 0; i < 7; i++) {
    floors.push(run((p) => sha256Hex(Deno.readFileSync(p))));
    parses.push(run(parseOne));
  }
  const floor = pct(floors, 50), parse = pct(parses, 50);
  console.log(`\n## ET:Legacy parse (${paths.length} real files, read + hash + decode + parse)`);
  console.log(`parse:  ${parse.toFixed(0)} files/s (median of 7 windows; range ${range(parses)})`);
  console.log(
    `floor:  ${floor.toFixed(0)} files/s (read + SHA-256 of the same files; range ${range(floors)})`,
  );
  console.log(
    `Slomix: about 500 files/s (its parser on this machine, per the issue): ${(parse / 500).toFixed(1)}x`,
  );
}

async function importBench(tmp: string): Promise<string> {
  const te = new TextEncoder();
  const items: ImportItem[] = [...generateEtlFiles(ROUNDS, { seed: 7 })].map((f) => ({
    name: f.name,
    bytes: te.encode(f.text),
  }));
  const kvPath = `${tmp}/etl.kv`;
  const kv = await Deno.openKv(kvPath);
  const imp = new Importer(kv, { announce: true });
  const counts: Record<string, number> = {};
  const t0 = performance.now();
  await imp.importMany(items, (r) => counts[r.status] = (counts[r.status] ?? 0) + 1);
  const importMs = performance.now() - t0;
  // Floor: one bare atomic commit per file, writing a value of the file's size.
  const floorKv = await Deno.openKv(`${tmp}/floor.kv`);
  const t1 = performance.now();
  for (let i = 0; i < items.length; i++) {
    await floorKv.atomic().check({ key: ["f", i], versionstamp: null }).set(["f", i], items[i]!.bytes)
      .commit();
  }
  const floorMs = performance.now() - t1;
  floorKv.close();
  kv.close();
  console.log(`\n## ET:Legacy import (${items.length} generated rounds, 12 players each, group commits)`);
  console.log(
    `import: ${(importMs / 1000).toFixed(2)} s, ${(items.length / (importMs / 1000)).toFixed(0)} files/s ${
      JSON.stringify(counts)
    }`,
  );
  console.log(
    `floor:  ${(floorMs / 1000).toFixed(2)} s, ${
      (items.length / (floorMs / 1000)).toFixed(0)
    } commits/s (bare commits of the same bytes)`,
  );
  return kvPath;
}

async function leaderboardBench(kvPath: string): Promise<void> {
  const kv = await Deno.openKv(kvPath);
  const config = loadConfig((n) => ({ PODIUM_KV: kvPath } as Record<string, string>)[n]);
  const app = createApp({ kv, config, now: () => new Date() });
  const N = 300;
  const floor: number[] = [], cold: number[] = [], kept: number[] = [], top: number[] = [];
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    await kv.get(["etl_player", "10000000"]);
    floor.push(performance.now() - t);
    const metric = METRICS[i % METRICS.length]!.id;
    t = performance.now();
    await leaderboard(kv, metric, { period: "all", now: new Date(), limit: 10 });
    cold.push(performance.now() - t);
    t = performance.now();
    const res = await app.request(`/api/etl/leaderboard?metric=${metric}`);
    await res.arrayBuffer();
    kept.push(performance.now() - t);
    t = performance.now();
    await etTop(kv, metric, "all", new Date());
    top.push(performance.now() - t);
  }
  console.log(`\n## /api/etl/leaderboard after the import (${N} requests, metrics in turn)`);
  console.log(`computed (no kept answer): p50 ${ms(pct(cold, 50))}  p99 ${ms(pct(cold, 99))}`);
  console.log(`route, kept answers:       p50 ${ms(pct(kept, 50))}  p99 ${ms(pct(kept, 99))}`);
  console.log(`/et top <metric> (answer):  p50 ${ms(pct(top, 50))}  p99 ${ms(pct(top, 99))}`);
  console.log(`floor, one KV get:         p50 ${ms(pct(floor, 50))}  p99 ${ms(pct(floor, 99))}`);
  await peopleBench(kv);
  kv.close();
}

/**
 * The same leaderboard once admins merged 100 of the 200 GUIDs into 50 people (kv/etl/people.ts
 * resolves them at every read), beside the leaderboard without people, measured interleaved.
 */
async function peopleBench(kv: Deno.Kv): Promise<void> {
  const players = await listEtlPlayers(kvReader(kv));
  const plain: number[] = [], merged: number[] = [];
  const N = 200;
  const run = async (into: number[], i: number) => {
    const t = performance.now();
    await leaderboard(kv, METRICS[i % METRICS.length]!.id, { period: "all", now: new Date(), limit: 10 });
    into.push(performance.now() - t);
  };
  for (let i = 0; i < N; i++) await run(plain, i);
  const t0 = performance.now();
  for (let i = 0; i + 1 < 100 && i + 1 < players.length; i += 2) {
    await mergeIdentities(kv, {
      identities: [{ kind: "etl", id: players[i]!.guid }, { kind: "etl", id: players[i + 1]!.guid }],
    }, { by: "bench", now: new Date() });
  }
  const mergeMs = (performance.now() - t0) / 50;
  for (let i = 0; i < N; i++) await run(merged, i);
  const rows = (await leaderboard(kv, "kills", { period: "all", now: new Date(), limit: 1000 })).rows.length;
  console.log(`\n## /api/etl/leaderboard with people (50 people of 2 GUIDs each; ${rows} rows, ${N} reads)`);
  console.log(`computed, with people:     p50 ${ms(pct(merged, 50))}  p99 ${ms(pct(merged, 99))}`);
  console.log(`floor, the same without:   p50 ${ms(pct(plain, 50))}  p99 ${ms(pct(plain, 99))}`);
  console.log(`a merge of two GUIDs:      ${ms(mergeMs)} (mean of 50)`);
}

if (import.meta.main) {
  const tmp = await Deno.makeTempDir({ prefix: "podium-etl-bench-" });
  try {
    parseBench();
    const kvPath = await importBench(tmp);
    await leaderboardBench(kvPath);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}
