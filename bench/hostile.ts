/**
 * Hostile input (issue 15), timed: `deno task bench --only hostile`, or alone
 * `deno run -A bench/hostile.ts [--pushes 200] [--rounds 2] [--no-before]`.
 *
 * 1. Push load, before and after the change in the same run: `--pushes` valid pushes at once (distinct
 *    ACC files, about 45 KiB each) against a hub of this tree and a hub of the tree before the push
 *    protocol 2 (`git archive fe47296`, extracted to a temporary folder and run as its own process,
 *    over its own KV file), interleaved (before, after, after, before...). Each round: files/s from
 *    the first request to the last answer, and `GET /api/health` p50/p99 asked one at a time
 *    while the pushes run. The same files go to both hubs.
 * 2. Floors in the same run: a bare Deno.serve route (bench/_hello_server.ts) and each hub's
 *    `/api/health` when idle, one request at a time; a plain KV read (`kv.get` of one key, in
 *    this process, on a KV file).
 * 3. RSS of each hub (Linux /proc) while attacked: a 1 GiB unsigned body at `/interactions`, then
 *    100 parallel 32 MiB pushes with a zero signature.
 */
import { parseArgs } from "node:util";
import { generateAccFiles } from "@/fixtures/gen_acc.ts";
import { type Hub, Lines, startHub } from "@/tests/transport/_hub.ts";
import { pushHeaders, pushRequest } from "@/tests/transport/_push.ts";
import { lazyBody, rssMiB, withPeakRss } from "@/tests/transport/_rss.ts";
import { fromFileUrl } from "@/tests/_path.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    pushes: { type: "string", default: "200" },
    rounds: { type: "string", default: "2" },
    "no-before": { type: "boolean", default: false },
  },
});
const PUSHES = Number(args.values.pushes);
const ROUNDS = Number(args.values.rounds);
/** The last commit before the push protocol 2 and the body limits. */
const BEFORE_COMMIT = "fe47296";
const SECRET = "bench-hostile-secret";
const MiB = 1024 * 1024;
const ROOT = fromFileUrl(new URL("../", import.meta.url));
const enc = new TextEncoder();

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const ms = (x: number) => x < 10 ? x.toFixed(2) : x.toFixed(0);
const lat = (xs: number[]) => `p50 ${ms(pct(xs, 50))} ms, p99 ${ms(pct(xs, 99))} ms`;

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The first protocol's request (what the tree before the change speaks): HMAC over timestamp, server, file, body hash. */
async function pushV1(base: string, file: string, body: Uint8Array, at: Date): Promise<Request> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const bodyHash = hex(await crypto.subtle.digest("SHA-256", body as Uint8Array<ArrayBuffer>));
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(SECRET),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  const sig = hex(
    await crypto.subtle.sign("HMAC", key, enc.encode(`${timestamp}\nacc-eu\n${file}\n${bodyHash}`)),
  );
  return new Request(`${base}/api/ingest`, {
    method: "POST",
    headers: {
      "x-podium-server": "acc-eu",
      "x-podium-file": encodeURIComponent(file),
      "x-podium-timestamp": timestamp,
      "x-podium-signature": sig,
    },
    body: body as Uint8Array<ArrayBuffer>,
  });
}

interface Side {
  label: string;
  /** The tree the hub runs from (undefined: this one). */
  root?: string;
  hub: Hub;
  request: (file: string, body: Uint8Array, at: Date) => Promise<Request>;
  /** Headers of an unsigned (zero signature) 32 MiB push. */
  unsigned: () => Promise<Record<string, string>>;
  rounds: { filesPerS: number; health: number[]; statuses: Map<number, number> }[];
  idleHealth: number[];
  rss: { base: number; interactions: number; pushes: number } | null;
}

/** Sequential GETs of `url`, `n` of them (after 20 to warm up). */
async function sequential(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n + 20; i++) {
    const t = performance.now();
    const res = await fetch(url);
    await res.body?.cancel();
    if (i >= 20) out.push(performance.now() - t);
  }
  return out;
}

async function loadRound(side: Side, files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  const at = new Date();
  const reqs = await Promise.all(files.map((f) => side.request(f.name, f.bytes, at)));
  const health: number[] = [];
  let running = true;
  const probe = (async () => {
    while (running) {
      const t = performance.now();
      const res = await fetch(`${side.hub.url}/api/health`);
      await res.body?.cancel();
      health.push(performance.now() - t);
    }
  })();
  const statuses = new Map<number, number>();
  const t0 = performance.now();
  await Promise.all(reqs.map(async (r) => {
    const res = await fetch(r);
    await res.body?.cancel();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }));
  const elapsed = (performance.now() - t0) / 1000;
  running = false;
  await probe;
  side.rounds.push({ filesPerS: files.length / elapsed, health, statuses });
}

async function post(url: string, headers: Record<string, string>, size: number): Promise<void> {
  const body = lazyBody(size);
  try {
    const res = await fetch(url, { method: "POST", headers, body: body.body });
    await res.body?.cancel();
  } catch { /* the hub closed the connection: what a refused body gets */ }
}

async function attack(side: Side): Promise<void> {
  const pid = side.hub.pid;
  const base = (await rssMiB(pid)) ?? NaN;
  const one = await withPeakRss(
    pid,
    () => post(`${side.hub.url}/interactions`, { "content-type": "application/json" }, 1024 * MiB),
  );
  const headers = await side.unsigned();
  const many = await withPeakRss(
    pid,
    () =>
      Promise.all(Array.from({ length: 100 }, () => post(`${side.hub.url}/api/ingest`, headers, 32 * MiB))),
  );
  side.rss = { base, interactions: one.peakMiB ?? NaN, pushes: many.peakMiB ?? NaN };
}

