/**
 * Imports in the serving process: files pushed by agents and files fetched by the SSH poll go
 * through one shared `Importer` per store (its read cache stays warm), one file at a time (two
 * imports planned at once would only race each other), and delivery is kicked after each import
 * so announcements leave at once.
 */
import { timeZoneOf } from "@/config.ts";
import { Importer, type ImportItem, type ImportReport, type ImportSummary } from "@/ingest/importer.ts";
import type { IngestDeps } from "@/ingest/deps.ts";
import { isStoreBusy, StoreBusyError } from "@/kv/retry.ts";

/** Raised when the store stayed busy: the file was not stored and may be sent again. */
export class StoreBusy extends Error {}

interface Live {
  importer: Importer;
  queue: Promise<unknown>;
}

const LIVE = new WeakMap<Deno.Kv, Live>();

function liveFor(deps: IngestDeps): Live {
  let live = LIVE.get(deps.kv);
  if (!live) {
    live = {
      importer: new Importer(deps.kv, {
        announce: true,
        now: deps.now,
        timeZoneOf: (id) => timeZoneOf(deps.config, id),
        lapLimits: deps.config.laps,
        etlRules: deps.config.etl.exclude,
      }),
      queue: Promise.resolve(),
    };
    LIVE.set(deps.kv, live);
  }
  return live;
}

/**
 * Imports one file now and kicks delivery. Throws `StoreBusy` when the store could not take it
 * (the caller answers "try again later"); every other outcome is in the report.
 */
export async function importLive(deps: IngestDeps, item: ImportItem): Promise<ImportReport> {
  const live = liveFor(deps);
  const run = live.queue.then(() => live.importer.importOne(item));
  live.queue = run.catch(() => {});
  let report: ImportReport;
  try {
    report = await run;
  } catch (err) {
    if (err instanceof StoreBusyError || isStoreBusy(err)) {
      throw new StoreBusy(`Cannot store "${item.name}" now: ${(err as Error).message}`);
    }
    throw err;
  }
  if (report.status === "rejected" && report.transient) {
    throw new StoreBusy(`Cannot store "${item.name}" now: ${report.reason}`);
  }
  if (report.status === "imported") deps.delivery?.kick();
  return report;
}

/**
 * Imports a run of files (an SSH poll's new files) several per atomic commit, reporting each as
 * its fate is known, then kicks delivery once. Throws `StoreBusy` when the store could not take
 * them: files already reported are stored, the rest are not.
 */
export async function importLiveMany(
  deps: IngestDeps,
  items: AsyncIterable<ImportItem>,
  onReport: (r: ImportReport) => void,
): Promise<ImportSummary> {
  const live = liveFor(deps);
  const run = live.queue.then(() => live.importer.importMany(items, onReport));
  live.queue = run.catch(() => {});
  let summary: ImportSummary;
  try {
    summary = await run;
  } catch (err) {
    if (err instanceof StoreBusyError || isStoreBusy(err)) {
      throw new StoreBusy(`Cannot store files now: ${(err as Error).message}`);
    }
    throw err;
  } finally {
    deps.delivery?.kick();
  }
  return summary;
}
