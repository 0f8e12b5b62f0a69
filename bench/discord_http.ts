/**
 * Measures the whole interactions path (signature check, zod parse, handler, response) of
 * `/records`, `/pb` and track autocomplete against the KV named by PODIUM_KV, each beside a signed
 * PING measured in the same run (the floor: verification and framing alone). In-process through
 * `app.fetch`, and over loopback HTTP. Then the cold start: a fresh `main.ts` process to its first
 * answered `/records`. Run by bench/mod.ts (`deno task bench --only discord`).
 */
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";
import { listTracks } from "@/kv/racing/tracks.ts";
import { ALL_CLASSES, boardPrefix } from "@/kv/racing/keys.ts";
import { autocompleteBody, commandBody, makeSigner, pingBody } from "@/tests/fakes/interactions.ts";
import { fromFileUrl } from "@/tests/_path.ts";
import { readUntil } from "@/tests/_spawn.ts";

const requests = Number(Deno.args[0] ?? 3000);
const kvPath = Deno.env.get("PODIUM_KV")!;
const kv = await Deno.openKv(kvPath);
const signer = await makeSigner();
const env: Record<string, string> = {
  PODIUM_KV: kvPath,
  DISCORD_APPLICATION_ID: "100000000000000001",
  DISCORD_PUBLIC_KEY: signer.publicKeyHex,
  DISCORD_BOT_TOKEN: "bench-token",
};
const config = loadConfig((n) => env[n]);
const app = createApp({ kv, config, now: () => new Date() });

let seed = 7;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

const tracks = await listTracks(kv);
// Drivers with a lap on each track's qualifying board, for /pb.
const onTrack = await Promise.all(tracks.map(async (t) =>
  await Array.fromAsync(
    kv.list<{ driverId: string }>({
      prefix: boardPrefix({ game: t.game, track: t.track, kind: "Q", cls: ALL_CLASSES }),
    }, {
      limit: 200,
    }),
    (e) => e.value.driverId,
  )
));

const STR = 3;
type Body = () => unknown;
const scenarios: { label: string; body: Body }[] = [
  { label: "signed PING (floor)", body: () => pingBody() },
  {
    label: "/records <track>",
    body: () => {
      const t = tracks[rand(tracks.length)]!;
      return commandBody("records", [{ name: "track", type: STR, value: `${t.game}/${t.track}` }]);
    },
  },
  {
    label: "/pb <track> <player>",
    body: () => {
      const i = rand(tracks.length);
      const t = tracks[i]!, drivers = onTrack[i]!;
      return commandBody("pb", [
        { name: "track", type: STR, value: `${t.game}/${t.track}` },
        { name: "player", type: STR, value: drivers[rand(drivers.length)]! },
      ]);
    },
  },
  {
    label: "track autocomplete",
    body: () => {
      const name = tracks[rand(tracks.length)]!.name;
      return autocompleteBody("records", [{
        name: "track",
        type: STR,
        value: name.slice(0, 1 + rand(4)),
        focused: true,
      }]);
    },
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Signed ahead of time: signing is Discord's work, not ours. */
async function signed(body: Body, n: number): Promise<{ text: string; headers: Record<string, string> }[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const text = JSON.stringify(body());
    out.push({ text, headers: await signer.headers(text) });
  }
  return out;
}

async function run(
  label: string,
  send: (r: { text: string; headers: Record<string, string> }) => Promise<Response>,
  body: Body,
): Promise<{ p50: number; p99: number; rps: number }> {
  const warm = await signed(body, 500);
  for (const r of warm) await (await send(r)).arrayBuffer();
  const reqs = await signed(body, requests);
  const times: number[] = [];
  const t0 = performance.now();
  for (const r of reqs) {
    const t = performance.now();
    const res = await send(r);
    await res.arrayBuffer();
    times.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${label} answered ${res.status}`);
  }
  const total = performance.now() - t0;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), rps: requests / (total / 1000) };
}

function report(where: string, results: { label: string; p50: number; p99: number; rps: number }[]) {
  const floor = results[0]!;
  console.log(`\n### ${where} (${requests} requests each after 500 warm-up)`);
  for (const r of results) {
    const vs = r === floor ? "" : `; p99 ${(r.p99 / floor.p99).toFixed(2)}x PING's`;
    console.log(
      `${r.label}: p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, ${
        r.rps.toFixed(0)
      } requests/s${vs}`,
    );
  }
}

console.log(`\n## Discord interactions (${tracks.length} tracks; signature check, handler, response)`);
// `discord_http.ts N cold` measures only the cold start.
if (Deno.args[1] !== "cold") await latency();
kv.close();

async function latency(): Promise<void> {
  const inProcess = [];
  for (const s of scenarios) {
    const send = (r: { text: string; headers: Record<string, string> }) =>
      Promise.resolve(app.fetch(
        new Request("http://localhost/interactions", { method: "POST", headers: r.headers, body: r.text }),
      ));
    inProcess.push({ label: s.label, ...await run(s.label, send, s.body) });
  }
  report("In-process (app.fetch)", inProcess);

  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}/interactions`;
  const overHttp = [];
  for (const s of scenarios) {
    const send = (r: { text: string; headers: Record<string, string> }) =>
      fetch(url, { method: "POST", headers: r.headers, body: r.text });
    overHttp.push({ label: s.label, ...await run(s.label, send, s.body) });
  }
  report("Over loopback HTTP (Deno.serve, fetch, one connection kept alive)", overHttp);
  await server.shutdown();
}

// Cold start: a fresh server process (main.ts) to its first answered /records. The request goes
// out when the server prints that it listens (polling a closed port would steal the CPU it needs).
// The floor, in the same run: a Deno process that only listens and answers (bench/_hello_server.ts).
const MAIN = fromFileUrl(new URL("../main.ts", import.meta.url));
const HELLO = fromFileUrl(new URL("./_hello_server.ts", import.meta.url));

/** CPU time (user + system, all threads) a process has used so far, in ms: the load-independent part. */
function cpuMs(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in 1/100 s
}

async function coldStart(script: string): Promise<{ listening: number; answered: number; cpu: number }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const t = tracks[rand(tracks.length)]!;
  const text = JSON.stringify(
    commandBody("records", [{ name: "track", type: STR, value: `${t.game}/${t.track}` }]),
  );
  const headers = await signer.headers(text);
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script],
    env: { ...env, PORT: String(port), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  await readUntil(lines, "listening");
  const listening = performance.now() - started;
  const res = await fetch(`http://127.0.0.1:${port}/interactions`, { method: "POST", headers, body: text });
  const json = await res.json();
  if (res.status !== 200 || json.type !== 4) throw new Error(`Cold /records answered ${res.status}`);
  const answered = performance.now() - started;
  const cpu = cpuMs(child.pid);
  lines.cancel().catch(() => {});
  child.kill();
  await child.status;
  return { listening, answered, cpu };
}

const show = (c: { listening: number; answered: number; cpu: number }) =>
  `${c.answered.toFixed(0)} ms (listening at ${c.listening.toFixed(0)} ms, ${c.cpu} ms CPU)`;
const colds: string[] = [], floors: string[] = [];
for (let i = 0; i < 3; i++) {
  floors.push(show(await coldStart(HELLO)));
  colds.push(show(await coldStart(MAIN)));
}
console.log(
  `\nCold start, fresh main.ts process to its first answered /records: ${colds.join(", ")} (target < 1 s)`,
);
console.log(`Floor, a Deno process that only listens and answers: ${floors.join(", ")}`);
