/**
 * A small generated league for `deno task demo`, the site's browser tests and screenshots: a
 * season of ACC race weekends (bench/gen_acc.ts) on a few tracks with a pool of rivals, and AC
 * weekends (bench/gen_ac.ts), with records falling as the season goes on, penalties and the odd
 * disqualification. Deterministic.
 */
import { generateAccFiles } from "@/bench/gen_acc.ts";
import { generateAcFiles } from "@/bench/gen_ac.ts";
import type { ImportItem } from "@/ingest/importer.ts";

/** Size of the league; the defaults make about 200 sessions that import in a few seconds. */
export interface LeagueOptions {
  accSessions?: number;
  acWeekends?: number;
  seed?: number;
}

/** The league's result files, ACC then AC, each in time order. */
export function* leagueFiles(opts: LeagueOptions = {}): Generator<ImportItem> {
  const seed = opts.seed ?? 2024;
  for (
    const f of generateAccFiles(opts.accSessions ?? 200, {
      seed,
      drivers: 48,
      tracks: 11,
      carsPerSession: [10, 22],
      lapsPerCar: [6, 16],
      start: new Date(Date.UTC(2024, 0, 4, 19, 0, 0)),
      weekendGapMs: 7 * 86_400_000,
    })
  ) yield { name: f.name, bytes: f.bytes };
  for (const f of generateAcFiles(opts.acWeekends ?? 24, { seed: seed + 1, drivers: 30, tracks: 4 })) {
    yield { name: f.name, bytes: f.bytes };
  }
}
