/**
 * The site's pages under load (`deno task bench --only site`): requests/s and p99 from wrk against
 * a served port, each page beside `/api/health` (the floor: it reads the store's health key and
 * the announcement outbox's status) measured in the same run, by the same load generator, in
 * alternation with it. `/robots.txt` (no KV read at all) is measured the same way for reference. Usage:
 * `deno run -A bench/site.ts KV_PATH [SECONDS]`, where KV_PATH holds the core benchmark's dataset.
 */
import { listTracks } from "@/kv/racing/tracks.ts";
import { trackSessionsPrefix } from "@/kv/racing/keys.ts";
import { fromFileUrl } from "@/tests/_path.ts";
import { readUntil } from "@/tests/_spawn.ts";

const KV_PATH = Deno.args[0]!;
const SECONDS = Number(Deno.args[1] ?? 1);
const ROUNDS = 6;
const SERVER = fromFileUrl(new URL("./site_server.ts", import.meta.url));

interface Result {
  rps: number;
  p99ms: number;
  non2xx: number;
}

function ms(v: string, unit: string): number {
  return Number(v) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);
}

/** One wrk run: 2 threads, 32 connections; `paths` are picked at random per request. */
async function wrk(base: string, paths: string[], headers: Record<string, string> = {}): Promise<Result> {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  await Deno.writeTextFile(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(",")}}\n` +
      `math.randomseed(7)\n` +
      `request = function() return wrk.format("GET", paths[math.random(#paths)]) end\n`,
  );
  const args = ["-t2", "-c32", `-d${SECONDS}s`, "--latency", "-s", script];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const out = await new Deno.Command("wrk", { args: [...args, base], stdout: "piped", stderr: "piped" })
    .output();
  await Deno.remove(script);
  const text = new TextDecoder().decode(out.stdout);
  if (out.code !== 0) throw new Error(`wrk failed: ${new TextDecoder().decode(out.stderr)}`);
  const rps = Number(text.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const p99 = text.match(/\s99%\s+([\d.]+)(us|ms|s)/);
  const non2xx = Number(text.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  return { rps, p99ms: p99 ? ms(p99[1]!, p99[2]!) : NaN, non2xx };
}

// The pages to load, chosen from the dataset.
const kv = await Deno.openKv(KV_PATH);
const tracks = await listTracks(kv);
const trackPaths = tracks.flatMap((
  t,
) => [`/tracks/${t.game}/${t.track}`, `/tracks/${t.game}/${t.track}?kind=R`]);
const driverIds = await Array.fromAsync(kv.list<{ id: string }>({ prefix: ["driver"] }), (e) => e.value.id);
const sessionIds: string[] = [];
for (const t of tracks) {
  for await (
    const e of kv.list({ prefix: trackSessionsPrefix(t.game, t.track) }, { limit: 60, reverse: true })
  ) {
    sessionIds.push(e.key[4] as string);
  }
}
kv.close();
const pick = <T>(list: T[], n: number) =>
  Array.from({ length: n }, (_, i) => list[(i * 7919) % list.length]!);

const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", SERVER],
  env: { PODIUM_KV: KV_PATH, NO_COLOR: "1" },
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
const line = await readUntil(reader, "listening");
const base = `http://127.0.0.1:${line.match(/listening (\d+)/)![1]}`;

try {
  const track = trackPaths[0]!;
  const etag =
    (await fetch(base + track).then(async (r) => (await r.body?.cancel(), r.headers.get("etag"))))!;
  const targets: [string, string[], Record<string, string>?][] = [
    ["reference: `/robots.txt` (static text, no KV read)", ["/robots.txt"]],
    ["home `/` (kept since the last import)", ["/"]],
    [`track page (${trackPaths.length} track pages, Q and R; kept since the last import)`, trackPaths],
    [
      "track page, rendered every time (a unique query per request)",
      pick(trackPaths, 4000).map((p, i) => `${p}${p.includes("?") ? "&" : "?"}n=${i}`),
    ],
    [
      `driver page (random of ${driverIds.length.toLocaleString("en")} drivers: mostly rendered)`,
      pick(driverIds, 4000).map((id) => `/drivers/${id}`),
    ],
    [
      `session page (random of ${sessionIds.length} sessions, with laps and chart)`,
      sessionIds.map((id) => `/sessions/${id}`),
    ],
    ["track page, 304 revalidation (If-None-Match)", [track], { "If-None-Match": etag }],
  ];
  // Warm-up: JIT, the page cache, the KV file's pages.
  await wrk(base, ["/api/health", "/", ...trackPaths]);
  console.log(
    `\n## Site pages under load (wrk -t2 -c32, ${ROUNDS} runs of ${SECONDS} s each, alternating with the floor; server and wrk on the same 2 cores)\n`,
  );
  console.log("| Page | req/s | p99 (worst run) | floor `/api/health` req/s | p99 | page / floor |");
  console.log("|---|---|---|---|---|---|");
  for (const [label, paths, headers] of targets) {
    // Floor and page alternate, six times: this shared VM's speed drifts within a minute.
    const floors: Result[] = [], pages: Result[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      floors.push(await wrk(base, ["/api/health"]));
      pages.push(await wrk(base, paths, headers));
    }
    const rps = (rs: Result[]) => rs.reduce((a, r) => a + r.rps, 0) / rs.length;
    const p99 = (rs: Result[]) => Math.max(...rs.map((r) => r.p99ms));
    const errors = pages.reduce((a, r) => a + r.non2xx, 0);
    console.log(
      `| ${label} | ${rps(pages).toFixed(0)}${errors ? ` (${errors} errors!)` : ""} | ${
        p99(pages).toFixed(1)
      } ms | ${rps(floors).toFixed(0)} | ${p99(floors).toFixed(1)} ms | ${
        (100 * rps(pages) / rps(floors)).toFixed(0)
      } % |`,
    );
  }
} finally {
  server.kill();
  await server.status;
  await server.stdout.cancel().catch(() => {});
}
