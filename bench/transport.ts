/**
 * Getting files in, timed (numbers for README, not a test). Run by `deno task bench` or alone:
 * `deno task bench --only transport`, or `deno run -A bench/transport.ts [--files 100] [--remote 10000]
 * [--part push|ssh]`.
 *
 * 1. Push latency: a record-setting result file written into a watched folder -> the agent (its
 *    own process, with README's permissions) -> the hub (main.ts in its own process, a KV file,
 *    Discord on) -> the post at the fake Discord on loopback, one file at a time. Beside it, the
 *    floor measured in the same run: the same kind of file pushed straight to the hub by this
 *    process, to its post (no agent).
 * 2. SSH poll: one poll of a remote folder of N files of which 10 are new (a real OpenSSH sshd on
 *    loopback), beside the floor: a bare SFTP listing of the same folder (log in, list, close).
 */
import { parseArgs } from "node:util";
import { generateAccFiles } from "@/fixtures/gen_acc.ts";
import { startAgent, startHub } from "@/tests/transport/_hub.ts";
import { pushRequest } from "@/tests/transport/_push.ts";
import { accFile, type AccFixtureCar } from "@/tests/_acc_file.ts";
import { discordEnvFor, startFakeDiscord } from "@/tests/fakes/discord.ts";
import { sshdAvailable, startSshd } from "@/tests/fakes/sshd.ts";
import { connectSsh } from "@/lib/ssh.ts";
import { pollSource, type SourceReport } from "@/ingest/ssh_poll.ts";
import { SeenFiles } from "@/kv/transport/ssh_state.ts";
import { loadConfig, type SshSource } from "@/config.ts";
import { RankCache } from "@/kv/racing/rank_cache.ts";
import { ViewCache } from "@/kv/view_cache.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    files: { type: "string", default: "100" },
    remote: { type: "string", default: "10000" },
    part: { type: "string" },
  },
});
const FILES = Number(args.values.files);
const REMOTE = Number(args.values.remote);
const SECRET = "bench-secret";
const ROUNDS = 9;
const RECORDS = "600000000000000011";
const RESULTS = "600000000000000012";

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

function summary(xs: number[]): string {
  return `p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms, max ${
    Math.max(...xs).toFixed(0)
  } ms`;
}

/** Distinct, realistic ACC files (a practice server's shape, about 45 KiB, UTF-16LE). */
function* corpus(seed: number) {
  yield* generateAccFiles(1_000_000, {
    seed,
    drivers: 3000,
    tracks: 25,
    carsPerSession: [1, 8],
    lapsPerCar: [3, 25],
  });
}

/**
 * The i-th ACC qualifying file (20 cars, 15 laps, about 200 KiB UTF-16LE): its fastest driver beats
 * the standing Monza record, so every file is announced. The driver's name carries `i`, so a post
 * is matched to its file.
 */
