// deno-lint-ignore-file jsx-key -- server-rendered once: keys only matter to client-side diffing
/** Time attack: the season's schedule, each event's leaderboard and the standings. */
import { Hono } from "hono";
import type { Context } from "hono";
import type { TaSeasonConfig, TimeAttackConfig } from "@/config.ts";
import { currentSeason, eventAt, findSeason, seasonEvents } from "@/kv/ta/schedule.ts";
import { eventBoardView, type EventNames, seasonStandings, seasonView } from "@/kv/ta/views.ts";
import { loadAcNames } from "@/kv/ac_content/names.ts";
import { notFoundPage, page, type SiteEnv } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import { driverHref, gap, lapTime } from "@/routes/site/_format.ts";

const app = new Hono<SiteEnv>();

/** A wall-clock time in the season's zone, with the zone's abbreviation: "Sat, Nov 8, 2025, 00:00 CST". */
function wall(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(new Date(iso));
}

const NOW_MARK = " (now)";
const NO_POINTS = " (no points)";
/** "🇦🇹 Red Bull Ring National" (the folder names in the title). */
function Track(props: { e: EventNames & { track: string; layout: string } }) {
  const id = props.e.layout ? `${props.e.track} / ${props.e.layout}` : props.e.track;
  return <span title={id}>{props.e.flag ? `${props.e.flag} ` : ""}{props.e.trackName}</span>;
}
const carsText = (e: EventNames) => e.carNames.map((c) => c.name).join(", ");
const base = (season: number) => `/ta/${season}`;

function seasonParam(ta: TimeAttackConfig, param: string): TaSeasonConfig | null {
  return /^\d{1,6}$/.test(param) ? findSeason(ta, Number(param)) : null;
}

function SeasonNav(props: { ta: TimeAttackConfig; season: number }) {
  return (
    <nav aria-label="Seasons">
      <p>
        {props.ta.seasons.map((s) =>
          s.season === props.season
            ? <strong aria-current="page">Season {s.season}</strong>
            : <a href={base(s.season)}>Season {s.season}</a>
        )} · <a href={`${base(props.season)}/standings`}>Standings</a>
      </p>
    </nav>
  );
}

