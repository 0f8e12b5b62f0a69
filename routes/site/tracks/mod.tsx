// deno-lint-ignore-file jsx-key -- server-rendered once: keys only matter to client-side diffing
/** Tracks: the list, and a track's records by kind and class with sectors and recent sessions. */
import { Hono } from "hono";
import type { RacingGame, SessionKind } from "@/games/racing/types.ts";
import { getTrack, listTracks } from "@/kv/racing/tracks.ts";
import { loadAcNames, withAcNames } from "@/kv/ac_content/names.ts";
import { recordsOf } from "@/kv/racing/records.ts";
import { type BoardSummary, trackBoards } from "@/kv/racing/recent.ts";
import { recentTrackSessionIds, type StoredSession } from "@/kv/racing/sessions.ts";
import { driverTrackKey, sessionKey } from "@/kv/racing/keys.ts";
import type { DriverTrackStats } from "@/kv/racing/drivers.ts";
import { kvReader } from "@/kv/reader.ts";
import { notFoundPage, page, type SiteEnv } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import {
  classLabel,
  day,
  driverHref,
  gameLabel,
  gap,
  kindLabel,
  lapTime,
  plural,
  sector,
  sessionHref,
  trackHref,
} from "@/routes/site/_format.ts";
import { SessionList } from "@/routes/site/_parts.tsx";

const GAMES: RacingGame[] = ["acc", "ac"];
const TOP = 20;

const app = new Hono<SiteEnv>();

app.get("/", async (c) => {
  const kv = c.var.deps.kv;
  const tracks = withAcNames(await listTracks(kv), await loadAcNames(kv, c.var.deps.config));
  const boards = await Promise.all(tracks.map((t) => trackBoards(kv, t.game, t.track)));
  const recordOf = (i: number, kind: SessionKind) =>
    boards[i]!.find((b) => b.board.kind === kind && b.board.cls === "all")?.record?.lapMs;
  return page(c, {
    title: "Tracks",
    description: "Every track the league has raced on, with its lap records.",
    body: (
      <>
        <h1>Tracks</h1>
        {tracks.length === 0 && <p class="muted">No sessions imported yet.</p>}
        {GAMES.filter((g) => tracks.some((t) => t.game === g)).map((g) => (
          <section aria-labelledby={`game-${g}`}>
            <h2 id={`game-${g}`}>{g === "acc" ? "Assetto Corsa Competizione" : "Assetto Corsa"}</h2>
            <div class="table-wrap" tabindex={0} role="region" aria-labelledby={`game-${g}`}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Track</th>
                    <th scope="col" class="num">Qualifying record</th>
                    <th scope="col" class="num">Race record</th>
                    <th scope="col" class="num opt">Sessions</th>
                    <th scope="col" class="opt">Last session</th>
                  </tr>
                </thead>
                <tbody>
                  {tracks.map((t, i) =>
                    t.game !== g ? null : (
                      <tr>
                        <th scope="row">
                          <a href={trackHref(t.game, t.track)}>{t.name}</a>
                        </th>
                        <td class="num time">{lapOrDash(recordOf(i, "Q"))}</td>
                        <td class="num time">{lapOrDash(recordOf(i, "R"))}</td>
                        <td class="num opt">{t.sessions}</td>
                        <td class="opt nowrap">{day(t.lastSessionAt)}</td>
                      </tr>
                    )
                  )}
                </tbody>
              </table>
            </div>
          </section>
        ))}
      </>
    ),
  });
});

function lapOrDash(ms: number | undefined) {
  return ms === undefined ? "–" : lapTime(ms);
}

/** Q first, then R; a board's classes with "all" first. */
function kindsAndClasses(boards: BoardSummary[]) {
  const kinds = (["Q", "R"] as const).filter((k) => boards.some((b) => b.board.kind === k));
  const classesOf = (k: SessionKind) =>
    boards.filter((b) => b.board.kind === k).sort((a, b) =>
      a.board.cls === "all" ? -1 : b.board.cls === "all" ? 1 : a.board.cls.localeCompare(b.board.cls)
    );
  return { kinds, classesOf };
}

