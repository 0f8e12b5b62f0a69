/**
 * A changed `etl.exclude` config applied to the rounds already stored. The config every round was
 * judged by is kept as a fingerprint; at start-up (and from the session-end cron, which resumes a
 * walk a stopped process left half done) a different fingerprint makes every stored round judged
 * again: its content rule (bots, filler map) recomputed, its verdict taken again under the
 * restart switch, an admin's exclude/include kept. A round whose counting changes moves its
 * players' rows in the same commit. Bounded atomic batches in round-id order, each recording how
 * far the walk got; nothing is announced.
 */
import { contentExclusion, type EtlExclusionConfig } from "@/games/etl/exclusion.ts";
import { changesKey } from "@/kv/keys.ts";
import { ConflictError, KvTxn } from "@/kv/txn.ts";
import { etlExclusionStateKey, etlRoundPrefix } from "@/kv/etl/keys.ts";
import { rejudge, verdictOf } from "@/kv/etl/exclusion.ts";
import { getRound } from "@/kv/etl/rounds.ts";

/** What is stored under `etl_exclusion_state`. */
export interface ExclusionState {
  /** The config every stored round was judged by (null: unknown, before the first walk). */
  fingerprint: string | null;
  /** A walk under way: towards which config, and the last round id done. */
  pending?: { fingerprint: string; after: string | null };
}

/** The switches as one string: configs that judge alike have the same fingerprint. */
export function exclusionFingerprint(cfg: EtlExclusionConfig): string {
  const maps = [...new Set(cfg.fillerMaps.map((m) => m.toLowerCase()))].sort();
  return JSON.stringify({ restarts: cfg.restarts, bots: cfg.bots, fillerMaps: maps });
}

/** What a call did. */
export interface RejudgeReport {
  /** `current`: nothing to do; `done`: every round judged under `cfg`; `partial`: stopped after `maxBatches`. */
  status: "current" | "done" | "partial";
  /** Rounds judged again. */
  rounds: number;
  /** Rounds whose verdict changed. */
  changed: number;
  batches: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Judges every stored round again when `cfg` is not the config they were judged by (see the
 * module doc). `batch` rounds at most per commit (fewer when their players' totals would not fit
 * one Deno KV commit); `maxBatches` stops early (tests; the next call resumes).
 */
export async function rejudgeAllRounds(
  kv: Deno.Kv,
  cfg: EtlExclusionConfig,
  opts: { batch?: number; maxBatches?: number } = {},
): Promise<RejudgeReport> {
  const fp = exclusionFingerprint(cfg);
  const size = Math.max(1, opts.batch ?? 50);
  const report: RejudgeReport = { status: "current", rounds: 0, changed: 0, batches: 0 };
  for (let conflicts = 0;;) {
    const txn = new KvTxn(kv);
    const state = await txn.get<ExclusionState>(etlExclusionStateKey(), { check: true });
    if (state?.fingerprint === fp && !state.pending) return report;
    if (opts.maxBatches !== undefined && report.batches >= opts.maxBatches) {
      return { ...report, status: "partial" };
    }
    const after = state?.pending?.fingerprint === fp ? state.pending.after : null;
    const ids = await roundIdsAfter(kv, after, size);
    if (ids.length === 0) {
      txn.set(etlExclusionStateKey(), { fingerprint: fp } satisfies ExclusionState);
    } else {
      let last = after, judged = 0, changed = 0;
      for (const id of ids) {
        const child = txn.child();
        const before = await getRound(child, id, { check: true });
        let moved = false;
        if (before) {
          const contentRule = contentExclusion(before, cfg);
          const next = verdictOf({ ...before, contentRule }, cfg);
          if (!same(contentRule, before.contentRule) || !same(next, before.excluded)) {
            await rejudge(child, before, { contentRule }, cfg);
            moved = true;
          }
        }
        // A batch ends where one more round's writes would not fit one commit.
        if (judged > 0 && !txn.fitsWith(child)) break;
        txn.merge(child);
        last = id;
        judged++;
        if (moved) changed++;
      }
      txn.set(
        etlExclusionStateKey(),
        {
          fingerprint: state?.fingerprint ?? null,
          pending: { fingerprint: fp, after: last },
        } satisfies ExclusionState,
      );
      // The read caches rest on the changes key's versionstamp: rewritten as it is (not an import).
      if (changed > 0) txn.set(changesKey(), (await kv.get(changesKey())).value ?? {});
      try {
        await txn.commit();
      } catch (err) {
        // Another writer (an import, another isolate) got there first: the same rounds again.
        if (!(err instanceof ConflictError) || ++conflicts > 10) throw err;
        continue;
      }
      report.rounds += judged;
      report.changed += changed;
      report.batches++;
      report.status = "done";
      continue;
    }
    try {
      await txn.commit();
      return { ...report, status: "done" };
    } catch (err) {
      if (!(err instanceof ConflictError) || ++conflicts > 10) throw err;
    }
  }
}

/** Up to `limit` stored round ids after `after` (from the start when null), in id order. */
async function roundIdsAfter(kv: Deno.Kv, after: string | null, limit: number): Promise<string[]> {
  const ids: string[] = [];
  // Keys only matter; the values are read through the transaction.
  const sel = after === null
    ? { prefix: etlRoundPrefix() }
    : { prefix: etlRoundPrefix(), start: [...etlRoundPrefix(), after] };
  for await (const e of kv.list(sel, { limit: limit + 1 })) {
    const id = e.key[1] as string;
    if (id === after) continue;
    ids.push(id);
    if (ids.length >= limit) break;
  }
  return ids;
}
