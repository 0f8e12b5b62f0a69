/**
 * ET:Legacy session end: when `etl.sessionSummaryAfterMinutes` (default 30) have passed without a
 * round, the evening is taken as over and its summary is announced, once. A round that still
 * joins the session (within the 60-minute session gap) makes the next run announce the longer
 * session again. The guard key and the outbox item are one atomic commit, so two
 * servers running this cron at once (Deno Deploy isolates) announce it once between them.
 */
import { enqueueAnnouncements } from "@/kv/outbox.ts";
import { etlSessionPostedKey, etlWhenPrefix } from "@/kv/etl/keys.ts";
import { getRound } from "@/kv/etl/rounds.ts";
import { sessionIdOf } from "@/kv/etl/sessions.ts";
import type { EtlAnnouncement, RoundBrief } from "@/kv/etl/types.ts";
import { kvReader } from "@/kv/reader.ts";
import { ConflictError, KvTxn } from "@/kv/txn.ts";
import type { DiscordDeps } from "@/discord/deps.ts";
import type { Config } from "@/config.ts";

/** The summary's delay when the config does not set one. */
export const DEFAULT_SUMMARY_AFTER_MIN = 30;

/** Sessions that ended longer ago than this are history (a backfill), never announced. */
export const ANNOUNCE_WITHIN_MS = 24 * 3600_000;

/** What the run did. */
export type SessionEndResult =
  | { status: "none" | "running" | "stale" | "posted-before"; sessionId?: string }
  | { status: "announced"; sessionId: string };

/** Announces the newest session's summary if it has ended and was not announced yet. */
export async function etlSessionEnd(
  deps: Pick<DiscordDeps, "kv"> & { delivery?: DiscordDeps["delivery"]; config?: Pick<Config, "etl"> },
  now: Date,
): Promise<SessionEndResult> {
  const { kv } = deps;
  const afterMs = (deps.config?.etl.sessionSummaryAfterMinutes ?? DEFAULT_SUMMARY_AFTER_MIN) * 60_000;
  const [last] = await Array.fromAsync(
    kv.list<RoundBrief>({ prefix: etlWhenPrefix() }, { reverse: true, limit: 1 }),
    (e) => e.value,
  );
  if (!last) return { status: "none" };
  const round = await getRound(kvReader(kv), last.id);
  if (!round) return { status: "none" };
  const sinceMs = now.getTime() - Date.parse(round.playedAt);
  if (sinceMs < afterMs) return { status: "running" };
  const sessionId = await sessionIdOf(kv, round);
  if (sinceMs > ANNOUNCE_WITHIN_MS) return { status: "stale", sessionId };
  for (let attempt = 0; attempt < 5; attempt++) {
    const txn = new KvTxn(kv);
    const posted = await txn.get<{ lastRoundId: string }>(etlSessionPostedKey(sessionId), { check: true });
    if (posted && posted.lastRoundId >= round.id) return { status: "posted-before", sessionId };
    txn.set(etlSessionPostedKey(sessionId), { at: now.toISOString(), lastRoundId: round.id });
    enqueueAnnouncements(
      txn,
      [{ type: "etl_session", sessionId, lastRoundId: round.id } satisfies EtlAnnouncement],
      now,
      `etl-session-${round.id}`,
    );
    try {
      await txn.commit();
      deps.delivery?.kick();
      return { status: "announced", sessionId };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  return { status: "posted-before", sessionId };
}
