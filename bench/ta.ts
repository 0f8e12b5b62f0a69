/**
 * Time-attack benchmark (`deno task bench --only ta`, or `deno run -A bench/ta.ts`): the season
 * standings of a 10-event season with 200 drivers and 100,000 laps, beside the floor, reading
 * the same sessions' laps alone (what any computation from stored laps must do). Also one event's
 * leaderboard (the live board's work) beside its own floor. Figures for README, not a timed test.
 *
 * The season: 10 weekly events on 10 layouts; every file is a practice session from the league's
 * server with 5-12 drivers doing 4-16 laps, about 7 % of laps with cuts, 1 car in 20 off the
 * event's list, and a file in 20 from another track (ignored). Deterministic (one seeded PRNG).
 */
import { parseArgs } from "node:util";
import { type Config, loadConfig, parseConfigFile } from "@/config.ts";
import { Importer } from "@/ingest/importer.ts";
import { getSession } from "@/kv/racing/sessions.ts";
import { trackSessionsPrefix } from "@/kv/racing/keys.ts";
import { batchingReader } from "@/kv/ta/batch_reader.ts";
import { eventBoard, seasonBoards } from "@/kv/ta/boards.ts";
import { seasonEvents, trackIdOf } from "@/kv/ta/schedule.ts";
import { computeStandings } from "@/kv/ta/standings.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    laps: { type: "string", default: "100000" },
    drivers: { type: "string", default: "200" },
    runs: { type: "string", default: "5" },
  },
});
const LAPS = Number(args.values.laps);
const DRIVERS = Number(args.values.drivers);
const RUNS = Number(args.values.runs);

let seed = 20251108;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const CARS = [["ks_mazda_mx5_cup"], ["ks_porsche_911_gt3_cup_2017"], [
  "ks_audi_r8_lms",
  "ks_ferrari_488_gt3",
]];
const EVENTS = Array.from({ length: 10 }, (_, i) => ({
  key: `event${i + 1}`,
  start: `${Temporal.PlainDate.from("2025-11-08").add({ days: 7 * i })}T00:00`,
  track: "ks_vallelunga",
  layout: `layout_${i + 1}`,
  cars: CARS[i % CARS.length]!,
}));

function config(): Config {
  const base = loadConfig((n) => (n === "PODIUM_KV" ? ":memory:" : undefined));
  const file = parseConfigFile({
    servers: [{ id: "ac-ta", game: "ac", timeZone: "America/Chicago" }],
    timeAttack: {
      server: "ac-ta",
      seasons: [{ season: 1, timeZone: "America/Chicago", dropWeeks: 2, events: EVENTS }],
    },
  }, "bench");
  return { ...base, ...file, discord: { ...file.discord, credentials: null } };
}

/** One practice file of the season's `e`-th event week. */
function acFile(e: number, n: number): { name: string; bytes: Uint8Array; laps: number } {
  const ev = EVENTS[e]!;
  const offTrack = rand() < 0.05;
  const at = Temporal.PlainDateTime.from(ev.start).add({ minutes: 60 + n * 17 % (6 * 24 * 60) });
  const guids = new Set<number>();
  const drivers = pick(5, 12);
  while (guids.size < drivers) guids.add(pick(0, DRIVERS - 1));
  const cars = [...guids].map((g, i) => ({
    g,
    id: i,
    guid: `7656119800000${String(g).padStart(4, "0")}`,
    car: rand() < 0.05 ? "ks_nissan_gtr_gt3" : ev.cars[g % ev.cars.length]!,
    skill: 90000 + (g * 7919) % 6000,
  }));
  const laps = cars.flatMap((c) =>
    Array.from({ length: pick(4, 16) }, (_, j) => {
      const ms = c.skill + pick(0, 3000) + j * 3;
      return {
        DriverName: `Driver ${c.g}`,
        DriverGuid: c.guid,
        CarId: c.id,
        CarModel: c.car,
        Timestamp: 60000 * (j + 1),
        LapTime: ms,
        Sectors: [Math.floor(ms / 3), Math.floor(ms / 3), ms - 2 * Math.floor(ms / 3)],
        Cuts: rand() < 0.07 ? pick(1, 3) : 0,
        BallastKG: 0,
        Tyre: "SM",
      };
    })
  );
  const json = {
    TrackName: offTrack ? "ks_monza66" : ev.track,
    TrackConfig: offTrack ? "" : ev.layout,
    Type: "PRACTICE",
    DurationSecs: 7200,
    RaceLaps: 0,
    Cars: cars.map((c) => ({
      CarId: c.id,
      Driver: { Name: `Driver ${c.g}`, Team: "", Guid: c.guid },
      Model: c.car,
    })),
    Result: cars.map((c) => ({
      DriverName: `Driver ${c.g}`,
      DriverGuid: c.guid,
      CarId: c.id,
      CarModel: c.car,
      BestLap: Math.min(
        ...laps.filter((l) => l.CarId === c.id && l.Cuts === 0).map((l) => l.LapTime),
        999999999,
      ),
      TotalTime: 0,
      BallastKG: 0,
    })),
    Laps: laps,
    Events: [],
  };
  const name = `${at.year}_${at.month}_${at.day}_${at.hour}_${at.minute}_PRACTICE.json`;
  return { name, bytes: new TextEncoder().encode(JSON.stringify(json, null, "\t")), laps: laps.length };
}

