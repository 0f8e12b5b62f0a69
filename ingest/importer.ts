/**
 * Stores prepared files. One file is one atomic commit; a backfill packs many files into each
 * commit (a group commit) for speed, and a group that loses a race is replayed file by file.
 */
import { type ApplyResult, applySession } from "@/kv/racing/apply.ts";
import { ConflictError, KvTxn, TooLargeError } from "@/kv/txn.ts";
import { ReadCache } from "@/kv/cache.ts";
import { backoffMs, contention, StoreBusyError } from "@/kv/retry.ts";
import { sessionIdFor, stageLaps } from "@/kv/racing/sessions.ts";
import { type PreparedFile, prepareFile } from "@/ingest/pipeline.ts";
import type { FileContext, NormalizedSession } from "@/games/racing/types.ts";
import type { LapLimits } from "@/games/racing/laps.ts";
import type { EtlRound } from "@/games/etl/parser.ts";
import type { EtlEndstats } from "@/games/etl/endstats.ts";
import type { EtlExclusionConfig } from "@/games/etl/exclusion.ts";
import { applyEtlRound, EtlRoundExistsError, etlRoundId } from "@/kv/etl/apply.ts";
import { applyEtlEndstats, EndstatsExistsError } from "@/kv/etl/endstats.ts";
import { reconcileLiveLaps } from "@/kv/live/reconcile.ts";
import { recordFailed } from "@/kv/etl/failed.ts";

const ETL_NAME = /-round-\d+(-endstats)?\.txt$/;

/** An ET:Legacy file: a round's stats or its endstats. */
type EtlFile = { status: "etl"; round: EtlRound } | { status: "etl_endstats"; endstats: EtlEndstats };

/** A file handed to the importer. */
export interface ImportItem {
  name: string;
  bytes: Uint8Array;
  /** Game server id from the configuration (for its time zone). */
  serverId?: string;
  /** The IANA zone of the file's times, when its source says so (overrides the server's). */
  timeZone?: string;
  modifiedAt?: Date;
  /** Where it came from, for messages (a path or a URL). */
  origin?: string;
}

/** What happened to one file. */
export interface ImportReport {
  name: string;
  origin?: string;
  status: "imported" | "duplicate" | "skipped" | "rejected";
  reason?: string;
  sha256?: string;
  sessionId?: string;
  records?: number;
  personalBests?: number;
  announcements?: number;
  /** A rejection that may pass on a later try (the store was busy, or kept losing races). */
  transient?: boolean;
  /** The SHA-256 of a shorter file with the same name that this one completed and replaced. */
  replaced?: string;
}

/** Counts for the closing line of a run. */
export interface ImportSummary {
  imported: number;
  duplicate: number;
  skipped: number;
  rejected: number;
}

/** How the importer behaves. */
export interface ImporterOptions {
  /** False for backfills: nothing is announced. */
  announce: boolean;
  /** The clock, injectable for tests. */
  now?: () => Date;
  /** The IANA zone of a configured game server. */
  timeZoneOf?: (serverId: string | undefined) => string | undefined;
  /** Files per group commit in `importMany` (1 disables grouping). */
  groupSize?: number;
  /**
   * Load the store's existing keys once before a large backfill, so that keys never seen need no
   * read (worth it when the run is large compared with the store).
   */
  preload?: boolean;
  /** The plausible lap range (config `laps`). */
  lapLimits?: LapLimits;
  /** ET:Legacy: which rounds do not count (config `etl.exclude`; defaults when left out). */
  etlRules?: EtlExclusionConfig;
  /** Test hook: called just before a commit. */
  beforeCommit?: (txn: KvTxn) => void | Promise<void>;
}

/**
 * Plans per file before it is given up as "kept losing races". Two importers on the same tracks
 * conflict often (every import checks its track's key); each lost race waits a little, with jitter,
 * so the two interleave instead of colliding again.
 */
const MAX_ATTEMPTS = 60;

/** Key families an import reads by key (see kv/keys.ts). */
/** Guards come before what they guard: a value loaded after its guard is at least as new as the check. */
const PRELOADED = ["file", "track", "driver_shard", "driver", "driver_track", "board_count"];

type Parsed = { item: ImportItem; prepared: PreparedFile; session: NormalizedSession };

