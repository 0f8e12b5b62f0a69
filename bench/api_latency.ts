/**
 * Measures /api/records and /api/drivers/:id in-process against the KV named by PODIUM_KV, and
 * this process's peak RSS. Run by bench/mod.ts in its own process so the figure is the server's.
 */
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";
import { changesKey } from "@/kv/keys.ts";
import { listTracks } from "@/kv/racing/tracks.ts";
import { ViewCache } from "@/kv/view_cache.ts";

const requests = Number(Deno.args[0] ?? 3000);
const kv = await Deno.openKv(Deno.env.get("PODIUM_KV")!);
const config = loadConfig();
const app = createApp({ kv, config, now: () => new Date() });
// The same routes with no kept answers: every records request loads its board, as the first
// request after an import does.
const uncached = createApp({ kv, config, now: () => new Date(), viewCache: new ViewCache(0) });

let seed = 42;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

const tracks = await listTracks(kv);
const driverIds = await Array.fromAsync(kv.list<{ id: string }>({ prefix: ["driver"] }), (e) => e.value.id);
const classes = ["all", "all", "GT3", "GT4"];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function measure(label: string, path: () => string, on = app): Promise<void> {
  for (let i = 0; i < 1000; i++) await (await on.request(path())).arrayBuffer();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    const res = await on.request(path());
    const body = await res.arrayBuffer();
    times.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${label} answered ${res.status}`);
    bytes += body.byteLength;
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: p50 ${percentile(times, 0.5).toFixed(3)} ms, p99 ${percentile(times, 0.99).toFixed(3)} ms, ` +
      `max ${times.at(-1)!.toFixed(3)} ms (${requests} requests, avg ${
        (bytes / requests / 1024).toFixed(1)
      } KiB)`,
  );
}

console.log(`\n## API latency, in-process (${tracks.length} tracks, ${driverIds.length} drivers)`);
{
  // The store's own latency on this machine right now: a route that makes one round trip cannot
  // have a tail shorter than this.
  const times: number[] = [];
  for (let i = 0; i < requests + 1000; i++) {
    const t = performance.now();
    await kv.get(changesKey());
    if (i >= 1000) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(
    `Deno KV get of one small key (baseline): p50 ${percentile(times, 0.5).toFixed(3)} ms, p99 ${
      percentile(times, 0.99).toFixed(3)
    } ms`,
  );
}
const recordsPath = () => {
  const t = tracks[rand(tracks.length)]!;
  return `/api/records?game=${t.game}&track=${t.track}&kind=${rand(2) ? "Q" : "R"}&class=${classes[rand(4)]}`;
};
await measure("GET /api/records (limit 10)", recordsPath);
await measure(
  "GET /api/drivers/:id",
  () => `/api/drivers/${encodeURIComponent(driverIds[rand(driverIds.length)]!)}`,
);
await measure("GET /api/records (limit 10), no kept answers", recordsPath, uncached);
const hwm = Number(Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s*(\d+)/)?.[1] ?? 0);
console.log(`Peak RSS of the serving process: ${(hwm / 1024).toFixed(0)} MB`);
kv.close();