async function extractBefore(dir: string): Promise<void> {
  const out = await new Deno.Command("sh", {
    args: ["-c", `git -C '${ROOT}' archive ${BEFORE_COMMIT} | tar -x -C '${dir}'`],
  }).output();
  if (out.code !== 0) {
    throw new Error(`git archive ${BEFORE_COMMIT}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function bareRoute(): Promise<number[]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", fromFileUrl(new URL("./_hello_server.ts", import.meta.url))],
    env: { PORT: "0" },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const out = new Lines(child.stdout);
  const port = (await out.waitFor(/listening on \d+/)).match(/(\d+)$/)![1];
  try {
    return await sequential(`http://127.0.0.1:${port}/`, 500);
  } finally {
    child.kill("SIGTERM");
    await child.status;
  }
}

async function kvRead(dir: string): Promise<number[]> {
  const kv = await Deno.openKv(`${dir}/floor.kv`);
  try {
    await kv.set(["floor"], { status: "ok", time: new Date().toISOString() });
    const out: number[] = [];
    for (let i = 0; i < 2020; i++) {
      const t = performance.now();
      await kv.get(["floor"]);
      if (i >= 20) out.push(performance.now() - t);
    }
    return out;
  } finally {
    kv.close();
  }
}

const tmp = await Deno.makeTempDir({ prefix: "podium-bench-hostile-" });
// The load runs without Discord (no delivery work beside the imports); the attacks need
// /interactions, so each hub is started again with Discord's variables for them.
const env = { PODIUM_SECRET_ACC_EU: SECRET };
const discordEnv = {
  ...env,
  DISCORD_APPLICATION_ID: "123456789012345678",
  DISCORD_PUBLIC_KEY: "a".repeat(64),
  DISCORD_BOT_TOKEN: "x",
  DISCORD_API_BASE: "http://127.0.0.1:9/api/v10",
};
const sides: Side[] = [];
try {
  const after = await startHub({ kvPath: `${tmp}/after.kv`, env });
  sides.push({
    label: "after (this tree)",
    hub: after,
    request: (file, body, at) =>
      pushRequest({ secret: SECRET, server: "acc-eu", file, body, at, base: after.url }),
    unsigned: async () => ({
      ...await pushHeaders({
        secret: SECRET,
        server: "acc-eu",
        file: "x.json",
        body: new Uint8Array(0),
        at: new Date(),
      }),
      "x-podium-size": String(32 * MiB),
      "x-podium-signature": "0".repeat(64),
    }),
    rounds: [],
    idleHealth: [],
    rss: null,
  });
  if (!args.values["no-before"]) {
    const root = `${tmp}/before`;
    await Deno.mkdir(root);
    await extractBefore(root);
    const before = await startHub({ kvPath: `${tmp}/before.kv`, env, root });
    sides.unshift({
      label: `before (${BEFORE_COMMIT})`,
      root,
      hub: before,
      request: (file, body, at) => pushV1(before.url, file, body, at),
      unsigned: () =>
        Promise.resolve({
          "x-podium-server": "acc-eu",
          "x-podium-file": "x.json",
          "x-podium-timestamp": String(Math.floor(Date.now() / 1000)),
          "x-podium-signature": "0".repeat(64),
        }),
      rounds: [],
      idleHealth: [],
      rss: null,
    });
  }
  const files = [
    ...generateAccFiles(PUSHES * ROUNDS, {
      seed: 15,
      drivers: 3000,
      tracks: 25,
      carsPerSession: [1, 8],
      lapsPerCar: [3, 25],
    }),
  ];
  const bare = await bareRoute();
  const kvFloor = await kvRead(tmp);
  for (const s of sides) s.idleHealth = await sequential(`${s.hub.url}/api/health`, 500);
  for (let r = 0; r < ROUNDS; r++) {
    const batch = files.slice(r * PUSHES, (r + 1) * PUSHES);
    // Interleaved, the order alternating by round, so that the machine's drift favours neither.
    for (const s of r % 2 ? [...sides].reverse() : sides) await loadRound(s, batch);
  }
  for (const s of sides) {
    await s.hub.stop();
    s.hub = await startHub({
      kvPath: `${tmp}/${s.root ? "before" : "after"}-attack.kv`,
      env: discordEnv,
      root: s.root,
    });
    await attack(s);
  }

  const kib = (files.reduce((a, f) => a + f.bytes.length, 0) / files.length / 1024).toFixed(0);
  console.log(
    `\n## Hostile input: ${PUSHES} concurrent valid pushes (${kib} KiB ACC files), ${ROUNDS} rounds`,
  );
  console.log(`floor, a bare Deno.serve route, idle: ${lat(bare)}`);
  console.log(`floor, a plain KV read (kv.get, KV file): ${lat(kvFloor)}`);
  for (const s of sides) {
    console.log(`\n### ${s.label}`);
    console.log(`/api/health idle: ${lat(s.idleHealth)}`);
    for (const [i, r] of s.rounds.entries()) {
      const codes = [...r.statuses].map(([c, n]) => `${n}x${c}`).join(", ");
      console.log(
        `round ${i + 1}: ${r.filesPerS.toFixed(1)} files/s (${codes}); /api/health during the load: ${
          lat(r.health)
        } (${r.health.length} requests)`,
      );
    }
    const rss = s.rss!;
    console.log(
      `RSS: ${rss.base.toFixed(0)} MiB idle; peak ${rss.interactions.toFixed(0)} MiB during a 1 GiB ` +
        `unsigned body at /interactions; peak ${
          rss.pushes.toFixed(0)
        } MiB during 100 parallel unsigned 32 MiB pushes`,
    );
  }
} finally {
  for (const s of sides) await s.hub.stop();
  await Deno.remove(tmp, { recursive: true });
}
