/**
 * Live timing, timed (figures for docs/live.md, not a test). Run by `deno task bench --only live`
 * or alone: `deno run -A bench/live.ts [--rounds 12]`.
 *
 * A lap completed at the fake AC server (tests/fakes/ac_server.ts, real UDP on loopback) -> the
 * agent's relay (agent/ac_plugin.ts, batching, signing) -> the hub (the app on a loopback port,
 * its KV, Discord on against the fake Discord) -> (1) visible in `GET /api/live/:server`, polled
 * every 5 ms, and (2) the time-attack live leaderboard edited at the fake Discord (the KV watch,
 * crons/ta_live.ts). Each round waits out the board's 5 s throttle, so every lap is a fresh edit.
 * Beside them, the floor measured in the same run: a bare signed `POST /api/live` of a batch of
 * the same size from this process (no UDP, no batching, no polling), to its answer.
 */
import { parseArgs } from "node:util";
import { createApp } from "@/app.ts";
import { rotateTimeAttack } from "@/crons/ta_rotation.ts";
import { watchLiveBoard } from "@/crons/ta_live.ts";
import { AcPluginRelay } from "@/agent/ac_plugin.ts";
import { signedHeaders } from "@/agent/sign.ts";
import { FakeAcServer } from "@/tests/fakes/ac_server.ts";
import { taDiscordEnv } from "@/tests/ta/_discord_env.ts";

const args = parseArgs({ args: Deno.args, options: { rounds: { type: "string", default: "12" } } });
const ROUNDS = Number(args.values.rounds);
const SECRET = "bench-live-secret";
Deno.env.set("PODIUM_SECRET_AC_TA", SECRET);
Deno.env.set("PODIUM_SECRET_AC_OTHER", SECRET);
const CAR = "ks_mazda_mx5_cup";

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

function summary(xs: number[]): string {
  return `p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms, max ${
    Math.max(...xs).toFixed(0)
  } ms`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const today = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const env = await taDiscordEnv([{
  season: 1,
  timeZone: "UTC",
  events: [{
    key: "live",
    start: `${today}T00:00`,
    track: "ks_vallelunga",
    layout: "club_circuit",
    cars: [CAR],
  }],
}]);
const app = createApp(env.deps);
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
const hub = `http://127.0.0.1:${server.addr.port}`;
const fake = await FakeAcServer.start();
const dir = await Deno.makeTempDir({ prefix: "podium-bench-live-" });
const relay = new AcPluginRelay({
  hub,
  server: "ac-ta",
  secret: SECRET,
  listenPort: 0,
  serverPort: fake.port,
  queueFile: `${dir}/queue.json`,
  log: () => {},
  maxCars: 8,
});
let stopWatch = () => {};
try {
  await relay.start();
  fake.pluginPort = relay.port();
  await rotateTimeAttack(env.ta, new Date());
  const board = env.in("leaderboard")[0];
  if (!board) throw new Error("The live leaderboard was not posted");
  const watch = watchLiveBoard(env.ta);
  stopWatch = () => watch.stop();
  fake.newSession({ track: "ks_vallelunga", layout: "club_circuit", name: "Practice", type: 1 });
  for (let i = 0; i < 8; i++) {
    fake.connect({ carId: i, driver: `Driver ${i}`, guid: `7656119000000${i}`, model: CAR, skin: "" });
  }
  const lapsOf = async (carId: number) => {
    const v = await (await fetch(`${hub}/api/live/ac-ta`)).json();
    return v.cars.find((c: { carId: number }) => c.carId === carId)?.laps ?? 0;
  };
  while (await lapsOf(7) !== 0 || (await (await fetch(`${hub}/api/live/ac-ta`)).json()).cars.length < 8) {
    await sleep(20);
  }

  // The board was just posted: its first edit may only come 5 s later.
  await sleep(5_200);
  const api: number[] = [], edit: number[] = [], floor: number[] = [];
  let batchBytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const carId = round % 8;
    const before = await lapsOf(carId);
    const edits = board.edits;
    const t0 = performance.now();
    fake.lap(carId, 100_000 - round * 10);
    let seenApi = false, seenEdit = false;
    while (!seenApi || !seenEdit) {
      if (!seenApi && await lapsOf(carId) > before) {
        api.push(performance.now() - t0);
        seenApi = true;
      }
      if (!seenEdit && board.edits > edits) {
        edit.push(performance.now() - t0);
        seenEdit = true;
      }
      if (performance.now() - t0 > 20_000) {
        throw new Error(`Round ${round}: no ${seenApi ? "edit" : "live lap"}`);
      }
      await sleep(5);
    }
    // The floor: the same batch shape and size, signed and posted straight to the hub.
    const at = Date.now();
    const body = new TextEncoder().encode(JSON.stringify({
      stream: "floor-stream-0000-0000-0000-000000000000",
      sentAt: at,
      events: [{
        type: "lap",
        carId: 0,
        lapMs: 100_000,
        cuts: 0,
        board: Array.from(
          { length: 8 },
          (_, i) => ({ carId: i, bestLapMs: 100_000, laps: 1, completed: false }),
        ),
        grip: 0.98,
        seq: round + 1,
        at,
      }],
      done: [],
    }));
    batchBytes = body.length;
    const f0 = performance.now();
    const headers = await signedHeaders(SECRET, {
      server: "ac-other",
      file: `live-${round + 1}.json`,
      body,
      timestamp: Math.floor(at / 1000),
    });
    const res = await fetch(`${hub}/api/live`, { method: "POST", headers, body });
    if (res.status !== 200) throw new Error(`Floor push answered ${res.status}: ${await res.text()}`);
    await res.body?.cancel();
    floor.push(performance.now() - f0);
    // Wait out the live board's 5 s throttle: the next lap is a fresh edit, not a held one.
    await sleep(5_200);
  }
  console.log(`\n## Live timing (${ROUNDS} laps, one every ~5 s; a batch is about ${batchBytes} bytes)`);
  console.log(`Lap at the AC server -> visible in /api/live: ${summary(api)}`);
  console.log(`Lap at the AC server -> live leaderboard edit at the fake Discord: ${summary(edit)}`);
  console.log(`Floor, a bare signed POST /api/live of the same size: ${summary(floor)}`);
} finally {
  stopWatch();
  await relay.stop();
  fake.close();
  await server.shutdown();
  await env.close();
  await Deno.remove(dir, { recursive: true });
}