/** One parsed file of a group commit: planned into a transaction, or stored alone. */
interface Job {
  /** Plans the file's writes; the returned function gives its report once the commit landed. */
  plan(txn: KvTxn): Promise<() => ImportReport>;
  /** Stores the file in its own commit (retries, and every failure as a reason). */
  alone(): Promise<ImportReport>;
}

/** Imports result files into Deno KV. */
export class Importer {
  readonly #kv: Deno.Kv;
  readonly #opts: ImporterOptions;
  readonly #cache = new ReadCache();

  constructor(kv: Deno.Kv, opts: ImporterOptions) {
    this.#kv = kv;
    this.#opts = opts;
  }

  #now(): Date {
    return this.#opts.now?.() ?? new Date();
  }

  #context(item: ImportItem): FileContext {
    const ctx: FileContext = { name: item.name };
    if (item.serverId !== undefined) ctx.serverId = item.serverId;
    const tz = item.timeZone ?? this.#opts.timeZoneOf?.(item.serverId);
    if (tz !== undefined) ctx.timeZone = tz;
    if (item.modifiedAt !== undefined) ctx.modifiedAt = item.modifiedAt;
    if (this.#opts.lapLimits !== undefined) ctx.lapLimits = this.#opts.lapLimits;
    return ctx;
  }

  /** Hashes, decodes and parses a file; never throws. */
  prepare(item: ImportItem): PreparedFile {
    return prepareFile(item.bytes, this.#context(item));
  }

  #report(
    p: Parsed | { item: ImportItem; prepared: PreparedFile },
    extra: Partial<ImportReport>,
  ): ImportReport {
    const r: ImportReport = { name: p.item.name, status: "rejected", sha256: p.prepared.sha256, ...extra };
    if (p.item.origin !== undefined) r.origin = p.item.origin;
    return r;
  }

  #fromApply(p: Parsed, res: ApplyResult): ImportReport {
    if (res.status === "duplicate") {
      return this.#report(p, {
        status: "duplicate",
        sessionId: res.sessionId,
        reason: "same bytes already imported",
      });
    }
    const { status, sessionId, records, personalBests, announcements } = res;
    return this.#report(p, { status, sessionId, records, personalBests, announcements });
  }

  async #apply(txn: KvTxn, p: Parsed, lapsStaged = false, indexTxn?: KvTxn): Promise<ApplyResult> {
    const countedLive = p.session.game === "ac" && p.item.serverId !== undefined
      ? await reconcileLiveLaps(txn, p.item.serverId, p.session)
      : undefined;
    return await applySession(txn, p.session, {
      fileName: p.item.name,
      sha256: p.prepared.sha256,
      importedAt: this.#now(),
      lapsStaged,
      ...(p.item.serverId !== undefined ? { serverId: p.item.serverId } : {}),
    }, {
      announce: this.#opts.announce,
      now: this.#now(),
      ...(indexTxn ? { indexTxn } : {}),
      ...(countedLive ? { countedLive } : {}),
    });
  }

  async #commit(txn: KvTxn): Promise<void> {
    await this.#opts.beforeCommit?.(txn);
    await txn.commit();
  }

  /** Stores one parsed file in its own atomic commit, planning again if another import raced it. */
  async #storeOne(p: Parsed): Promise<ImportReport> {
    let staged = false, indexApart = false;
    for (let attempt = 1;; attempt++) {
      const txn = new KvTxn(this.#kv, { cache: this.#cache });
      const indexTxn = indexApart ? new KvTxn(this.#kv) : undefined;
      try {
        const res = await this.#apply(txn, p, staged, indexTxn);
        if (res.status === "duplicate") return this.#fromApply(p, res);
        await this.#commit(txn);
        // Derived data only: were this lost, the next profile write (at the latest a week of the
        // driver's sessions later) indexes the driver again.
        if (indexTxn) await indexTxn.commit();
        return this.#fromApply(p, res);
      } catch (err) {
        if (err instanceof ConflictError && attempt < MAX_ATTEMPTS) {
          contention.replans++;
          await sleep(backoffMs(attempt, { firstDelayMs: 2, maxDelayMs: 100, random: Math.random }));
          continue;
        }
        // The store itself is unavailable: no file is to blame; the caller stops and says so.
        if (err instanceof StoreBusyError) throw err;
        if (err instanceof TooLargeError && !staged) {
          // An endurance race's laps can outgrow one commit: write them first, then the rest.
          await stageLaps(this.#kv, sessionIdFor(p.session, p.prepared.sha256), p.session.laps);
          staged = true;
          continue;
        }
        if (err instanceof TooLargeError && !indexApart) {
          indexApart = true;
          continue;
        }
        const transient = !(err instanceof TooLargeError);
        return this.#report(p, {
          status: "rejected",
          reason: storeFailure(err),
          ...(transient ? { transient } : {}),
        });
      }
    }
  }

  /** Stores one ET:Legacy round in its own atomic commit (pairing reads what earlier rounds wrote). */
  /** Plans one ET:Legacy round into `txn`; the result says whether there is anything to commit. */
  async #planEtl(txn: KvTxn, item: ImportItem, prepared: PreparedFile, file: EtlFile) {
    const res = file.status === "etl"
      ? await applyEtlRound(txn, file.round, {
        fileName: item.name,
        sha256: prepared.sha256,
        importedAt: this.#now(),
        ...(item.serverId !== undefined ? { serverId: item.serverId } : {}),
      }, {
        announce: this.#opts.announce,
        now: this.#now(),
        ...(this.#opts.etlRules ? { rules: this.#opts.etlRules } : {}),
      })
      : await applyEtlEndstats(txn, file.endstats, {
        roundId: etlRoundId(file.endstats, item.serverId),
        sha256: prepared.sha256,
        importedAt: this.#now(),
        bytes: item.bytes,
      }, { announce: this.#opts.announce, now: this.#now() });
    const at = { item, prepared };
    const report = res.status === "duplicate"
      ? this.#report(at, {
        status: "duplicate",
        sessionId: res.roundId,
        reason: "same bytes already imported",
      })
      : this.#report(at, {
        status: "imported",
        sessionId: res.roundId,
        announcements: res.announcements,
        ...("replaced" in res && res.replaced ? { replaced: res.replaced } : {}),
      });
    return { duplicate: res.status === "duplicate", report };
  }

  /** Stores one ET:Legacy round in its own atomic commit (pairing reads what earlier rounds wrote). */
  async #storeEtl(item: ImportItem, prepared: PreparedFile, round: EtlFile): Promise<ImportReport> {
    const at = { item, prepared };
    for (let attempt = 1;; attempt++) {
      const txn = new KvTxn(this.#kv, { cache: this.#cache });
      try {
        const planned = await this.#planEtl(txn, item, prepared, round);
        if (!planned.duplicate) await this.#commit(txn);
        return planned.report;
      } catch (err) {
        if (err instanceof ConflictError && attempt < MAX_ATTEMPTS) {
          contention.replans++;
          await sleep(backoffMs(attempt, { firstDelayMs: 2, maxDelayMs: 100, random: Math.random }));
          continue;
        }
        if (err instanceof StoreBusyError) throw err;
        if (err instanceof EtlRoundExistsError || err instanceof EndstatsExistsError) {
          return this.#report(at, { status: "rejected", reason: err.message });
        }
        return this.#report(at, { status: "rejected", reason: storeFailure(err) });
      }
    }
  }

  /** An ET:Legacy file refused for good is kept for `/et admin failed` (never fails the import). */
  async #noteRefused(r: ImportReport): Promise<void> {
    if (r.status !== "rejected" || r.transient || !ETL_NAME.test(r.name)) return;
    await recordFailed(this.#kv, { name: r.name, reason: r.reason ?? "refused" }, this.#now()).catch(
      () => {},
    );
  }

  /** Imports one file in its own atomic commit. */
  async importOne(item: ImportItem): Promise<ImportReport> {
    const report = await this.#importOne(item);
    await this.#noteRefused(report);
    return report;
  }

  async #importOne(item: ImportItem): Promise<ImportReport> {
    const prepared = this.prepare(item);
    if (prepared.outcome.status === "etl" || prepared.outcome.status === "etl_endstats") {
      return await this.#storeEtl(item, prepared, prepared.outcome);
    }
    if (prepared.outcome.status !== "parsed") {
      return this.#report({ item, prepared }, {
        status: prepared.outcome.status,
        reason: prepared.outcome.reason,
      });
    }
    return await this.#storeOne({ item, prepared, session: prepared.outcome.session });
  }

  /**
   * Imports many files, several per atomic commit. Each file's report is passed to `onReport`
   * as soon as its fate is known (after its group commits).
   */
  async importMany(
    items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
    onReport: (r: ImportReport) => void,
  ): Promise<ImportSummary> {
    const summary: ImportSummary = { imported: 0, duplicate: 0, skipped: 0, rejected: 0 };
    const refused: ImportReport[] = [];
    const emit = (r: ImportReport) => {
      summary[r.status]++;
      if (r.status === "rejected") refused.push(r);
      onReport(r);
    };
    const groupSize = Math.max(1, this.#opts.groupSize ?? 50);
    if (this.#opts.preload) await this.#cache.preload(this.#kv, PRELOADED);
    let group = new KvTxn(this.#kv, { cache: this.#cache });
    let pending: { job: Job; report: () => ImportReport }[] = [];
    // The group being committed while the next one is planned on top of it.
    let landing: { done: Promise<void>; batch: { job: Job; report: () => ImportReport }[] } | null = null;

    const replay = async (batch: { job: Job }[]) => {
      // Nothing of the group landed: replay each file alone so one bad file cannot sink the rest.
      for (const { job } of batch) emit(await job.alone());
    };
    const settle = async (): Promise<boolean> => {
      if (!landing) return true;
      const { done, batch } = landing;
      landing = null;
      try {
        await done;
      } catch (err) {
        if (err instanceof StoreBusyError) throw err;
        contention.replans++;
        await replay(batch);
        return false;
      }
      for (const { report } of batch) emit(report());
      return true;
    };
    const flush = async () => {
      if (pending.length === 0) return;
      const batch = pending;
      const txn = group;
      pending = [];
      group = new KvTxn(this.#kv, { cache: this.#cache });
      // This group was planned on the previous one's writes: it can only land after them.
      if (!await settle()) return await replay(batch);
      try {
        await this.#opts.beforeCommit?.(txn);
        landing = { done: txn.startCommit(), batch };
      } catch (err) {
        if (err instanceof StoreBusyError) throw err;
        this.#cache.clear();
        await replay(batch);
      }
    };

    for await (const item of items) {
      const prepared = this.prepare(item);
      const outcome = prepared.outcome;
      let job: Job;
      if (outcome.status === "etl" || outcome.status === "etl_endstats") {
        job = {
          plan: async (txn) => {
            const { report } = await this.#planEtl(txn, item, prepared, outcome);
            return () => report;
          },
          alone: () => this.#storeEtl(item, prepared, outcome),
        };
      } else if (outcome.status === "parsed") {
        const p: Parsed = { item, prepared, session: outcome.session };
        job = {
          plan: async (txn) => {
            const res = await this.#apply(txn, p);
            return () => this.#fromApply(p, res);
          },
          alone: () => this.#storeOne(p),
        };
      } else {
        emit(this.#report({ item, prepared }, { status: outcome.status, reason: outcome.reason }));
        continue;
      }
      let child = group.child();
      let report: () => ImportReport;
      try {
        report = await job.plan(child);
      } catch {
        // Too large for a group (or something failed while planning): store it alone, where every
        // failure becomes a reason on its report.
        await flush();
        await settle();
        emit(await job.alone());
        continue;
      }
      if (!group.fitsWith(child)) {
        await flush();
        const alone = group.child();
        const planned = await job.plan(alone).catch(() => null);
        if (!planned || !alone.fits()) {
          await settle();
          emit(await job.alone());
          continue;
        }
        [child, report] = [alone, planned];
      }
      group.merge(child);
      pending.push({ job, report });
      if (pending.length >= groupSize) await flush();
    }
    await flush();
    await settle();
    for (const r of refused) await this.#noteRefused(r);
    return summary;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function storeFailure(err: unknown): string {
  if (err instanceof TooLargeError) return `too large to store in one atomic write: ${err.message}`;
  if (err instanceof ConflictError) return "kept losing races with other imports; try again";
  return `could not store it: ${(err as Error)?.message ?? String(err)}`;
}
