/** Time-attack test helpers: a league config, generated AC result files and an importer for them. */
import { type Config, loadConfig, parseConfigFile, type TimeAttackConfig } from "@/config.ts";
import { Importer } from "@/ingest/importer.ts";
import { readSample } from "@/tests/_samples.ts";

/** The TA server's zone differs from the season's on purpose: file times use the server's. */
export const SERVER_ZONE = "Europe/Berlin";
export const SEASON_ZONE = "America/Chicago";

/** A season over the real samples plus generated events (starts are Chicago wall clock). */
export const SEASON_1 = {
  season: 1,
  timeZone: SEASON_ZONE,
  dropWeeks: 1,
  points: { rule: "ratio" },
  events: [
    // Samples 2019_2_15_21_8 / 21_16 (Berlin 21:08 = Chicago 14:08) are preseason, on barbagallo.
    {
      key: "preseason",
      start: "2019-02-01T00:00",
      track: "barbagallo",
      layout: "",
      cars: ["rss_formula_rss_4"],
      counts: false,
    },
    // Samples 2019_2_15_22_3 / 22_10 (Chicago 15:03, 15:10): event1 starts at 15:00.
    {
      key: "event1",
      name: "Week 1",
      start: "2019-02-15T15:00",
      track: "ks_red_bull_ring",
      layout: "layout_national",
      cars: ["rss_formula_rss_4"],
    },
    // Samples 2019_3_2_*: the Nissan is not on this event's list.
    {
      key: "event2",
      start: "2019-03-01T00:00",
      track: "suzuka",
      layout: "suzukagp",
      cars: ["ks_mclaren_650_gt3", "ks_mercedes_amg_gt3"],
    },
    ...Array.from({ length: 8 }, (_, i) => ({
      key: `event${i + 3}`,
      start: `${Temporal.PlainDate.from("2019-03-08").add({ days: 7 * i })}T00:00`,
      track: "ks_vallelunga",
      layout: `layout_${i + 3}`,
      cars: ["ks_mazda_mx5_cup"],
    })),
  ],
};

/** The config file of a league with one AC time-attack server. */
export function taConfigFile(
  seasons: unknown[] = [SEASON_1],
  extra: Record<string, unknown> = {},
): {
  servers: { id: string; game: string; timeZone?: string }[];
  timeAttack: { server: string; seasons: Record<string, unknown>[] };
} {
  return {
    servers: [{ id: "ac-ta", game: "ac", timeZone: SERVER_ZONE }, { id: "ac-other", game: "ac" }],
    timeAttack: { server: "ac-ta", seasons: seasons as Record<string, unknown>[], ...extra },
  };
}

/** A full Config around `taConfigFile(...)`. */
export function taConfig(seasons?: unknown[], extra?: Record<string, unknown>): Config {
  return configOf(taConfigFile(seasons, extra));
}

/** A full Config around a config file's content (validated). */
export function configOf(raw: unknown): Config {
  const base = loadConfig((n) => (n === "PODIUM_KV" ? ":memory:" : undefined));
  const file = parseConfigFile(raw, "test.json");
  return { ...base, ...file, discord: { ...file.discord, credentials: null } };
}

/** The validated timeAttack section. */
export function ta(config: Config): TimeAttackConfig {
  return config.timeAttack!;
}

/** One lap of a generated file. */
export interface GenLap {
  guid: string;
  name?: string;
  car: string;
  ms: number;
  cuts?: number;
}

/** An AC result file as acServer writes it, named after its local (server-zone) time. */
export function acFile(opts: {
  /** Server wall clock, e.g. "2019-03-10T02:45". */
  at: string;
  track: string;
  layout?: string;
  type?: "PRACTICE" | "QUALIFY" | "RACE";
  laps: GenLap[];
}): { name: string; bytes: Uint8Array } {
  const t = Temporal.PlainDateTime.from(opts.at);
  const type = opts.type ?? "PRACTICE";
  const name = `${t.year}_${t.month}_${t.day}_${t.hour}_${t.minute}_${type}.json`;
  const guids = [...new Set(opts.laps.map((l) => l.guid))];
  const carIds = new Map(guids.map((g, i) => [g, i]));
  const nameOf = (g: string) => opts.laps.find((l) => l.guid === g)?.name ?? `Driver ${g.slice(-4)}`;
  const best = (g: string) =>
    Math.min(999999999, ...opts.laps.filter((l) => l.guid === g && !l.cuts).map((l) => l.ms));
  const json = {
    TrackName: opts.track,
    TrackConfig: opts.layout ?? "",
    Type: type,
    DurationSecs: 3600,
    RaceLaps: 0,
    Cars: guids.map((g) => ({
      CarId: carIds.get(g),
      Driver: { Name: nameOf(g), Team: "", Guid: g },
      Model: opts.laps.find((l) => l.guid === g)!.car,
      Skin: "",
      BallastKG: 0,
    })),
    Result: guids.map((g) => ({
      DriverName: nameOf(g),
      DriverGuid: g,
      CarId: carIds.get(g),
      CarModel: opts.laps.find((l) => l.guid === g)!.car,
      BestLap: best(g),
      TotalTime: 0,
      BallastKG: 0,
    })),
    Laps: opts.laps.map((l, i) => ({
      DriverName: nameOf(l.guid),
      DriverGuid: l.guid,
      CarId: carIds.get(l.guid),
      CarModel: l.car,
      Timestamp: 1000 * (i + 1),
      LapTime: l.ms,
      Sectors: [Math.floor(l.ms / 3), Math.floor(l.ms / 3), l.ms - 2 * Math.floor(l.ms / 3)],
      Cuts: l.cuts ?? 0,
      BallastKG: 0,
      Tyre: "SM",
    })),
    Events: [],
  };
  return { name, bytes: new TextEncoder().encode(JSON.stringify(json, null, "\t")) };
}

