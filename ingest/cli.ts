/**
 * `deno task import [--no-announce] [--server ID] [--verbose] PATH...`: backfills result files
 * and folders (recursively) into Podium's KV. Lists every rejected file with its reason, counts
 * skipped files by reason (`--verbose` lists them too) and ends with one line of counts. Exit 0 when the run completed, rejected files included; 2 when it could not run
 * or had to stop (it then says why and that a re-run finishes the job).
 */
import { parseArgs } from "node:util";
import { loadConfigOrReport, timeZoneOf } from "@/config.ts";
import { Importer, type ImportItem, type ImportReport } from "@/ingest/importer.ts";
import { openKv } from "@/kv/open.ts";
import { collectFiles } from "@/ingest/walk.ts";
import { Progress } from "@/ingest/progress.ts";
import { MAX_FILE_BYTES } from "@/ingest/pipeline.ts";
import { contention, StoreBusyError } from "@/kv/retry.ts";

const USAGE = "Usage: deno task import [--no-announce] [--server ID] [--verbose] PATH...";

/** Runs the import CLI; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        "no-announce": { type: "boolean", default: false },
        server: { type: "string" },
        verbose: { type: "boolean", short: "v", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    console.error(`No files or folders given\n${USAGE}`);
    return 2;
  }
  const config = loadConfigOrReport();
  if (config === null) return 2;
  const serverId = parsed.values.server;
  if (serverId !== undefined && !config.servers.some((s) => s.id === serverId)) {
    const known = config.servers.map((s) => `"${s.id}"`).join(", ") || "none (set PODIUM_CONFIG)";
    console.error(`Unknown server "${serverId}": configured servers are ${known}`);
    return 2;
  }
  let paths: string[];
  try {
    paths = await collectFiles(parsed.positionals);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  if (config.kvPath === null) {
    console.error("Set PODIUM_KV to the KV to import into (a path or a KV Connect URL)");
    return 2;
  }
  let kv: Deno.Kv;
  try {
    kv = await openKv(config.kvPath);
  } catch (err) {
    console.error(`Cannot open KV "${config.kvPath}": ${(err as Error).message}`);
    return 2;
  }
  const importer = new Importer(kv, {
    announce: !parsed.values["no-announce"],
    preload: paths.length >= 100,
    timeZoneOf: (id) => timeZoneOf(config, id),
    lapLimits: config.laps,
    etlRules: config.etl.exclude,
  });
  const progress = new Progress(paths.length, Deno.stderr.isTerminal());
  const rejected: ImportReport[] = [];
  async function* items(): AsyncGenerator<ImportItem> {
    for (const path of paths) {
      const reject = (reason: string) => {
        progress.note(`rejected  ${path}: ${reason}`);
        rejected.push({ name: path, origin: path, status: "rejected", reason });
        progress.tick();
      };
      let bytes: Uint8Array, stat: Deno.FileInfo;
      try {
        // Sync reads: the import is the only work of this process, and async file ops cost more here.
        stat = Deno.statSync(path);
        if (stat.size > MAX_FILE_BYTES) {
          reject(`${(stat.size / 1024 / 1024).toFixed(1)} MiB is over the 32 MiB limit`);
          continue;
        }
        bytes = Deno.readFileSync(path);
      } catch (err) {
        reject(`cannot read it (${(err as Error).message})`);
        continue;
      }
      const item: ImportItem = { name: path.split(/[\\/]/).pop()!, bytes, origin: path };
      if (serverId !== undefined) item.serverId = serverId;
      if (stat.mtime) item.modifiedAt = stat.mtime;
      yield item;
    }
  }
  // Counted here, not from importMany's result: a run that stops early still says what it did.
  const summary = { imported: 0, duplicate: 0, skipped: 0, rejected: 0 };
  const skippedBy = new Map<string, number>();
  let failure: unknown = null;
  try {
    await importer.importMany(items(), (r) => {
      if (r.status === "rejected") {
        rejected.push(r);
        progress.note(`rejected  ${r.origin ?? r.name}: ${r.reason}`);
      } else {
        summary[r.status]++;
        if (r.status === "skipped") {
          const reason = r.reason ?? "no reason given";
          skippedBy.set(reason, (skippedBy.get(reason) ?? 0) + 1);
          if (parsed.values.verbose) progress.note(`skipped   ${r.origin ?? r.name}: ${reason}`);
        }
      }
      progress.tick();
    });
  } catch (err) {
    failure = err;
  }
  progress.done();
  kv.close();
  summary.rejected = rejected.length;
  if (contention.busyRetries > 0 || contention.replans > 0) {
    console.log(
      `shared the store with another writer: ${contention.busyRetries} busy waits, ${contention.replans} re-plans`,
    );
  }
  if (skippedBy.size > 0) {
    const hint = parsed.values.verbose ? "" : " (--verbose lists the files)";
    console.log(`skipped by reason${hint}:`);
    for (const [reason, n] of [...skippedBy].sort((a, b) => b[1] - a[1])) console.log(`  ${n}  ${reason}`);
  }
  console.log(
    `imported ${summary.imported}, duplicate ${summary.duplicate}, skipped ${summary.skipped}, rejected ${summary.rejected}`,
  );
  if (failure !== null) {
    const why = failure instanceof StoreBusyError
      ? `the store "${config.kvPath}" stayed busy: ${failure.message}`
      : `${(failure as Error)?.message ?? String(failure)}`;
    console.error(
      `Stopped before the end: ${why}. Nothing is half-written; run the same command again to finish ` +
        `(files already imported count as duplicates)`,
    );
    return 2;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
