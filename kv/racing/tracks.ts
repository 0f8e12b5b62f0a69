/** Track summaries: what tracks have sessions, and how many. */
import type { RacingGame, SessionKind } from "@/games/racing/types.ts";
import { trackKey, tracksPrefix } from "@/kv/racing/keys.ts";
import type { KvTxn } from "@/kv/txn.ts";

/** A track's summary. Every import on the track rewrites it, so it guards the track's data. */
export interface TrackSummary {
  game: RacingGame;
  track: string;
  name: string;
  sessions: number;
  sessionsByKind: Record<SessionKind, number>;
  firstSessionAt: string;
  lastSessionAt: string;
}

/** Counts a session on its track. Checked at commit: concurrent imports on one track serialize here. */
export async function countTrackSession(
  txn: KvTxn,
  s: { game: RacingGame; track: string; trackName: string; kind: SessionKind; finishedAt: Date },
): Promise<TrackSummary> {
  const key = trackKey(s.game, s.track);
  const at = s.finishedAt.toISOString();
  const old = await txn.get<TrackSummary>(key, { check: true });
  const next: TrackSummary = old
    ? {
      ...old,
      sessions: old.sessions + 1,
      sessionsByKind: { ...old.sessionsByKind, [s.kind]: old.sessionsByKind[s.kind] + 1 },
      firstSessionAt: at < old.firstSessionAt ? at : old.firstSessionAt,
      lastSessionAt: at > old.lastSessionAt ? at : old.lastSessionAt,
      name: at >= old.lastSessionAt ? s.trackName : old.name,
    }
    : {
      game: s.game,
      track: s.track,
      name: s.trackName,
      sessions: 1,
      sessionsByKind: { FP: 0, Q: 0, R: 0, [s.kind]: 1 },
      firstSessionAt: at,
      lastSessionAt: at,
    };
  txn.set(key, next);
  return next;
}

/** All tracks, by game then id. One range read (bounded by the number of tracks). */
export async function listTracks(kv: Deno.Kv): Promise<TrackSummary[]> {
  return await Array.fromAsync(kv.list<TrackSummary>({ prefix: tracksPrefix() }), (e) => e.value);
}

/** One track's summary, or null. */
export async function getTrack(kv: Deno.Kv, game: RacingGame, track: string): Promise<TrackSummary | null> {
  return (await kv.get<TrackSummary>(trackKey(game, track))).value;
}
