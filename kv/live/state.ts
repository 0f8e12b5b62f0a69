/**
 * A server's live state in KV (docs/live.md): one value per server, rewritten by each batch of
 * plugin events in one atomic commit together with the batch's laps, their leaderboard changes
 * and the commands the agent confirmed. Shared by every process; survives restarts.
 */
import {
  emptyLiveState,
  type LiveBatch,
  type LiveLap,
  type LiveSession,
  type LiveState,
  reduceLive,
} from "@/games/ac/live.ts";
import { countLiveLaps, type LiveBests } from "@/kv/racing/live_laps.ts";
import { type LiveCommand, pendingLiveCommands } from "@/kv/live/commands.ts";
import {
  liveCommandKey,
  liveLapKey,
  liveLapsPrefix,
  liveStateKey,
  liveStatesPrefix,
} from "@/kv/live/keys.ts";
import { markChanged } from "@/kv/changes.ts";
import type { LapLimits } from "@/games/racing/laps.ts";
import { type KvReader, kvReader } from "@/kv/reader.ts";
import { ConflictError, KvTxn } from "@/kv/txn.ts";

/** A live lap kept until the results file with it arrives (time attack reads it meanwhile). */
export interface StoredLiveLap extends LiveLap {
  stream: string;
  track: string;
  layout: string;
  kind: LiveSession["kind"];
  sessionId: string;
}

/** What one batch did. */
export interface LiveBatchResult {
  /** The last sequence number applied: the agent drops its events up to here. */
  ack: number;
  applied: number;
  laps: number;
  bests: LiveBests;
  commands: LiveCommand[];
}

/** The id live laps carry on leaderboards until their results file arrives. */
export function liveSessionId(server: string, session: LiveSession): string {
  return `live-${server}-${Date.parse(session.startedAt)}`;
}

/** A server's live state (the empty state before its first event). */
export async function getLiveState(r: KvReader, server: string): Promise<LiveState> {
  return (await r.get<LiveState>(liveStateKey(server))) ?? emptyLiveState();
}

/** Every server's live state that has one. */
export async function listLiveStates(kv: Deno.Kv): Promise<{ server: string; state: LiveState }[]> {
  return await Array.fromAsync(
    kv.list<LiveState>({ prefix: liveStatesPrefix() }),
    (e) => ({ server: e.key[1] as string, state: e.value }),
  );
}

/** A server's live laps not yet matched with a results file, oldest first. */
export async function listLiveLaps(r: KvReader, server: string, limit = 10_000): Promise<StoredLiveLap[]> {
  return (await r.list<StoredLiveLap>(liveLapsPrefix(server), limit)).map((e) => e.value);
}

/**
 * Applies a batch in one atomic commit (planning again when another writer got there first).
 * Events already applied are skipped, so a batch sent twice changes nothing the second time.
 */
export async function applyLiveBatch(
  kv: Deno.Kv,
  server: string,
  batch: LiveBatch,
  opts: { now: Date; announce: boolean; lapLimits?: LapLimits },
): Promise<LiveBatchResult> {
  for (let attempt = 1;; attempt++) {
    const txn = new KvTxn(kv);
    try {
      const prev = (await txn.get<LiveState>(liveStateKey(server), { check: true })) ?? emptyLiveState();
      const { state, laps, applied } = reduceLive(prev, batch, opts.lapLimits);
      let bests: LiveBests = { records: 0, personalBests: 0, announcements: 0 };
      const session = state.session;
      if (applied > 0) txn.set(liveStateKey(server), state);
      if (session && laps.length > 0) {
        const sessionId = liveSessionId(server, session);
        bests = await countLiveLaps(txn, session, laps, {
          sessionId,
          sourceId: `${sessionId}-${batch.stream}-${laps[0]!.seq}`,
          announce: opts.announce,
          now: opts.now,
        });
        for (const l of laps) {
          if (!l.countsForBest) continue;
          txn.set(
            liveLapKey(server, l.atMs, batch.stream, l.seq),
            {
              ...l,
              stream: batch.stream,
              track: session.track,
              layout: session.layout,
              kind: session.kind,
              sessionId,
            } satisfies StoredLiveLap,
          );
        }
      }
      const sessionMoved = prev.session?.startedAt !== session?.startedAt ||
        prev.session?.endedAt !== session?.endedAt;
      if (laps.length > 0 || sessionMoved) markChanged(txn, opts.now);
      for (const id of batch.done) txn.delete(liveCommandKey(server, id));
      await txn.commit();
      const commands = (await pendingLiveCommands(kvReader(kv), server, opts.now))
        .filter((c) => !batch.done.includes(c.id));
      return { ack: state.lastSeq, applied, laps: laps.length, bests, commands };
    } catch (err) {
      if (err instanceof ConflictError && attempt < 20) continue;
      throw err;
    }
  }
}
