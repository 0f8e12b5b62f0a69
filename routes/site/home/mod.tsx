/** Home: the league's latest sessions and newest records, a search box; a welcome on an empty hub. */
import { Hono } from "hono";
import type { Context } from "hono";
import { listTracks, type TrackSummary } from "@/kv/racing/tracks.ts";
import { loadAcNames, withAcNames } from "@/kv/ac_content/names.ts";
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
import { trackDisplayName } from "@/games/ac/names.ts";
import { type Running, runningSessions } from "@/kv/live/running.ts";

const app = new Hono<SiteEnv>();

app.get("/", async (c) => {
  const kv = c.var.deps.kv;
  const tracks = withAcNames(await listTracks(kv), await loadAcNames(kv, c.var.deps.config));
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
              {r.name}: {kindLabel(r.session.kind)} at {trackDisplayName(r.session.track, r.session.layout)}
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
  const config = c.var.deps.config;
  const league = config.league.name;
  const hub = hubOrigin(c);
  const server = config.servers.find((s) => s.game !== "etl") ?? config.servers[0];
  const id = server?.id ?? "acc-eu";
  const cmd = welcomeCommands(hub, id, server?.game === "ac" ? "/home/ac/server/results" : undefined);
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
            file. Three ways to get there (the commands use the <code>deno</code> command:{" "}
            <code>npm install -g deno@2.9.6</code> installs it):
          </p>
          <ol class="steps">
            <li>
              <h2>Import the files you already have</h2>
              <p>
                In Podium's folder on the machine that runs this hub, point the importer at a folder of ACC,
                Assetto Corsa or ET:Legacy result files (the server's <code>results</code>{" "}
                folder, or a copy of it). Files already imported are skipped, so you can run it again at any
                time.
              </p>
              <pre tabindex={0}><code>{cmd.importFiles}</code></pre>
            </li>
            <li>
              <h2>Connect a game server's agent</h2>
              <p>
                {server
                  ? (
                    <>
                      Server <code>{id}</code>{" "}
                      is configured. Set its push secret on the hub (<code>{cmd.secretVar}</code>) and the
                      same value on the game host, then run the agent there, with the folder the server writes
                      its results to.
                    </>
                  )
                  : (
                    <>
                      Choose an id for the game server (here{" "}
                      <code>{id}</code>), set a push secret for it on the hub (<code>{cmd.secretVar}</code>)
                      and the same value on the game host, then run the agent there, with the folder the
                      server writes its results to.
                    </>
                  )} It sends each new file here the moment a session ends.
              </p>
              <pre tabindex={0}><code>{cmd.agent}</code></pre>
            </li>
            <li>
              <h2>Connect Discord</h2>
              <p>
                Set <code>{DISCORD_ENV_VARS.join(", ")}</code>{" "}
                where this hub runs, register the slash commands with the same variables, and set the
                application's Interactions Endpoint URL to <code>{hub}/interactions</code>{" "}
                (a public HTTPS address).
              </p>
              <pre tabindex={0}><code>{cmd.register}</code></pre>
            </li>
          </ol>
          <p>
            Just looking? <code>deno task demo</code>{" "}
            starts a hub filled with a generated league of every game Podium knows, so you can see every page
            first. The manual is README.md and the pages in <code>docs/</code>.
          </p>
        </section>
      </>
    ),
  });
}

/** The hub's own address as its visitors see it (a reverse proxy's X-Forwarded-Proto/Host honoured). */
function hubOrigin(c: Context<SiteEnv>): string {
  const url = new URL(c.req.url);
  const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim();
  const host = c.req.header("x-forwarded-host")?.split(",")[0]?.trim();
  const origin = `${proto && /^https?$/.test(proto) ? proto : url.protocol.slice(0, -1)}://${
    host && /^[\w.:[\]-]+$/.test(host) ? host : url.host
  }`;
  return origin;
}

/** The welcome page's commands, ready to paste: this hub's address and a server id filled in. */
export function welcomeCommands(
  hub: string,
  serverId: string,
  resultsDir = "/home/acc/server/results",
): { importFiles: string; agent: string; register: string; secretVar: string } {
  const host = new URL(hub).host;
  const secretVar = `PODIUM_SECRET_${serverId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
  const state = `./podium-agent-${serverId}.json`;
  return {
    secretVar,
    importFiles: `deno task import --no-announce --server ${serverId} ${resultsDir}`,
    agent: [
      "export PODIUM_AGENT_SECRET='the same secret'",
      "deno run \\",
      `  --allow-read=${resultsDir},${state},${state}.tmp \\`,
      `  --allow-write=${state},${state}.tmp \\`,
      `  --allow-net=${host} --allow-env=PODIUM_AGENT_SECRET \\`,
      `  --allow-import=${host} --reload=${hub}/agent \\`,
      `  ${hub}/agent.ts \\`,
      `  --hub ${hub} --server ${serverId} --dir ${resultsDir} --state ${state}`,
    ].join("\n"),
    register: `${DISCORD_ENV_VARS.map((v) => `${v}=...`).join(" ")} deno task register`,
  };
}

/** The home section. */
export const homeSection: Section = { base: "/", nav: { href: "/", label: "Home", order: 0 }, app };
