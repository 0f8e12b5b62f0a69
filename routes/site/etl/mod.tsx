/**
 * ET:Legacy on the site: gaming sessions, a session (maps, score, every player), a round, a
 * player (totals, per map, form over time), and the leaderboards. Reads are kv/etl/views.ts, the
 * same as the API and Discord.
 */
import { Hono } from "hono";
import { raw } from "hono/html";
import { sessionChartSvg, sessionKdChartSvg } from "@/discord/et/session_chart.ts";
import { metricById, METRICS } from "@/games/etl/metrics.ts";
import { mmss } from "@/games/etl/stopwatch.ts";
import {
  getPlayerView,
  getRoundView,
  getSessionView,
  leaderboard,
  listSessionViews,
  type Period,
  PERIODS,
} from "@/kv/etl/views.ts";
import { notFoundPage, page, type SiteEnv } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import { LineChart } from "@/routes/site/_svg_chart.tsx";
import { AwardsSection } from "@/routes/site/etl/_awards.tsx";
import { morePages } from "@/routes/site/etl/more.tsx";
import { mapPages } from "@/routes/site/etl/maps.tsx";
import { getRoundAwards } from "@/kv/etl/endstats.ts";
import { kvReader } from "@/kv/reader.ts";
import { etlZones } from "@/config.ts";
import { zonedDay, zonedWhen } from "@/lib/file_time.ts";
import { plural } from "@/routes/site/_format.ts";
import {
  EtName,
  fmt,
  leaderboardHref,
  mapHref,
  playerHref,
  PlayerTable,
  roundHref,
  sessionHref,
} from "@/routes/site/etl/_parts.tsx";

const app = new Hono<SiteEnv>();
app.route("/", morePages);
app.route("/", mapPages);
const DAY = 86_400_000;
const SIDE = ["", "Axis", "Allies", "Spectator"];