async function schedulePage(
  c: Context<SiteEnv>,
  ta: TimeAttackConfig,
  s: TaSeasonConfig,
) {
  const now = c.var.deps.now().getTime();
  const view = seasonView(s, await loadAcNames(c.var.deps.kv, c.var.deps.config));
  const current = eventAt(seasonEvents(s), now)?.key ?? null;
  const scoring = s.events.filter((e) => e.counts).length;
  const counted = Math.max(1, scoring - s.dropWeeks);
  return await page(c, {
    title: `Time attack, season ${s.season}`,
    description: `The schedule of time-attack season ${s.season}: tracks, cars and dates.`,
    body: (
      <>
        <h1>Time attack, season {s.season}</h1>
        <SeasonNav ta={ta} season={s.season} />
        <p class="muted">
          Times in {s.timeZone}. Each driver's best {counted} of {scoring} scoring events count.
        </p>
        <div class="table-wrap" tabindex={0} role="region" aria-label="Schedule">
          <table>
            <thead>
              <tr>
                <th scope="col" class="num">Week</th>
                <th scope="col">Event</th>
                <th scope="col">Track</th>
                <th scope="col">Cars</th>
                <th scope="col">Starts</th>
                <th scope="col" class="opt">Ends</th>
              </tr>
            </thead>
            <tbody>
              {view.events.filter((e) => e.listed).map((e) => (
                <tr aria-current={e.key === current ? "true" : undefined}>
                  <td class="num">{e.week}</td>
                  <th scope="row">
                    <a href={`${base(s.season)}/events/${encodeURIComponent(e.key)}`}>{e.name}</a>
                    {e.key === current ? NOW_MARK : null}
                    {e.counts ? null : <span class="muted">{NO_POINTS}</span>}
                  </th>
                  <td>
                    <Track e={e} />
                  </td>
                  <td>{carsText(e)}</td>
                  <td class="nowrap">{wall(e.start, s.timeZone)}</td>
                  <td class="nowrap opt">{e.end ? wall(e.end, s.timeZone) : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    ),
  });
}

app.get("/", (c) => {
  const ta = c.var.deps.config.timeAttack;
  if (!ta) return notFoundPage(c, "Time attack is not set up on this league.");
  return schedulePage(c, ta, currentSeason(ta, c.var.deps.now().getTime()));
});

app.get("/:season", (c) => {
  const ta = c.var.deps.config.timeAttack;
  const s = ta && seasonParam(ta, c.req.param("season"));
  if (!ta || !s) return notFoundPage(c, `There is no time-attack season "${c.req.param("season")}".`);
  return schedulePage(c, ta, s);
});

app.get("/:season/events/:key", async (c) => {
  const deps = c.var.deps;
  const ta = deps.config.timeAttack;
  const s = ta && seasonParam(ta, c.req.param("season"));
  const key = c.req.param("key");
  const names = await loadAcNames(deps.kv, deps.config);
  const board = ta && s ? await eventBoardView(deps.kv, ta, s, key, names) : null;
  if (!ta || !s || !board) return notFoundPage(c, `There is no event "${key}" in that season.`);
  const name = s.events.find((e) => e.key === key)?.name ?? key;
  const winner = board.entries[0];
  return await page(c, {
    title: `${name}, season ${s.season}`,
    description: `Leaderboard of ${name}: ${board.trackName}, ${carsText(board)}.`,
    body: (
      <>
        <h1>{name}</h1>
        <SeasonNav ta={ta} season={s.season} />
        <p>
          <Track e={board} />
          {` · ${carsText(board)} · ${wall(board.start, s.timeZone)}${
            board.end ? ` to ${wall(board.end, s.timeZone)}` : ""
          }`}
        </p>
        {board.entries.length === 0
          ? <p class="muted">No laps yet.</p>
          : (
            <div class="table-wrap" tabindex={0} role="region" aria-label="Leaderboard">
              <table>
                <thead>
                  <tr>
                    <th scope="col" class="num">#</th>
                    <th scope="col">Driver</th>
                    <th scope="col" class="num">Lap</th>
                    <th scope="col" class="num">Gap</th>
                    <th scope="col" class="opt">Car</th>
                  </tr>
                </thead>
                <tbody>
                  {board.entries.map((e) => (
                    <tr>
                      <td class="num">{e.rank}</td>
                      <th scope="row">
                        <a href={driverHref(e.driver.id)}>{e.driver.name}</a>
                      </th>
                      <td class="num time">{lapTime(e.lapMs)}</td>
                      <td class="num time">{winner && e.rank > 1 ? gap(e.lapMs - winner.lapMs) : "–"}</td>
                      <td class="opt" title={e.car}>{e.carName}</td>
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

app.get("/:season/standings", async (c) => {
  const deps = c.var.deps;
  const ta = deps.config.timeAttack;
  const s = ta && seasonParam(ta, c.req.param("season"));
  if (!ta || !s) return notFoundPage(c, `There is no time-attack season "${c.req.param("season")}".`);
  const st = await seasonStandings(deps.kv, ta, s);
  const names = new Map(s.events.map((e) => [e.key, e.name ?? e.key]));
  return await page(c, {
    title: `Standings, season ${s.season}`,
    description: `Time-attack standings of season ${s.season}.`,
    body: (
      <>
        <h1>Standings, season {s.season}</h1>
        <SeasonNav ta={ta} season={s.season} />
        <p class="muted">
          The best {st.counted}{" "}
          event scores count; dropped ones are struck out. Equal totals: the lower mean gap to each event's
          winner over the events both drivers set a lap in, then more event wins.
        </p>
        {st.entries.length === 0
          ? <p class="muted">No points yet.</p>
          : (
            <div class="table-wrap" tabindex={0} role="region" aria-label="Standings">
              <table>
                <thead>
                  <tr>
                    <th scope="col" class="num">#</th>
                    <th scope="col">Driver</th>
                    <th scope="col" class="num">Points</th>
                    {st.eventKeys.map((k) => <th scope="col" class="num opt">{names.get(k) ?? k}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {st.entries.map((e) => (
                    <tr>
                      <td class="num">{e.rank}</td>
                      <th scope="row">
                        <a href={driverHref(e.driver.id)}>{e.driver.name}</a>
                      </th>
                      <td class="num">{e.points.toFixed(2)}</td>
                      {st.eventKeys.map((k) => {
                        const p = e.events[k];
                        if (p === undefined) return <td class="num opt muted">–</td>;
                        return (
                          <td class="num opt">
                            {e.dropped.includes(k) ? <s>{p.toFixed(2)}</s> : p.toFixed(2)}
                          </td>
                        );
                      })}
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

/** The time-attack section, mounted at /ta. */
export const taSection: Section = {
  base: "/ta",
  nav: { href: "/ta", label: "Time attack", order: 50, shown: (config) => Boolean(config.timeAttack) },
  app,
};