async function build(kv: Deno.Kv, cfg: Config): Promise<{ laps: number; files: number; ms: number }> {
  const importer = new Importer(kv, { announce: false, timeZoneOf: () => "America/Chicago" });
  let laps = 0, files = 0;
  const t = performance.now();
  function* items() {
    for (let n = 0; laps < LAPS; n++) {
      const f = acFile(n % EVENTS.length, Math.floor(n / EVENTS.length));
      laps += f.laps;
      files++;
      yield { name: f.name, bytes: f.bytes, serverId: "ac-ta" };
    }
  }
  const summary = await importer.importMany(items(), () => {});
  if (summary.rejected > 0 || !cfg.timeAttack) {
    throw new Error(`Bench import rejected ${summary.rejected} files`);
  }
  return { laps, files, ms: performance.now() - t };
}

/** The floor: the same sessions' headers and laps read and unpacked, nothing computed. */
async function readLapsAlone(kv: Deno.Kv, cfg: Config, only?: string): Promise<number> {
  const events = seasonEvents(cfg.timeAttack!.seasons[0]!).filter((e) => !only || e.key === only);
  const reader = batchingReader(kv);
  let laps = 0;
  for (const e of events) {
    const prefix = trackSessionsPrefix("ac", trackIdOf(e));
    const end = e.endMs === null ? Number.MAX_SAFE_INTEGER : e.endMs + 30 * 60_000 + 1;
    const ids = await Array.fromAsync(
      kv.list({ start: [...prefix, e.startMs], end: [...prefix, end] }),
      (x) => x.key[4] as string,
    );
    for (let i = 0; i < ids.length; i += 16) {
      const got = await Promise.all(
        ids.slice(i, i + 16).map((id) => getSession(reader, id, { withLaps: true })),
      );
      for (const s of got) laps += s?.laps?.length ?? 0;
    }
  }
  return laps;
}

type Timing = { best: number; median: number };

/** Runs `a` and `b` alternately (after one warm-up each), so that both see the same machine. */
async function timePair(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[Timing, Timing]> {
  await a();
  await b();
  const ms: [number[], number[]] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    for (const [j, fn] of [a, b].entries()) {
      const t = performance.now();
      await fn();
      ms[j]!.push(performance.now() - t);
    }
  }
  return ms.map((m) => {
    m.sort((x, y) => x - y);
    return { best: m[0]!, median: m[Math.floor(m.length / 2)]! };
  }) as [Timing, Timing];
}

const fmt = (r: Timing) => `${r.median.toFixed(0)} ms median, ${r.best.toFixed(0)} ms best`;

const dir = await Deno.makeTempDir({ prefix: "podium-bench-ta-" });
try {
  const cfg = config();
  const ta = cfg.timeAttack!, season = ta.seasons[0]!;
  const kv = await Deno.openKv(`${dir}/ta.kv`);
  const ds = await build(kv, cfg);
  console.log(
    `\n## Time attack: ${
      ds.laps.toLocaleString("en")
    } laps, ${DRIVERS} drivers, 10 events, ${ds.files} files ` +
      `(imported in ${(ds.ms / 1000).toFixed(1)} s)`,
  );
  const [floor, standings] = await timePair(
    () => readLapsAlone(kv, cfg),
    async () => computeStandings(season, await seasonBoards(kv, ta, season)),
  );
  const st = computeStandings(season, await seasonBoards(kv, ta, season));
  console.log(`Floor, reading the season's laps alone (${await readLapsAlone(kv, cfg)} laps): ${fmt(floor)}`);
  console.log(`Season standings (${st.entries.length} drivers, best ${st.counted} of 10): ${fmt(standings)}`);
  const [oneFloor, one] = await timePair(
    () => readLapsAlone(kv, cfg, "event5"),
    () => eventBoard(kv, ta, season, "event5"),
  );
  console.log(`Floor, one event's laps alone: ${fmt(oneFloor)}`);
  console.log(`One event's leaderboard (the live board's work): ${fmt(one)}`);
  kv.close();
} finally {
  await Deno.remove(dir, { recursive: true });
}
