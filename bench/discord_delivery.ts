/**
 * Announcement latency (a figure for README, not a timed test): the serving process imports a
 * record-setting ACC result file (20 cars, 15 laps each) into a KV file, kicks delivery, and the
 * fake Discord on loopback receives the post. Measured from the start of the import to the post's
 * arrival, N times; beside it, in the same run, the floor: a bare `createMessage` round trip to
 * the same fake, and the import alone. Then a few CLI imports from another process: from the CLI's
 * exit to the post.
 * Usage: deno run -A bench/discord_delivery.ts [--imports 50]
 */
import { parseArgs } from "node:util";
import { loadConfig } from "@/config.ts";
import { Importer } from "@/ingest/importer.ts";
import { createDiscordApi } from "@/discord/rest.ts";
import { startDelivery } from "@/discord/delivery.ts";
import { RankCache } from "@/kv/racing/rank_cache.ts";
import { ViewCache } from "@/kv/view_cache.ts";
import type { AppDeps } from "@/deps.ts";
import { accFile, type AccFixtureCar } from "@/tests/_acc_file.ts";
import { type FakeMessage, startFakeDiscord } from "@/tests/fakes/discord.ts";
import { fromFileUrl } from "@/tests/_path.ts";

const args = parseArgs({ args: Deno.args, options: { imports: { type: "string", default: "50" } } });
const N = Number(args.values.imports);
const RECORDS = "600000000000000001";
const RESULTS = "600000000000000002";
const CLI_RUNS = 5;
const CLI = fromFileUrl(new URL("../ingest/cli.ts", import.meta.url));

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
const fmt = (xs: number[]) =>
  `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

/** A Q file in which driver S0 beats the standing record by 50 ms per step. */
function recordFile(step: number): { name: string; bytes: Uint8Array } {
  const cars: AccFixtureCar[] = Array.from({ length: 20 }, (_, c) => ({
    playerId: `S${c}`,
    first: "Bench",
    last: `Driver${c}`,
    laps: Array.from({ length: 15 }, (_, l) => 106_000 + c * 200 + ((l * 37) % 900)),
  }));
  cars[0]!.laps[5] = 104_000 - step * 50;
  const at = new Date(Date.UTC(2026, 0, 1, 18, 0, 0) + step * 3_600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  const name = `${String(at.getUTCFullYear()).slice(2)}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}_` +
    `${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}_Q.json`;
  return { name, bytes: accFile({ type: "Q", track: "monza", cars }) };
}

const tmp = await Deno.makeTempDir({ prefix: "podium-bench-discord-" });
let waiting: ((m: FakeMessage) => void) | null = null;
// Limits far above this run's rate, so the floor is the round trip and not a bucket's wait.
const discord = await startFakeDiscord({
  onMessage: (m) => waiting?.(m),
  routeLimit: { limit: 100_000, windowMs: 1000 },
  globalLimit: { limit: 100_000, windowMs: 1000 },
});
const kv = await Deno.openKv(`${tmp}/kv.sqlite`);
const api = createDiscordApi({
  token: discord.token,
  applicationId: discord.applicationId,
  apiBase: discord.apiBase,
});
// PODIUM_QUEUES=off measures delivery without KV queues (as on Deno Deploy today).
const base = loadConfig((name) => name === "PODIUM_QUEUES" ? Deno.env.get(name) : undefined);
const deps: AppDeps = {
  kv,
  config: { ...base, discord: { channels: { records: RECORDS, results: RESULTS }, credentials: null } },
  now: () => new Date(),
  rankCache: new RankCache(),
  viewCache: new ViewCache(),
  discord: api,
  delivery: null,
};
const delivery = startDelivery(deps, { log: (l) => console.error(l) });
deps.delivery = delivery;
const importer = new Importer(kv, { announce: true });
try {
  // Warm up: code paths compiled, the track and its board in place.
  for (let i = 0; i < 3; i++) {
    const arrived = new Promise<FakeMessage>((r) => waiting = r);
    await importer.importOne(recordFile(i));
    delivery.kick();
    await arrived;
  }
  await delivery.idle();
  const total: number[] = [], importOnly: number[] = [], floor: number[] = [];
  for (let i = 0; i < N; i++) {
    const file = recordFile(i + 3);
    const arrived = new Promise<FakeMessage>((r) => waiting = r);
    const t0 = performance.now();
    const report = await importer.importOne(file);
    const t1 = performance.now();
    if (report.status !== "imported" || report.announcements !== 1) {
      throw new Error(`Not a record: ${JSON.stringify(report)}`);
    }
    delivery.kick();
    await arrived;
    total.push(performance.now() - t0);
    importOnly.push(t1 - t0);
    await delivery.idle();
  }
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await api.createMessage(RESULTS, { embeds: [{ title: `floor ${i}` }], allowed_mentions: { parse: [] } });
    floor.push(performance.now() - t0);
  }
  const posted = discord.channelMessages(RECORDS).length;
  if (posted !== N + 3) throw new Error(`Expected ${N + 3} posts, the fake has ${posted}`);
  // A backfill from the CLI in another process: noticed by the outbox poll (every 1 s), not by
  // the KV queue (which would take about 60 s across processes).
  const cli: number[] = [];
  for (let i = 0; i < CLI_RUNS; i++) {
    const file = recordFile(N + 3 + i);
    await Deno.writeFile(`${tmp}/${file.name}`, file.bytes);
    const arrived = new Promise<FakeMessage>((r) => waiting = r);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, `${tmp}/${file.name}`],
      env: { PODIUM_KV: `${tmp}/kv.sqlite`, NO_COLOR: "1" },
      stdout: "null",
      stderr: "inherit",
    }).output();
    const exited = performance.now();
    if (out.code !== 0) throw new Error("The import CLI failed");
    await arrived;
    cli.push(performance.now() - exited);
  }
  console.log(
    `\n## Announcements: import of a record-setting file to the post at the fake Discord (${N} imports, KV queues ${
      base.queues ? "on" : "off"
    })`,
  );
  console.log(`import -> post received:          ${fmt(total)}  (target: p95 <= 500 ms)`);
  console.log(`floor, bare createMessage to fake: ${fmt(floor)}`);
  console.log(`the import alone (in the above):  ${fmt(importOnly)}`);
  console.log(
    `CLI import in another process, its exit -> post received (${CLI_RUNS} runs, poll every 1 s): ` +
      `${cli.map((ms) => ms.toFixed(0)).join(", ")} ms`,
  );
} finally {
  await delivery.close();
  kv.close();
  await discord.close();
  await Deno.remove(tmp, { recursive: true });
}