app.get("/:game/:track", async (c) => {
  const game = c.req.param("game") as RacingGame;
  const trackId = c.req.param("track");
  if (!GAMES.includes(game) || trackId.length > 200) {
    return notFoundPage(c, `There is no track "${trackId}" for "${game}".`);
  }
  const kv = c.var.deps.kv;
  const askedKind = c.req.query("kind");
  const cls = c.req.query("class") ?? "all";
  const r = kvReader(kv);
  // The board is read beside the track's list of boards (one round trip, not two): the asked
  // kind, or qualifying, which every track with laps but no qualifying board lacks rarely.
  const guess = { game, track: trackId, kind: (askedKind === "R" ? "R" : "Q") as SessionKind, cls };
  const [stored, boards, recentIds, guessed, names] = await Promise.all([
    getTrack(kv, game, trackId),
    trackBoards(kv, game, trackId),
    recentTrackSessionIds(kv, game, trackId, 6),
    recordsOf(r, guess, TOP),
    loadAcNames(kv, c.var.deps.config),
  ]);
  const track = stored && withAcNames([stored], names)[0]!;
  if (!track) return notFoundPage(c, `No session has been imported on "${trackId}" (${gameLabel(game)}).`);
  const { kinds, classesOf } = kindsAndClasses(boards);
  const kind: SessionKind = askedKind === "R" || askedKind === "Q" ? askedKind : kinds[0] ?? "Q";
  const board = { game, track: trackId, kind, cls };
  const known = boards.some((b) => b.board.kind === kind && b.board.cls === cls);
  if (!known && (askedKind !== undefined || cls !== "all")) {
    return notFoundPage(c, `${track.name} has no ${kindLabel(kind).toLowerCase()} board for "${cls}".`);
  }
  const { entries, of } = !known
    ? { entries: [], of: 0 }
    : kind === guess.kind
    ? guessed
    : await recordsOf(r, board, TOP);
  const [recent, stats] = await Promise.all([
    r.getMany<StoredSession>(recentIds.map((id) => sessionKey(id))),
    r.getMany<DriverTrackStats>(entries.map((e) => driverTrackKey(e.driver.id, game, trackId, kind))),
  ]);
  const sectors = bestSectors(
    entries.map((e, i) => ({ name: e.driver.name, id: e.driver.id, st: stats[i] })),
  );
  const theoretical = sectors.length && sectors.every((s) => s.ms !== null)
    ? sectors.reduce((a, s) => a + s.ms!, 0)
    : null;
  const leader = entries[0];
  const caption = `${kindLabel(kind)}, ${classLabel(cls).toLowerCase()}: top ${
    Math.min(TOP, of)
  } of ${of} drivers`;
  return page(c, {
    title: `${track.name} (${gameLabel(game)})`,
    description: `Lap records at ${track.name} in ${
      gameLabel(game)
    }: top ${TOP}, best sectors, recent sessions.`,
    body: (
      <>
        <p class="eyebrow">
          <a href="/tracks">Tracks</a> / {gameLabel(game)}
        </p>
        <h1>{track.name}</h1>
        <p class="lead">
          {gameLabel(game)} · {plural(track.sessions, "session")} ({track.sessionsByKind.Q} qualifying,{" "}
          {track.sessionsByKind.R} race, {track.sessionsByKind.FP} practice) · {day(track.firstSessionAt)} to
          {" "}
          {day(track.lastSessionAt)}
        </p>
        {leader && (
          <dl class="stats">
            <div>
              <dt>{kindLabel(kind)} record</dt>
              <dd class="time">{lapTime(leader.lapMs)}</dd>
            </div>
            <div>
              <dt>Held by</dt>
              <dd>
                <a href={driverHref(leader.driver.id)}>{leader.driver.name}</a>
              </dd>
            </div>
            <div>
              <dt>Theoretical best</dt>
              <dd class="time">{theoretical === null ? "–" : lapTime(theoretical)}</dd>
            </div>
          </dl>
        )}
        <nav class="tabs" aria-label="Session kind">
          {kinds.map((k) => (
            <a href={trackHref(game, trackId, { kind: k })} aria-current={k === kind ? "page" : undefined}>
              {kindLabel(k)}
            </a>
          ))}
        </nav>
        <nav class="tabs small" aria-label="Car class">
          {classesOf(kind).map((b) => (
            <a
              href={trackHref(game, trackId, { kind, cls: b.board.cls })}
              aria-current={b.board.cls === cls ? "page" : undefined}
            >
              {classLabel(b.board.cls)} <span class="count">{b.total}</span>
            </a>
          ))}
        </nav>
        {entries.length === 0
          ? <p class="muted">No valid {kindLabel(kind).toLowerCase()} laps yet.</p>
          : (
            <div class="table-wrap" tabindex={0} role="region" aria-label={caption}>
              <table class="board">
                <caption>{caption}</caption>
                <thead>
                  <tr>
                    <th scope="col" class="num">Pos</th>
                    <th scope="col">Driver</th>
                    <th scope="col" class="opt">Car</th>
                    <th scope="col" class="num">Lap</th>
                    <th scope="col" class="num">Gap</th>
                    <th scope="col" class="num opt">Interval</th>
                    {sectors.map((_, i) => <th scope="col" class="num opt">S{i + 1}</th>)}
                    <th scope="col" class="opt">Set on</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e, i) => (
                    <tr class={i === 0 ? "leader" : undefined}>
                      <td class="num">{e.rank}</td>
                      <th scope="row">
                        <a href={driverHref(e.driver.id)}>{e.driver.name}</a>
                      </th>
                      <td class="opt">
                        {e.car.name} <span class="tag">{e.car.class}</span>
                      </td>
                      <td class="num time">{lapTime(e.lapMs)}</td>
                      <td class="num time">{i === 0 ? "" : gap(e.lapMs - leader!.lapMs)}</td>
                      <td class="num time opt">{i === 0 ? "" : gap(e.lapMs - entries[i - 1]!.lapMs)}</td>
                      {sectors.map((s, k) => {
                        const v = e.splitsMs[k];
                        return (
                          <td class={`num time opt${v !== undefined && v === s.ms ? " best" : ""}`}>
                            {v === undefined ? "" : sector(v)}
                          </td>
                        );
                      })}
                      <td class="opt nowrap">
                        <a href={sessionHref(e.sessionId)}>{day(e.setAt)}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        {sectors.length > 0 && (
          <section aria-labelledby="sectors">
            <h2 id="sectors">Best sectors</h2>
            <p class="muted">
              The fastest time through each sector by any of the drivers above, from any lap that counts for
              bests; together they make the theoretical best lap.
            </p>
            <div class="table-wrap" tabindex={0} role="region" aria-labelledby="sectors">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Sector</th>
                    <th scope="col" class="num">Time</th>
                    <th scope="col">Driver</th>
                  </tr>
                </thead>
                <tbody>
                  {sectors.map((s, i) => (
                    <tr>
                      <th scope="row">S{i + 1}</th>
                      <td class="num time">{s.ms === null ? "–" : sector(s.ms)}</td>
                      <td>{s.holder ? <a href={driverHref(s.holder.id)}>{s.holder.name}</a> : "–"}</td>
                    </tr>
                  ))}
                  <tr class="total">
                    <th scope="row">Theoretical best</th>
                    <td class="num time">{theoretical === null ? "–" : lapTime(theoretical)}</td>
                    <td>
                      {theoretical !== null && leader &&
                        `${gap(theoretical - leader.lapMs)} against the record`}
                    </td>
                  </tr>
                </tbody>
              </table>
            </div>
          </section>
        )}
        <section aria-labelledby="recent">
          <h2 id="recent">Recent sessions</h2>
          <SessionList sessions={recent.filter((s): s is StoredSession => s !== null)} showTrack={false} />
        </section>
      </>
    ),
  });
});

interface SectorBest {
  ms: number | null;
  holder: { id: string; name: string } | null;
}

/** Per sector, the fastest of these drivers' best sectors on the board's track and kind. */
function bestSectors(
  drivers: { id: string; name: string; st: DriverTrackStats | null | undefined }[],
): SectorBest[] {
  const n = Math.max(0, ...drivers.map((d) => d.st?.bestSectorsMs.length ?? 0));
  return Array.from({ length: n }, (_, i) => {
    let best: SectorBest = { ms: null, holder: null };
    for (const d of drivers) {
      const v = d.st?.bestSectorsMs[i];
      if (v != null && (best.ms === null || v < best.ms)) {
        best = { ms: v, holder: { id: d.id, name: d.name } };
      }
    }
    return best;
  });
}

/** The tracks section. */
export const tracksSection: Section = {
  base: "/tracks",
  nav: { href: "/tracks", label: "Tracks", order: 10 },
  app,
};
