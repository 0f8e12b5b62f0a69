/** Home: the league's latest sessions and newest records, a search box; a welcome on an empty hub. */
import { Hono } from "hono";
import type { Context } from "hono";
import { listTracks, type TrackSummary } from "@/kv/racing/tracks.ts";
import { latestSessions, newestRecords } from "@/kv/racing/recent.ts";
import { page, type SiteEnv } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import { SearchForm, SessionList } from "@/routes/site/_parts.tsx";
import {
  day,
  driverHref,
  gameLabel,
  kindLabel,
  lapTime,
  sessionHref,
  trackHref,
} from "@/routes/site/_format.ts";
import { DISCORD_ENV_VARS } from "@/config.ts";
import { acTrackName } from "@/games/ac/live.ts";
import { type Running, runningSessions } from "@/kv/live/running.ts";

const app = new Hono<SiteEnv>();

app.get("/", async (c) => {
  const kv = c.var.deps.kv;
  const tracks = await listTracks(kv);
  if (tracks.length === 0) return welcome(c, await runningSessions(kv, c.var.deps.now()));
  const [sessions, records, live] = await Promise.all([
    latestSessions(kv, tracks, 8),
    newestRecords(kv, tracks, 8),
    runningSessions(kv, c.var.deps.now()),
  ]);
  const league = c.var.deps.config.league.name;
  const total = tracks.reduce((a, t) => a + t.sessions, 0);
  const recent = [...tracks].sort((a, b) => b.lastSessionAt.localeCompare(a.lastSessionAt)).slice(0, 12);
  return page(c, {
    title: league,
    description: `${league}: lap records, race results and driver statistics.`,
    body: (
      <>
        <section class="hero">
          <h1>{league}</h1>
          <p class="lead">
            {total.toLocaleString("en")} sessions on {tracks.length}{" "}
            tracks. Lap records, results and every driver's progress, straight from the league's servers.
          </p>
          <SearchForm />
        </section>
        <LiveNow live={live} />
        <section aria-labelledby="latest">
          <h2 id="latest">Latest sessions</h2>
          <SessionList sessions={sessions} showTrack label="Latest sessions" />
        </section>
        <section aria-labelledby="records">
          <h2 id="records">Newest records</h2>
          {records.length === 0 ? <p class="muted">No qualifying or race laps yet.</p> : (
            <ol class="cards">
              {records.map((r) => (
                <li class="card">
                  <p class="card-title">
                    <a href={trackHref(r.board.game, r.board.track, { kind: r.board.kind })}>
                      {r.trackName}
                    </a>{" "}
                    <span class="tag">{gameLabel(r.board.game)}</span>{" "}
                    <span class={`tag kind-${r.board.kind}`}>{kindLabel(r.board.kind)}</span>
                  </p>
                  <p class="card-main">
                    <span class="time big">{lapTime(r.entry.lapMs)}</span>{" "}
                    <a href={driverHref(r.entry.driverId)}>{r.entry.driver.name}</a>
                  </p>
                  <p class="muted">
                    {r.entry.car.name} · <a href={sessionHref(r.entry.sessionId)}>{day(r.entry.setAtMs)}</a> ·
                    {" "}
                    {r.of} drivers on the board
                  </p>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section aria-labelledby="tracks">
          <h2 id="tracks">Tracks</h2>
          <TrackLinks tracks={recent} />
          <p>
            <a href="/tracks">All {tracks.length} tracks</a>
          </p>
        </section>
      </>
    ),
  });
});

/** Servers running a session now, with a link to their live page. */
function LiveNow(props: { live: Running[] }) {
  if (props.live.length === 0) return null;
  return (
    <section aria-labelledby="live-now">
      <h2 id="live-now">Live now</h2>
      <ul class="chips">
        {props.live.map((r) => (
          <li>
            <a href={`/live/${encodeURIComponent(r.server)}`}>
              {r.name}: {kindLabel(r.session.kind)} at {acTrackName(r.session.track, r.session.layout)}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function TrackLinks(props: { tracks: TrackSummary[] }) {
  return (
    <ul class="chips">
      {props.tracks.map((t) => (
        <li>
          <a href={trackHref(t.game, t.track)}>
            {t.name} <span class="tag">{gameLabel(t.game)}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function welcome(c: Context<SiteEnv>, live: Running[]) {
  const league = c.var.deps.config.league.name;
  return page(c, {
    title: league,
    description: `${league} on Podium: getting started.`,
    body: (
      <>
        <LiveNow live={live} />
        <section class="welcome">
          <h1>Welcome to {league}</h1>
          <p class="lead">
            This hub shows lap records, results and every driver's progress as soon as it has its first result
            file. Three ways to get there:
          </p>
          <ol class="steps">
            <li>
              <h2>Import the files you already have</h2>
              <p>
                Point the importer at a folder of ACC or Assetto Corsa result files (the server's{" "}
                <code>results</code>{" "}
                folder, or a copy of it). Files already imported are skipped, so you can run it again at any
                time.
              </p>
              <pre><code>deno task import --no-announce path/to/results</code></pre>
            </li>
            <li>
              <h2>Connect a game server's agent</h2>
              <p>
                Run the small agent on the machine that hosts the game server. It watches the results folder
                and sends each new file here the moment a session ends, so records and results appear within
                seconds.
              </p>
              <pre><code>deno task agent</code></pre>
            </li>
            <li>
              <h2>Connect Discord</h2>
              <p>
                Set{" "}
                <code>{DISCORD_ENV_VARS.join(", ")}</code>, register the slash commands, and set the
                application's Interactions Endpoint URL to this hub's <code>/interactions</code>.
              </p>
              <pre><code>deno task register</code></pre>
            </li>
          </ol>
          <p>
            Just looking? <code>deno task demo</code>{" "}
            starts a hub filled with a generated season of ACC and AC racing, so you can see every page first.
            README has the details.
          </p>
        </section>
      </>
    ),
  });
}

/** The home section. */
export const homeSection: Section = { base: "/", nav: { href: "/", label: "Home", order: 0 }, app };
