/**
 * Applying the exclusion rules (games/etl/exclusion.ts) to stored rounds: a round whose verdict
 * changes (a restart seen later, an admin's word) moves its players' rows out of or back into the
 * totals in the same commit that records the verdict, with the briefs the lists read.
 */
import type { EtlPlayerRound } from "@/games/etl/stats.ts";
import {
  DEFAULT_EXCLUSION,
  effectiveExclusion,
  type EtlExclusionConfig,
  type Exclusion,
  restartExclusion,
} from "@/games/etl/exclusion.ts";
import { markChanged } from "@/kv/changes.ts";
import { KvTxn } from "@/kv/txn.ts";
import { ConflictError } from "@/kv/txn.ts";
import { putMapBrief } from "@/kv/etl/briefs.ts";
import { etlWhenKey, wallDay } from "@/kv/etl/keys.ts";
import { applyPlayerRows, type RoundRef } from "@/kv/etl/players.ts";
import { getRound, putRound } from "@/kv/etl/rounds.ts";
import type { RoundBrief, StoredRound } from "@/kv/etl/types.ts";

/** True when a round's rows are in the totals: not an orphan, not excluded. */
export function isCounted(r: Pick<StoredRound, "status" | "excluded">): boolean {
  return r.status !== "orphan" && !r.excluded;
}

/** The rows a round adds to the totals (null: none). */
export function countedRows(r: StoredRound): EtlPlayerRound[] | null {
  return isCounted(r) ? r.players : null;
}

/** The round as the per-player index knows it. */
export function roundRef(r: StoredRound): RoundRef {
  return { id: r.id, map: r.map, round: r.round, wallMs: r.wallMs, playedAt: r.playedAt };
}

/** The verdict for a round from its stored rules. */
export function verdictOf(r: StoredRound, cfg: Pick<EtlExclusionConfig, "restarts">): Exclusion | null {
  return effectiveExclusion(
    { content: r.contentRule ?? null, restart: r.restartedBy ? restartExclusion(r.restartedBy) : null },
    r.override,
    cfg,
  );
}

/** Sets the exclusion flag on a brief. */
export function withExclusion(b: RoundBrief, ex: Exclusion | null | undefined): RoundBrief {
  const { x: _, ...rest } = b;
  return ex ? { ...rest, x: ex.rule } : rest;
}

/**
 * Records a changed rule on a stored round (`patch`), judges it again and, when its counting
 * changed, moves its rows in the totals. Returns the round as now stored.
 */
export async function rejudge(
  txn: KvTxn,
  before: StoredRound,
  patch:
    | Pick<StoredRound, "restartedBy">
    | Pick<StoredRound, "contentRule">
    | { override: "exclude" | "include" | undefined },
  cfg: Pick<EtlExclusionConfig, "restarts">,
): Promise<StoredRound> {
  const next: StoredRound = { ...before, ...patch };
  if ("override" in patch && patch.override === undefined) delete next.override;
  next.excluded = verdictOf(next, cfg);
  putRound(txn, next);
  const whenKey = etlWhenKey(wallDay(next.wallMs), next.wallMs, next.id);
  const brief = await txn.get<RoundBrief>(whenKey);
  if (brief) {
    txn.set(whenKey, withExclusion(brief, next.excluded));
    await putMapBrief(txn, withExclusion(brief, next.excluded));
  }
  if (isCounted(before) !== isCounted(next)) {
    await applyPlayerRows(txn, roundRef(next), countedRows(next), countedRows(before));
  }
  return next;
}

/** What an admin's exclude/include did. */
export type OverrideResult = { status: "unknown" } | { status: "done"; round: StoredRound; changed: boolean };

/** `/et admin exclude|include <round>`: an admin's word on a round (null: back to the rules). */
export async function setRoundOverride(
  kv: Deno.Kv,
  roundId: string,
  override: "exclude" | "include" | null,
  opts: { now: Date; rules?: EtlExclusionConfig },
): Promise<OverrideResult> {
  for (let attempt = 1;; attempt++) {
    const txn = new KvTxn(kv);
    const before = await getRound(txn, roundId, { check: true });
    if (!before) return { status: "unknown" };
    const next = await rejudge(
      txn,
      before,
      { override: override ?? undefined },
      opts.rules ?? DEFAULT_EXCLUSION,
    );
    markChanged(txn, opts.now);
    try {
      await txn.commit();
      return { status: "done", round: next, changed: isCounted(before) !== isCounted(next) };
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 10) throw err;
    }
  }
}
