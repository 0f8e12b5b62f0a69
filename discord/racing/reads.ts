/**
 * What the racing commands read, on top of the racing core's reads (boards, ranks, driver stats):
 * resolving what a member typed into a track or driver, and the views the embeds are built from.
 */
import { UserError } from "@/discord/command.ts";
import type { CommandContext } from "@/discord/command.ts";
import { searchNames } from "@/discord/_names.ts";
import { linkedPlayer } from "@/discord/core/commands.ts";
import { boardIdOf } from "@/kv/people/people.ts";
import { baseAccTrack } from "@/games/acc/tracks.ts";
import type { RacingGame, SessionKind } from "@/games/racing/types.ts";
import { getLink } from "@/kv/links.ts";
import type { DriverProfile } from "@/kv/racing/drivers.ts";
import { ALL_CLASSES, driverKey, trackCountsPrefix } from "@/kv/racing/keys.ts";
import { recordsOf } from "@/kv/racing/records.ts";
import { getTrack, listTracks, type TrackSummary } from "@/kv/racing/tracks.ts";
import { getSession, recentTrackSessionIds } from "@/kv/racing/sessions.ts";
import { kvReader } from "@/kv/reader.ts";
import { loadAcNames, withAcNames } from "@/kv/ac_content/names.ts";
import type { ContentNames } from "@/games/ac/names.ts";
import type { RecentSession } from "@/discord/racing/embeds.ts";

const GAMES: RacingGame[] = ["acc", "ac"];

function isGame(g: string): g is RacingGame {
  return (GAMES as string[]).includes(g);
}

/**
 * The track a member meant: an autocomplete value ("acc/monza"), a track id, or a name. With
 * several matches the most recently driven wins.
 */
export async function resolveTrack(
  kv: Deno.Kv,
  typed: string,
  config: { names?: ContentNames } = {},
): Promise<TrackSummary> {
  const names = await loadAcNames(kv, config);
  const named = (t: TrackSummary) => withAcNames([t], names)[0]!;
  const text = typed.trim();
  const slash = text.indexOf("/");
  if (slash > 0) {
    const game = text.slice(0, slash), id = text.slice(slash + 1);
    if (isGame(game)) {
      const t = await getTrack(kv, game, game === "acc" ? baseAccTrack(id) : id);
      if (t) return named(t);
    }
  }
  const lower = text.toLowerCase();
  const all = withAcNames(await listTracks(kv), names);
  const exact = all.filter((t) =>
    t.name.toLowerCase() === lower || t.track === lower ||
    (t.game === "acc" && t.track === baseAccTrack(lower))
  );
  const candidates = exact.length ? exact : (await searchNames(kv, { query: text, kind: "track", limit: 1 }))
    .map((h) => all.find((t) => `${t.game}/${t.track}` === h.id))
    .filter((t): t is TrackSummary => t !== undefined);
  const best = candidates.sort((a, b) => b.lastSessionAt.localeCompare(a.lastSessionAt))[0];
  if (!best) {
    throw new UserError(`No track matches "${text}": pick one from the list as you type, or see /tracks`);
  }
  return best;
}

/** The driver a member meant: an id, a name, or (left out) their own linked driver in `game`. */
export async function resolveDriver(
  ctx: CommandContext,
  typed: string | undefined,
  game: RacingGame,
): Promise<{ id: string; name: string }> {
  const kv = ctx.deps.kv;
  if (typed === undefined || typed.trim() === "") {
    const link = await getLink(kv, ctx.userId, game) ??
      await getLink(kv, ctx.userId, game === "acc" ? "ac" : "acc");
    // A driver merged into a person: the person's PBs (kv/people/).
    const id = await boardIdOf(kv, link?.playerId ?? await linkedPlayer(ctx, game));
    const p = (await kv.get<DriverProfile>(driverKey(id))).value;
    if (!p) throw new UserError(`Your linked driver "${id}" has no laps stored yet`);
    return { id, name: p.name };
  }
  const text = typed.trim();
  const byId = (await kv.get<DriverProfile>(driverKey(await boardIdOf(kv, text)))).value;
  if (byId) return { id: byId.id, name: byId.name };
  const hits = await searchNames(kv, { query: text, kind: "driver", limit: 25 });
  const hit = hits.find((h) => h.name.toLowerCase() === text.toLowerCase()) ?? hits[0];
  if (!hit) throw new UserError(`No driver matches "${text}": pick one from the list as you type`);
  return { id: hit.id, name: hit.name };
}

/** A track's car classes that have records, from its board counts (one bounded range read). */
export async function trackClasses(kv: Deno.Kv, game: RacingGame, track: string): Promise<string[]> {
  const out = new Set<string>();
  for await (const e of kv.list({ prefix: trackCountsPrefix(game, track) }, { limit: 2000 })) {
    if (e.key.length === 5 && e.key[4] !== ALL_CLASSES) out.add(String(e.key[4]));
  }
  return [...out].sort();
}

/** The #1 of Q and R on every track (all games, or one), for /leaders. */
export async function leaders(kv: Deno.Kv, game: RacingGame | undefined, cls: string) {
  const r = kvReader(kv);
  const tracks = (await listTracks(kv)).filter((t) => !game || t.game === game);
  const rows = await Promise.all(tracks.map(async (t) => {
    const [q, rr] = await Promise.all(
      (["Q", "R"] as SessionKind[]).map((kind) =>
        recordsOf(r, { game: t.game, track: t.track, kind, cls }, 1)
      ),
    );
    return { name: t.name, game: t.game, q: q!.entries[0] ?? null, r: rr!.entries[0] ?? null };
  }));
  return rows.filter((x) => x.q || x.r).sort((a, b) => a.name.localeCompare(b.name));
}

/** The latest sessions over all tracks, newest first, with winner and fastest lap. */
export async function recentSessions(kv: Deno.Kv, limit: number): Promise<RecentSession[]> {
  const tracks = await listTracks(kv);
  // Only the most recently driven tracks can hold the newest sessions.
  tracks.sort((a, b) => b.lastSessionAt.localeCompare(a.lastSessionAt));
  const ids = (await Promise.all(
    tracks.slice(0, limit).map((t) => recentTrackSessionIds(kv, t.game, t.track, limit)),
  )).flat();
  // Ids read "<game>-<yyyymmdd>-<hhmmss>-...": the part after the game sorts by time.
  ids.sort((a, b) => b.slice(b.indexOf("-")).localeCompare(a.slice(a.indexOf("-"))));
  const r = kvReader(kv);
  const sessions = await Promise.all(ids.slice(0, limit).map((id) => getSession(r, id)));
  return sessions.filter((s) => s !== null).map((s) => {
    const winner = s.cars.find((c) => c.position === 1) ?? s.cars[0];
    let fastest: RecentSession["fastest"] = null;
    for (const c of s.cars) {
      if (c.bestLapMs !== null && (!fastest || c.bestLapMs < fastest.lapMs)) {
        fastest = { name: c.drivers[0]?.name ?? "?", lapMs: c.bestLapMs };
      }
    }
    return {
      trackName: s.trackName,
      game: s.game,
      kind: s.kind,
      sessionType: s.sessionType,
      finishedAt: s.finishedAt,
      cars: s.cars.length,
      winner: winner ? { name: winner.drivers.map((d) => d.name).join(" / "), car: winner.car.name } : null,
      fastest,
    };
  });
}