function recordFile(i: number): { name: string; bytes: Uint8Array; tag: string } {
  const tag = `Step${i}`;
  const cars: AccFixtureCar[] = Array.from({ length: 20 }, (_, c) => ({
    playerId: `S${c}`,
    first: "Bench",
    last: c === 0 ? tag : `Driver${c}`,
    laps: Array.from({ length: 15 }, (_, l) => 106_000 + c * 200 + ((l * 37) % 900)),
  }));
  cars[0]!.laps[5] = 104_000 - i * 50;
  const at = new Date(Date.UTC(2026, 0, 1, 18, 0, 0) + i * 3_600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  const name = `${String(at.getUTCFullYear()).slice(2)}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}_` +
    `${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}_Q.json`;
  return { name, bytes: accFile({ type: "Q", track: "monza", cars }), tag };
}

async function pushLatency(tmp: string): Promise<void> {
  const dir = `${tmp}/results`;
  await Deno.mkdir(dir);
  const kvPath = `${tmp}/hub.kv`;
  const posts = new Map<string, number>(); // tag -> arrival of its first post
  const discord = await startFakeDiscord({
    channels: [RECORDS, RESULTS],
    routeLimit: { limit: 100_000, windowMs: 1000 },
    globalLimit: { limit: 100_000, windowMs: 1000 },
    onMessage: (m) => {
      const at = performance.now();
      const text = JSON.stringify(m.body);
      for (const tag of text.match(/Step\d+/g) ?? []) if (!posts.has(tag)) posts.set(tag, at);
    },
  });
  await Deno.writeTextFile(
    `${tmp}/podium.json`,
    JSON.stringify({ discord: { channels: { records: RECORDS, results: RESULTS } } }),
  );
  const hub = await startHub({
    kvPath,
    env: {
      PODIUM_SECRET_ACC_EU: SECRET,
      PODIUM_CONFIG: `${tmp}/podium.json`,
      ...discordEnvFor(discord),
    },
  });
  const agent = startAgent({
    hub: hub.url,
    server: "acc-eu",
    dirs: [dir],
    state: `${tmp}/agent.json`,
    secret: SECRET,
  });
  const postOf = async (tag: string, since: number) => {
    const deadline = performance.now() + 30_000;
    while (!posts.has(tag)) {
      if (performance.now() > deadline) throw new Error(`No post for ${tag}`);
      await new Promise((r) => setTimeout(r, 1));
    }
    return posts.get(tag)! - since;
  };
  try {
    await agent.out.waitFor(/watching/);
    const realDir = await Deno.realPath(dir);
    const toPost: number[] = [], toImport: number[] = [];
    const WARMUP = 5;
    let step = 0;
    for (let i = 0; i < FILES + WARMUP; i++) {
      const f = recordFile(step++);
      await Deno.writeFile(`${dir}/${f.name}`, f.bytes);
      const written = performance.now();
      const line = await agent.out.waitFor(new RegExp(`sent ${realDir}/${f.name}: `), 30_000);
      const imported = performance.now() - written;
      if (!/: imported/.test(line)) throw new Error(`Unexpected: ${line}`);
      const posted = await postOf(f.tag, written);
      if (i >= WARMUP) [toPost[toPost.length], toImport[toImport.length]] = [posted, imported];
    }
    // The floor: the same kind of file pushed straight to the hub, to its post.
    const direct: number[] = [], directPost: number[] = [];
    for (let i = 0; i < FILES + WARMUP; i++) {
      const f = recordFile(step++);
      const t = performance.now();
      const res = await fetch(
        await pushRequest({
          secret: SECRET,
          server: "acc-eu",
          file: f.name,
          body: f.bytes,
          at: new Date(),
          base: hub.url,
        }),
      );
      await res.body?.cancel();
      if (res.status !== 201) throw new Error(`Direct push: HTTP ${res.status}`);
      const answered = performance.now() - t;
      const posted = await postOf(f.tag, t);
      if (i >= WARMUP) [direct[direct.length], directPost[directPost.length]] = [answered, posted];
    }
    const kib = (recordFile(0).bytes.length / 1024).toFixed(0);
    console.log(
      `\n## Push: file written -> agent -> hub -> post at the fake Discord (${FILES} ${kib} KiB files, one at a time, loopback)`,
    );
    console.log(`file -> agent -> hub -> post received: ${summary(toPost)}`);
    console.log(`file -> agent -> hub -> imported (the agent's answer): ${summary(toImport)}`);
    console.log(`floor, the same files pushed straight to the hub -> post received: ${summary(directPost)}`);
    console.log(`floor, the push's answer alone (HTTP + verify + import): ${summary(direct)}`);
    console.log("(the agent waits 0.1 s of quiet before a JSON file counts as complete)");
  } finally {
    await agent.stop();
    await hub.stop();
    await discord.close();
  }
}

async function sshPoll(tmp: string): Promise<void> {
  if (!sshdAvailable) {
    console.log("\n## SSH poll: SKIPPED (no /usr/sbin/sshd)");
    return;
  }
  const sshd = await startSshd();
  const kv = await Deno.openKv(`${tmp}/poll.kv`);
  try {
    const dir = `${sshd.root}/gamestats`;
    await Deno.mkdir(dir);
    const old = new TextEncoder().encode('{"placeholder": true}\n');
    for (let i = 0; i < REMOTE - 10; i++) {
      await Deno.writeFile(`${dir}/old-${String(i).padStart(5, "0")}.json`, old);
    }
    const target = {
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      privateKey: sshd.privateKey,
      hostKeyFingerprint: sshd.hostKeyFingerprint,
    };
    // What earlier polls left behind: every old file seen.
    const first = await connectSsh(target);
    const seen = await SeenFiles.load(kv, "bench");
    for (const f of await first.list(dir)) seen.add(f.name, f);
    await seen.save();
    await first.close();
    const src: SshSource = {
      id: "bench",
      server: "acc-eu",
      ...target,
      privateKeyEnv: "BENCH_KEY",
      remoteDir: dir,
      pattern: "*.json",
    };
    const deps = {
      kv,
      config: {
        ...loadConfig((n) => ({ PODIUM_KV: ":memory:" } as Record<string, string>)[n]),
        sshSources: [src],
      },
      now: () => new Date(),
      rankCache: new RankCache(),
      viewCache: new ViewCache(),
      discord: null,
      delivery: null,
    };
    const files = corpus(33);
    const polls: number[] = [], listings: number[] = [], listOnly: number[] = [];
    const phases: SourceReport["ms"][] = [];
    let fresh: string[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      for (const name of fresh) await Deno.remove(`${dir}/${name}`);
      fresh = [];
      for (let i = 0; i < 10; i++) {
        const f = files.next().value!;
        await Deno.writeFile(`${dir}/${f.name}`, f.bytes);
        fresh.push(f.name);
      }
      // The floor: what any SFTP poll must do at least (log in, list the folder, close).
      const bareListing = async () => {
        const t = performance.now();
        const bare = await connectSsh(target);
        const t2 = performance.now();
        const listed = await bare.list(dir);
        const t3 = performance.now();
        await bare.close();
        if (listed.length !== REMOTE) throw new Error(`Listed ${listed.length} files, expected ${REMOTE}`);
        return { floor: performance.now() - t, list: t3 - t2 };
      };
      const poll = async () => {
        const t = performance.now();
        const r = await pollSource(deps, src, new Date(), { env: () => sshd.privateKey, log: () => {} });
        if (r.imported !== 10 || r.listed !== REMOTE) throw new Error(`Poll: ${JSON.stringify(r)}`);
        return { ms: performance.now() - t, r };
      };
      // Alternate which goes first, so that the machine's drift does not favour one.
      const [b, p] = round % 2 ? [await bareListing(), await poll()] : [null, await poll()];
      const bare = b ?? await bareListing();
      if (round === 0) continue; // warm-up: the first connection loads ssh2 and its crypto
      polls.push(p.ms);
      phases.push(p.r.ms);
      listings.push(bare.floor);
      listOnly.push(bare.list);
    }
    const med = (xs: number[]) => pct(xs, 50);
    console.log(
      `\n## SSH poll: a remote folder of ${
        REMOTE.toLocaleString("en")
      } files, 10 new (median of ${ROUNDS} rounds)`,
    );
    console.log(
      `one poll (lease, log in, list, seen-state read, 10 downloads, 10 imports, seen-state write): ${
        med(polls).toFixed(0)
      } ms (runs ${polls.map((x) => x.toFixed(0)).join(", ")})`,
    );
    console.log(
      `floor, a bare SFTP listing (log in, list, close): ${med(listings).toFixed(0)} ms (runs ${
        listings.map((x) => x.toFixed(0)).join(", ")
      }); the readdir alone ${med(listOnly).toFixed(0)} ms`,
    );
    const phase = (k: keyof SourceReport["ms"]) => med(phases.map((x) => x[k]));
    console.log(
      `the poll's parts (medians): log in with the lease and the seen files ${phase("login")} ms, list ${
        phase("list")
      } ms, fetch and import ${phase("fetchImport")} ms, save the seen files ${phase("save")} ms`,
    );
    console.log(`poll / floor: ${(med(polls) / med(listings)).toFixed(2)}x (target at most 2x)`);
  } finally {
    kv.close();
    await sshd.close();
  }
}

const tmp = await Deno.makeTempDir({ prefix: "podium-bench-transport-" });
try {
  if (args.values.part !== "ssh") await pushLatency(tmp);
  if (args.values.part !== "push") await sshPoll(tmp);
} finally {
  await Deno.remove(tmp, { recursive: true });
}