app.get("/", async (c) => {
  const sessions = await listSessionViews(c.var.deps.kv, 60, etlZones(c.var.deps.config));
  return page(c, {
    title: "ET:Legacy sessions",
    description: "Gaming sessions of the league's ET:Legacy stopwatch server, newest first.",
    body: (
      <>
        <p class="eyebrow">ET:Legacy</p>
        <h1>Sessions</h1>
        <p>
          A session is an evening of rounds with no break of an hour or more; times are the server's.{" "}
          <a href={leaderboardHref("kills")}>Leaderboards</a>
        </p>
        {sessions.length === 0
          ? <p>No ET:Legacy rounds have been imported yet.</p>
          : (
            <div class="table-wrap" tabindex={0} role="region" aria-label="Sessions">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col" class="num">Rounds</th>
                    <th scope="col">Maps</th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.map((s) => (
                    <tr>
                      <th scope="row">
                        <a href={sessionHref(s.id)}>{zonedWhen(s.startedAt, s.timeZone)}</a>
                      </th>
                      <td class="num">{s.rounds}</td>
                      <td>{s.maps.join(", ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      </>
    ),
  });
});

app.get("/sessions/:id", async (c) => {
  const id = c.req.param("id");
  if (id.length > 40) return notFoundPage(c, "That session id is too long to be one.");
  const s = await getSessionView(c.var.deps.kv, id, etlZones(c.var.deps.config));
  if (!s) return notFoundPage(c, `There is no ET:Legacy session "${id}".`);
  const [a, b] = s.score.teams;
  return page(c, {
    title: `Session ${s.id.slice(0, 10)}`,
    description: `ET:Legacy session of ${s.id.slice(0, 10)}: ${plural(s.rounds, "round")}, ${
      plural(s.players.length, "player")
    }.`,
    body: (
      <>
        <p class="eyebrow">ET:Legacy session · {zonedWhen(s.startedAt, s.timeZone)}</p>
        <h1>Session {s.id.slice(0, 10)}</h1>
        <dl class="stats">
          <div>
            <dt>Score</dt>
            <dd>{a.points} – {b.points}</dd>
          </div>
          <div>
            <dt>Rounds</dt>
            <dd>{s.rounds}</dd>
          </div>
          <div>
            <dt>Players</dt>
            <dd>{s.players.length}</dd>
          </div>
        </dl>
        <p>
          Team A: {a.names.join(", ") || "—"}. Team B: {b.names.join(", ") || "—"}.
        </p>
        <section aria-labelledby="maps">
          <h2 id="maps">Maps</h2>
          <div class="table-wrap" tabindex={0} role="region" aria-labelledby="maps">
            <table>
              <thead>
                <tr>
                  <th scope="col">Map</th>
                  <th scope="col">Round 1</th>
                  <th scope="col">Round 2</th>
                  <th scope="col" class="num">A – B</th>
                  <th scope="col" class="opt">Result</th>
                  <th scope="col">MVP</th>
                </tr>
              </thead>
              <tbody>
                {s.maps.map((m) => {
                  const sm = s.score.maps.find((x) => x.r2Id === m.r2Id);
                  return (
                    <tr>
                      <th scope="row">
                        <a href={mapHref(m.map)}>{m.map}</a>
                      </th>
                      <td>
                        {m.r1Id
                          ? (
                            <a href={roundHref(m.r1Id)}>
                              {m.result?.r1TimeS ? mmss(m.result.r1TimeS) : "R1"}
                            </a>
                          )
                          : "—"}
                      </td>
                      <td>
                        {m.r2Id
                          ? (
                            <a href={roundHref(m.r2Id)}>
                              {m.result?.r2TimeS ? mmss(m.result.r2TimeS) : "R2"}
                            </a>
                          )
                          : "not played"}
                      </td>
                      <td class="num">{sm ? `${sm.a} – ${sm.b}` : "—"}</td>
                      <td class="opt">{m.result?.summary ?? ""}</td>
                      <td>
                        {m.mvp
                          ? <a href={playerHref(m.mvp.guid)}>{m.mvp.name} ({m.mvp.score.toFixed(1)})</a>
                          : "—"}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
        <section aria-labelledby="players">
          <h2 id="players">Players</h2>
          <PlayerTable rows={s.players.map((p) => ({ ...p, t: p.totals, m: p.metrics }))} label="players" />
          {s.mvp && (
            <p>
              MVP: <a href={playerHref(s.mvp.guid)}>{s.mvp.name}</a> ({s.mvp.score.toFixed(1)})
            </p>
          )}
          {s.players.length > 0 && <figure class="chart">{raw(sessionChartSvg(s))}</figure>}
          {s.players.length > 0 && <figure class="chart">{raw(sessionKdChartSvg(s))}</figure>}
        </section>
      </>
    ),
  });
});

app.get("/rounds/:id", async (c) => {
  const id = c.req.param("id");
  if (id.length > 200) return notFoundPage(c, "That round id is too long to be one.");
  const [r, awards] = await Promise.all([
    getRoundView(c.var.deps.kv, id, etlZones(c.var.deps.config)),
    getRoundAwards(kvReader(c.var.deps.kv), id),
  ]);
  if (!r) return notFoundPage(c, `There is no ET:Legacy round "${id}".`);
  return page(c, {
    title: `${r.map} round ${r.round}`,
    description: `ET:Legacy ${r.map}, round ${r.round}, ${zonedWhen(r.playedAt, r.timeZone)}.`,
    body: (
      <>
        <p class="eyebrow">
          ET:Legacy round · <a href={sessionHref(r.sessionId)}>session {r.sessionId.slice(0, 10)}</a> ·{" "}
          <a href={mapHref(r.map)}>map</a>
        </p>
        <h1>{r.map}, round {r.round}</h1>
        <p>
          {zonedWhen(r.playedAt, r.timeZone)} · {r.actualTimeS ? mmss(r.actualTimeS) : "?"} of{" "}
          {mmss(r.timeLimitS)} · winner {SIDE[r.winner] ?? "?"}
          {r.status === "paired" && " · values are round 2 alone (R2 − R1)"}
          {r.status === "orphan" &&
            " · no round 1 was found: values are both rounds together and are not counted"}
        </p>
        {r.excludedReason && (
          <p>
            <strong>Not counted in totals:</strong> {r.excludedReason}
          </p>
        )}
        {r.mvp && (
          <p>
            MVP: <a href={playerHref(r.mvp.guid)}>{r.mvp.name}</a> ({r.mvp.score.toFixed(1)})
          </p>
        )}
        <p class="muted">File: {r.sourceFile}</p>
        <h2 id="round-players">Players</h2>
        <PlayerTable
          label="round-players"
          rows={r.players.map((p) => ({
            ...p,
            t: p,
            m: { kd: p.kd, dpm: p.dpm, accuracy: p.accuracy, headshot_pct: p.headshotPct },
          }))}
        />
        <AwardsSection awards={awards} />
      </>
    ),
  });
});

app.get("/players/:guid", async (c) => {
  const guid = c.req.param("guid").toUpperCase();
  if (guid.length > 64) return notFoundPage(c, "That player id is too long to be one.");
  const p = await getPlayerView(c.var.deps.kv, guid, etlZones(c.var.deps.config));
  if (!p) return notFoundPage(c, `No ET:Legacy player with the GUID "${guid}" has played a counted round.`);
  const rounds = p.rounds.slice().reverse();
  const points = (id: string) =>
    rounds.map((r) => ({ x: Date.parse(r.playedAt), y: r.metrics[id] ?? 0, note: r.map }));
  return page(c, {
    title: p.name || guid,
    description: `${p.name}: ET:Legacy totals, maps and form.`,
    body: (
      <>
        {/* A person's GUIDs all show: their rounds are added together (docs/identities.md). */}
        <p class="eyebrow">ET:Legacy player · {(p.guids ?? [p.guid]).join(", ")}</p>
        <h1>
          <EtName raw={p.nameRaw} plain={p.name} />
        </h1>
        <dl class="stats">
          {["rounds", "kills", "kd", "dpm", "accuracy", "headshot_pct", "revives", "time_played"].map((
            id,
          ) => (
            <div>
              <dt>{metricById(id)!.label}</dt>
              <dd>{fmt(id, p.metrics[id])}</dd>
            </div>
          ))}
        </dl>
        <p>
          <a href={`${playerHref(p.guid)}/weapons`}>Weapons</a> ·{" "}
          <a href={`${playerHref(p.guid)}/form`}>Form per session</a> · <a href="/etl/awards">Awards</a>
        </p>
        <section aria-labelledby="form">
          <h2 id="form">Form</h2>
          {rounds.length < 2 ? <p>Form needs two rounds or more.</p> : (
            <LineChart
              id="etl-form"
              title={`${p.name}: damage per minute, last ${rounds.length} rounds`}
              description="Damage per minute in each of the player's recent rounds, oldest on the left."
              series={[{ name: "DPM", points: points("dpm") }]}
              x={{
                label: "Played",
                format: (v) => zonedDay(v, p.timeZone),
                steps: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY],
              }}
              y={{ label: "DPM", format: (v) => v.toFixed(0) }}
            />
          )}
        </section>
        <section aria-labelledby="maps">
          <h2 id="maps">Maps</h2>
          <div class="table-wrap" tabindex={0} role="region" aria-labelledby="maps">
            <table>
              <thead>
                <tr>
                  <th scope="col">Map</th>
                  <th scope="col" class="num">Rounds</th>
                  <th scope="col" class="num">K/D</th>
                  <th scope="col" class="num">DPM</th>
                  <th scope="col" class="num opt">Accuracy</th>
                </tr>
              </thead>
              <tbody>
                {p.maps.map((m) => (
                  <tr>
                    <th scope="row">
                      <a href={mapHref(m.map)}>{m.map}</a>
                    </th>
                    <td class="num">{m.totals.rounds}</td>
                    <td class="num">{fmt("kd", m.metrics.kd)}</td>
                    <td class="num">{fmt("dpm", m.metrics.dpm)}</td>
                    <td class="num opt">{fmt("accuracy", m.metrics.accuracy)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </>
    ),
  });
});

app.get("/leaderboards", async (c) => {
  const metric = c.req.query("metric") ?? "kills";
  const period = (c.req.query("period") ?? "all") as Period;
  const m = metricById(metric);
  if (!m || !(period in PERIODS)) return notFoundPage(c, "There is no such leaderboard.");
  const lb = await leaderboard(c.var.deps.kv, metric, {
    period,
    now: c.var.deps.now(),
    limit: 50,
    zoneOf: etlZones(c.var.deps.config),
  });
  return page(c, {
    title: `${m.label} leaderboard`,
    description: `ET:Legacy leaderboard: ${m.definition}.`,
    body: (
      <>
        <p class="eyebrow">ET:Legacy leaderboard</p>
        <h1>{m.label}</h1>
        <p>{m.definition}{m.minRounds > 1 ? `; at least ${m.minRounds} rounds` : ""}.</p>
        <nav aria-label="Metrics">
          <ul class="chips">
            {METRICS.map((x) => (
              <li>
                <a href={leaderboardHref(x.id, period)} aria-current={x.id === metric ? "page" : undefined}>
                  {x.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-label="Period">
          <ul class="chips">
            {Object.keys(PERIODS).map((p) => (
              <li>
                <a href={leaderboardHref(metric, p)} aria-current={p === period ? "page" : undefined}>
                  {p === "all" ? "All time" : `Last ${p}`}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {lb.rows.length === 0
          ? <p>Nobody qualifies for this leaderboard yet.</p>
          : (
            <div class="table-wrap" tabindex={0} role="region" aria-label={`${m.label} leaderboard`}>
              <table>
                <thead>
                  <tr>
                    <th scope="col" class="num">#</th>
                    <th scope="col">Player</th>
                    <th scope="col" class="num">{m.label}</th>
                    <th scope="col" class="num">Rounds</th>
                  </tr>
                </thead>
                <tbody>
                  {lb.rows.map((r) => (
                    <tr class={r.rank === 1 ? "leader" : undefined}>
                      <td class="num">{r.rank}</td>
                      <th scope="row">
                        <a href={playerHref(r.guid)}>
                          <EtName raw={r.nameRaw} plain={r.name} />
                        </a>
                      </th>
                      <td class="num">{r.display}</td>
                      <td class="num">{r.rounds}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      </>
    ),
  });
});

/** The ET:Legacy section of the site. */
export const etlSection: Section = {
  base: "/etl",
  nav: {
    href: "/etl",
    label: "ET:Legacy",
    order: 50,
    shown: (config) => config.servers.some((s) => s.game === "etl"),
  },
  app,
};