/** An importer of the TA league's files (zones from the config), announcing nothing. */
export function taImporter(
  kv: Deno.Kv,
  config: Config,
  now = () => new Date("2026-01-05T12:00:00Z"),
): Importer {
  return new Importer(kv, {
    announce: false,
    now,
    timeZoneOf: (id) => config.servers.find((s) => s.id === id)?.timeZone,
  });
}

/** Imports files as coming from `serverId` (default the TA server); throws if one is not imported. */
export async function importFiles(
  kv: Deno.Kv,
  config: Config,
  files: { name: string; bytes: Uint8Array }[],
  serverId = "ac-ta",
): Promise<void> {
  const importer = taImporter(kv, config);
  for (const f of files) {
    const r = await importer.importOne({ ...f, serverId });
    if (r.status !== "imported") throw new Error(`${f.name}: ${r.status} ${r.reason ?? ""}`);
  }
}

/** The real AC samples of the season above. */
export function seasonSamples(): { name: string; bytes: Uint8Array }[] {
  return [
    "2019_2_15_21_8_QUALIFY.json",
    "2019_2_15_21_16_RACE.json",
    "2019_2_15_22_3_QUALIFY.json",
    "2019_2_15_22_10_RACE.json",
    "2019_3_2_14_41_PRACTICE.json",
    "2019_3_2_17_27_PRACTICE.json",
    "2019_3_2_19_30_PRACTICE.json",
  ].map((name) => ({ name, bytes: readSample(`ac/assetto-server-manager/${name}`) }));
}

/** The drivers of {@link seasonFixtures}, by name: AC GUIDs. */
export const FIXTURE_DRIVERS = {
  ada: { guid: "76561190000000101", name: "Ada Quick" },
  cal: { guid: "76561190000000102", name: "Cal Turner" },
  dev: { guid: "76561190000000103", name: "Dev" },
  eli: { guid: "76561190000000104", name: "Eli Slow" },
} as const;

/**
 * Generated files for the season above, as the real samples use it (server wall clock, Berlin):
 * preseason files on barbagallo, event1 on the Red Bull Ring with a cut lap that must not count
 * and a lap set 5 minutes before event1 started in the season's zone, event2 on Suzuka with a car
 * (the Nissan) not on its list. The laps are chosen here, so the tests know every board.
 */
export function seasonFixtures(): { name: string; bytes: Uint8Array }[] {
  const { ada, cal, dev, eli } = FIXTURE_DRIVERS;
  const lap = (d: { guid: string; name: string }, car: string, ms: number, cuts = 0): GenLap => ({
    guid: d.guid,
    name: d.name,
    car,
    ms,
    cuts,
  });
  const RSS = "rss_formula_rss_4", MCL = "ks_mclaren_650_gt3", MB = "ks_mercedes_amg_gt3";
  return [
    acFile({
      at: "2019-02-15T21:08",
      track: "barbagallo",
      type: "QUALIFY",
      laps: [lap(ada, RSS, 80_000), lap(cal, RSS, 81_000)],
    }),
    acFile({ at: "2019-02-15T21:16", track: "barbagallo", type: "RACE", laps: [lap(dev, RSS, 79_000)] }),
    // 21:55 in Berlin is 14:55 in Chicago: before event1 (15:00), so this lap is no one's.
    acFile({
      at: "2019-02-15T21:55",
      track: "ks_red_bull_ring",
      layout: "layout_national",
      laps: [lap(dev, RSS, 50_000)],
    }),
    acFile({
      at: "2019-02-15T22:03",
      track: "ks_red_bull_ring",
      layout: "layout_national",
      type: "QUALIFY",
      laps: [lap(ada, RSS, 51_500), lap(cal, RSS, 50_000, 1), lap(cal, RSS, 53_100), lap(cal, RSS, 52_750)],
    }),
    acFile({
      at: "2019-02-15T22:10",
      track: "ks_red_bull_ring",
      layout: "layout_national",
      type: "RACE",
      laps: [lap(ada, RSS, 51_800), lap(cal, RSS, 52_900)],
    }),
    acFile({
      at: "2019-03-02T14:41",
      track: "suzuka",
      layout: "suzukagp",
      laps: [
        lap(ada, MCL, 125_000),
        lap(cal, MB, 126_500),
        lap(dev, MCL, 128_000),
        lap(eli, "ks_nissan_gtr_gt3", 120_000),
      ],
    }),
    acFile({
      at: "2019-03-02T17:27",
      track: "suzuka",
      layout: "suzukagp",
      laps: [lap(dev, MCL, 127_900), lap(cal, MB, 126_200)],
    }),
    acFile({ at: "2019-03-02T19:30", track: "suzuka", layout: "suzukagp", laps: [lap(ada, MB, 124_800)] }),
  ];
}
