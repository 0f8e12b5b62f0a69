/** A session: classification with gaps, best laps, penalties and DSQ, and a lap-time chart. */
import { Hono } from "hono";
import { bestLapOf, fastestOf } from "@/games/racing/best_lap.ts";
import type { CarResult, Lap } from "@/games/racing/types.ts";
import { dateKnown, getSession, type SessionDetail } from "@/kv/racing/sessions.ts";
import { kvReader } from "@/kv/reader.ts";
import { notFoundPage, page, type SiteEnv } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import { LineChart } from "@/routes/site/_svg_chart.tsx";
import {
  driverHref,
  gameLabel,
  gap,
  kindLabel,
  lapTick,
  lapTime,
  plural,
  raceTime,
  sector,
  trackHref,
  when,
} from "@/routes/site/_format.ts";

/** Cars drawn in the lap chart: more lines than this are unreadable. */
const CHART_CARS = 8;
const LAP_STEPS = [100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 30000, 60000];

const app = new Hono<SiteEnv>();

app.get("/:id", async (c) => {
  const id = c.req.param("id");
  if (id.length > 200) return notFoundPage(c, "That session id is too long to be one.");
  const s = await getSession(kvReader(c.var.deps.kv), id, { withLaps: true });
  if (!s) return notFoundPage(c, `There is no session "${id}".`);
  const laps = s.laps ?? [];
  const race = s.kind === "R";
  // Sessions stored before best laps were tied to their lap: fill them from the lap list.
  s.cars.forEach((car, i) => {
    if (car.bestLapDriver !== undefined) return;
    const lap = bestLapOf(laps, i, car);
    if (lap) Object.assign(car, { bestLapDriver: lap.driver, bestLapSplitsMs: lap.splitsMs });
  });
  const best = fastestOf(s.cars);
  const fastest = best?.car ?? null;
  const title = `${s.trackName}: ${kindLabel(s.kind)}`;
  const penalties = s.cars.flatMap((car) => car.penalties.map((p) => ({ car, p })));
  return page(c, {
    title: `${title}, ${when(s.finishedAt)}`,
    description: `${kindLabel(s.kind)} at ${s.trackName} (${gameLabel(s.game)}), ${when(s.finishedAt)}.`,
    body: (
      <>
        <p class="eyebrow">
          <a href={trackHref(s.game, s.track)}>{s.trackName}</a> / {gameLabel(s.game)} / session
        </p>
        <h1>{title}</h1>
        <p class="lead">
          {dateKnown(s.timeSource)
            ? `Finished ${when(s.finishedAt)}`
            : `Date unknown: the file carried none (file time ${when(s.finishedAt)})`}
          {/^(FP|Q|R|PRACTICE|QUALIFY|RACE)$/i.test(s.sessionType) ? "" : ` · ${s.sessionType}`} ·{" "}
          {plural(s.cars.length, "car")} · {plural(s.lapCount, "lap")}
          {s.wet ? " · wet" : ""}
          {s.serverName ? ` · ${s.serverName}` : ""}
        </p>
        {fastest && (
          <dl class="stats">
            <div>
              <dt>Fastest lap</dt>
              <dd class="time">{lapTime(best!.lapMs)}</dd>
            </div>
            <div>
              <dt>By</dt>
              <dd>
                <a href={driverHref(best!.driver.id)}>{best!.driver.name}</a>
              </dd>
            </div>
            {race && s.cars[0] && (
              <div>
                <dt>Winner</dt>
                <dd>
                  <a href={driverHref(s.cars[0].drivers[0]!.id)}>{names(s.cars[0])}</a>
                </dd>
              </div>
            )}
          </dl>
        )}
        <section aria-labelledby="classification">
          <h2 id="classification">Classification</h2>
          <Classification s={s} fastest={fastest} />
        </section>
        {penalties.length > 0 && (
          <section aria-labelledby="penalties">
            <h2 id="penalties">Penalties</h2>
            <div class="table-wrap" tabindex={0} role="region" aria-labelledby="penalties">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Car</th>
                    <th scope="col">Penalty</th>
                    <th scope="col">Reason</th>
                    <th scope="col" class="num">Lap</th>
                    <th scope="col" class="opt">When</th>
                  </tr>
                </thead>
                <tbody>
                  {penalties.map(({ car, p }) => (
                    <tr class={p.penalty === "Disqualified" ? "dsq" : undefined}>
                      <th scope="row">
                        {car.raceNumber !== undefined && <span class="num-plate">#{car.raceNumber}</span>}
                        {" "}
                        {p.driverIndex !== undefined && car.drivers[p.driverIndex]
                          ? car.drivers[p.driverIndex]!.name
                          : names(car)}
                      </th>
                      <td>{penaltyText(p.penalty, p.value)}</td>
                      <td>{p.reason}</td>
                      <td class="num">{p.violationInLap ? p.violationInLap : "–"}</td>
                      <td class="opt">{p.postRace ? "After the race" : "During the session"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
        <section aria-labelledby="laps">
          <h2 id="laps">Lap times</h2>
          <LapChart s={s} laps={laps} />
        </section>
        <p class="muted small">
          From <code>{s.fileName}</code>, imported {when(s.importedAt)}.
        </p>
      </>
    ),
  });
});

function names(car: CarResult): string {
  return car.drivers.map((d) => d.name).join(" / ");
}

/** ACC's penalty names as people say them. */
function penaltyText(penalty: string, value: number): string {
  switch (penalty) {
    case "DriveThrough":
      return "Drive-through";
    case "StopAndGo_10":
    case "StopAndGo_20":
    case "StopAndGo_30":
      return `Stop and go, ${penalty.split("_")[1]} s`;
    case "PostRaceTime":
      return `${value} s added after the race`;
    case "LapPenalty":
      return `${value} lap${value === 1 ? "" : "s"} deducted`;
    case "Disqualified":
      return "Disqualified";
    case "None":
      return "Warning";
    default:
      return value ? `${penalty} (${value})` : penalty;
  }
}

function Classification(props: { s: SessionDetail; fastest: CarResult | null }) {
  const { s, fastest } = props;
  const race = s.kind === "R";
  const leader = s.cars.find((c) => !c.disqualified) ?? s.cars[0];
  const gapOf = (c: CarResult): string => {
    if (!leader || c === leader || c.disqualified) return "";
    if (race) {
      const down = leader.lapCount - c.lapCount;
      if (down > 0) return `+${down} lap${down === 1 ? "" : "s"}`;
      return c.totalTimeMs !== null && leader.totalTimeMs !== null
        ? gap(c.totalTimeMs - leader.totalTimeMs)
        : "";
    }
    return c.bestLapMs !== null && leader.bestLapMs !== null ? gap(c.bestLapMs - leader.bestLapMs) : "";
  };
  return (
    <div class="table-wrap" tabindex={0} role="region" aria-labelledby="classification">
      <table class="board">
        <thead>
          <tr>
            <th scope="col" class="num">Pos</th>
            <th scope="col">Driver</th>
            <th scope="col" class="opt">Car</th>
            <th scope="col" class="num opt">Laps</th>
            {race && <th scope="col" class="num opt">Time</th>}
            <th scope="col" class="num">Gap</th>
            <th scope="col" class="num">Best lap</th>
            <th scope="col" class="num opt">Sectors of the best lap</th>
            <th scope="col" class="num opt">Best sectors (any lap)</th>
          </tr>
        </thead>
        <tbody>
          {s.cars.map((car) => (
            <tr class={car.disqualified ? "dsq" : car === leader ? "leader" : undefined}>
              <td class="num">{car.disqualified ? <abbr title="Disqualified">DSQ</abbr> : car.position}</td>
              <th scope="row">
                {car.raceNumber !== undefined && <span class="num-plate">#{car.raceNumber}</span>}{" "}
                {car.drivers.map((d, i) => (
                  <>
                    {i > 0 && " / "}
                    <a href={driverHref(d.id)}>{d.name}</a>
                  </>
                ))}
                {car.penalties.length > 0 && !car.disqualified && (
                  <span class="tag warn">{car.penalties.length} pen.</span>
                )}
              </th>
              <td class="opt">
                {car.car.name} <span class="tag">{car.car.class}</span>
              </td>
              <td class="num opt">{car.lapCount}</td>
              {race && (
                <td class="num time opt">{car.totalTimeMs === null ? "–" : raceTime(car.totalTimeMs)}</td>
              )}
              <td class="num time">{gapOf(car)}</td>
              <td class={`num time${car === fastest ? " best" : ""}`}>
                {car.bestLapMs === null ? "–" : lapTime(car.bestLapMs)}
              </td>
              <td class="num time opt">{(car.bestLapSplitsMs ?? []).map(sector).join(" · ")}</td>
              <td class="num time opt">{(car.bestSplitsMs ?? []).map(sector).join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LapChart(props: { s: SessionDetail; laps: Lap[] }) {
  const { s, laps } = props;
  const race = s.kind === "R";
  const shown = s.cars.map((car, i) => ({ car, i })).filter(({ car }) => car.lapCount > 0).slice(
    0,
    CHART_CARS,
  );
  const valid = laps.filter((l) => l.valid && l.lapMs > 0).map((l) => l.lapMs);
  if (shown.length === 0 || laps.length === 0) return <p class="muted">This file has no lap list.</p>;
  const best = Math.min(...(valid.length ? valid : laps.map((l) => l.lapMs)));
  // Laps far off the pace (race lap 1 with the formation lap, pit stops, spins) would flatten
  // every other line: they are drawn on the top edge, hollow, with their time in the tooltip.
  const cap = best * 1.1;
  const series = shown.map(({ car, i }) => {
    let n = 0;
    const points = laps.filter((l) => l.car === i).map((l) => {
      n++;
      const first = race && n === 1;
      const notes = [
        first ? "lap 1, from the start" : "",
        l.valid ? "" : "invalid",
        l.lapMs > cap ? "off the scale" : "",
      ]
        .filter(Boolean);
      return { x: n, y: l.lapMs, marked: first || l.lapMs > cap, note: notes.join(", ") || undefined };
    });
    return { name: `P${car.position} ${names(car)}`, points };
  });
  return (
    <>
      <LineChart
        id="lapchart"
        title={`Lap times, ${kindLabel(s.kind).toLowerCase()} at ${s.trackName}`}
        description={`Lap times of the first ${shown.length} cars, one line per car. ${
          race ? "Lap 1 starts from the grid and is drawn hollow. " : ""
        }Laps slower than ${lapTime(cap)} are drawn hollow on the top edge.`}
        series={series}
        x={{ label: "Lap", format: (v) => String(v), steps: [1, 2, 5, 10, 20, 50, 100, 200] }}
        y={{ label: "Lap time", format: lapTime, tick: lapTick, steps: LAP_STEPS }}
        yCap={cap}
      />
      <p class="muted small">
        {race ? "Hollow points: lap 1 (it starts from the grid) and " : "Hollow points: "}
        laps more than 10 % off the fastest ({lapTime(cap)} or slower), drawn on the top edge.
        {s.cars.length > CHART_CARS ? ` The first ${CHART_CARS} cars of the classification are shown.` : ""}
      </p>
    </>
  );
}

/** Session pages: reached from links, not the nav. */
export const sessionsSection: Section = { base: "/sessions", app };
