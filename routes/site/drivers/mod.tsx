/** A driver: every PB with its rank, gap and sectors against the record, and PB progression charts. */
import { Hono } from "hono";
import { driverPbs, type PbLine } from "@/kv/racing/records.ts";
import { boardIdOf, getPerson, isPersonId } from "@/kv/people/people.ts";
import { type DriverSessionLine, driverSessions } from "@/kv/racing/driver_sessions.ts";
import { listDriverTracks } from "@/kv/racing/drivers.ts";
import { topOfBoard } from "@/kv/racing/boards.ts";
import { listTracks } from "@/kv/racing/tracks.ts";
import { kvReader } from "@/kv/reader.ts";
import { notFoundPage, page, type SiteEnv } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import { LineChart } from "@/routes/site/_svg_chart.tsx";
import {
  classLabel,
  day,
  gameLabel,
  gap,
  kindLabel,
  lapTick,
  lapTime,
  sector,
  sessionHref,
  trackHref,
} from "@/routes/site/_format.ts";

const DAY = 86_400_000;
const DAY_STEPS = [1, 2, 7, 14, 30, 61, 91, 182, 365, 730].map((d) => d * DAY);
const LAP_STEPS = [100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 30000, 60000];

const app = new Hono<SiteEnv>();

app.get("/:id", async (c) => {
  const id = c.req.param("id");
  if (id.length > 200) return notFoundPage(c, "That driver id is too long to be one.");
  const { kv, rankCache } = c.var.deps;
  const r = kvReader(kv);
  const [found, tracks, boardId] = await Promise.all([
    driverPbs(r, id, { kv, rankCache }),
    listTracks(kv),
    boardIdOf(kv, id),
  ]);
  // A driver merged into a person: the person's page (a merge can be undone, so not permanent).
  if (boardId !== id) return c.redirect(`/drivers/${encodeURIComponent(boardId)}`, 302);
  if (!found) return notFoundPage(c, `No driver with the id "${id}" has driven in an imported session.`);
  const driverIds = isPersonId(id) ? (await getPerson(kv, id))?.drivers ?? [id] : [id];
  const stats = await listDriverTracks(r, id);
  const driven = await driverSessions(kv, driverIds, stats);
  const names = new Map(tracks.map((t) => [`${t.game}/${t.track}`, t.name]));
  const lastAt = new Map(tracks.map((t) => [`${t.game}/${t.track}`, Date.parse(t.lastSessionAt)]));
  const overall = found.pbs.filter((p) => p.class === "all");
  // The record lap of each overall board, for the sector comparison.
  const records = await Promise.all(
    overall.map((p) => topOfBoard(r, { game: p.game, track: p.track, kind: p.kind, cls: "all" }, 1)),
  );
  const groups = new Map<string, { pbs: PbLine[]; overall: { pb: PbLine; recordSplits: number[] }[] }>();
  for (const p of found.pbs) {
    const key = `${p.game}/${p.track}`;
    if (!groups.has(key)) groups.set(key, { pbs: [], overall: [] });
    groups.get(key)!.pbs.push(p);
  }
  overall.forEach((p, i) =>
    groups.get(`${p.game}/${p.track}`)!.overall.push({ pb: p, recordSplits: records[i]![0]?.splitsMs ?? [] })
  );
  const ordered = [...groups.entries()].sort((a, b) => {
    const newest = (g: typeof a) => Math.max(...g[1].pbs.map((p) => Date.parse(p.setAt)));
    return newest(b) - newest(a);
  });
  const records1 = overall.filter((p) => p.rank === 1).length;
  const name = found.driver.name;
  return page(c, {
    title: name,
    description: `${name}: personal bests, ranks and progress on every track.`,
    body: (
      <>
        <p class="eyebrow">Driver · {found.driver.games.map(gameLabel).join(", ")}</p>
        <h1>{name}</h1>
        <dl class="stats">
          <div>
            <dt>Tracks</dt>
            <dd>{new Set(stats.map((t) => `${t.game}/${t.track}`)).size}</dd>
          </div>
          <div>
            <dt>Sessions</dt>
            <dd>{stats.reduce((n, t) => n + t.sessions, 0)}</dd>
          </div>
          <div>
            <dt>Personal bests</dt>
            <dd>{found.pbs.length}</dd>
          </div>
          <div>
            <dt>Records held</dt>
            <dd>{records1}</dd>
          </div>
        </dl>
        {found.pbs.length === 0 && (
          <p>
            {name}{" "}
            has no valid lap in the imported sessions (every lap was invalid, or none was completed), so there
            is no personal best to rank; the sessions they entered are below.
          </p>
        )}
        <section aria-labelledby="pbs" hidden={found.pbs.length === 0}>
          <h2 id="pbs">Personal bests</h2>
          <div class="table-wrap" tabindex={0} role="region" aria-labelledby="pbs">
            <table>
              <thead>
                <tr>
                  <th scope="col">Track</th>
                  <th scope="col">Kind</th>
                  <th scope="col" class="opt">Class</th>
                  <th scope="col" class="num">Lap</th>
                  <th scope="col" class="num">Rank</th>
                  <th scope="col" class="num">Gap to record</th>
                  <th scope="col" class="opt">Car</th>
                  <th scope="col" class="opt">Set on</th>
                </tr>
              </thead>
              <tbody>
                {ordered.flatMap(([key, g]) =>
                  g.pbs.map((p) => (
                    <tr class={p.rank === 1 ? "leader" : undefined}>
                      <th scope="row">
                        <a href={trackHref(p.game, p.track, { kind: p.kind, cls: p.class })}>
                          {names.get(key) ?? p.track}
                        </a>{" "}
                        <span class="tag">{gameLabel(p.game)}</span>
                      </th>
                      <td>{kindLabel(p.kind)}</td>
                      <td class="opt nowrap">{classLabel(p.class)}</td>
                      <td class="num time">{lapTime(p.lapMs)}</td>
                      <td class="num nowrap">
                        {p.rank} <span class="muted">of {p.of}</span>
                      </td>
                      <td class="num time">{p.vsRecordMs === 0 ? "Record" : gap(p.vsRecordMs)}</td>
                      <td class="opt">{p.car.name}</td>
                      <td class="opt nowrap">
                        <a href={sessionHref(p.sessionId)}>{day(p.setAt)}</a>
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </section>
        <SessionsTable sessions={driven.sessions} more={driven.more} />
        {ordered.map(([key, g], gi) => {
          const trackName = names.get(key) ?? g.pbs[0]!.track;
          const first = g.pbs[0]!;
          return (
            <section class="track-block" aria-labelledby={`t${gi}`}>
              <h2 id={`t${gi}`}>
                <a href={trackHref(first.game, first.track)}>{trackName}</a>{" "}
                <span class="tag">{gameLabel(first.game)}</span>
              </h2>
              <div class="split">
                <div>
                  {g.overall.map(({ pb, recordSplits }) => (
                    <SectorTable pb={pb} recordSplits={recordSplits} id={`t${gi}${pb.kind}`} />
                  ))}
                </div>
                {g.overall.every((o) => o.pb.history.length < 2)
                  ? (
                    <p class="muted chart-note">
                      No progression to chart yet: each personal best here was set at the first attempt.
                    </p>
                  )
                  : (
                    <LineChart
                      id={`chart${gi}`}
                      title={`${name}: personal best progression at ${trackName}`}
                      description={g.overall.map((o) =>
                        `${kindLabel(o.pb.kind)}: ${o.pb.history.length} improvements, from ${
                          lapTime(o.pb.history[0]?.lapMs ?? o.pb.lapMs)
                        } to ${lapTime(o.pb.lapMs)}.`
                      ).join(" ")}
                      series={g.overall.map((o) => ({
                        name: kindLabel(o.pb.kind),
                        step: true,
                        points: o.pb.history.map((h) => ({ x: h.setAtMs, y: h.lapMs })),
                      }))}
                      x={{ label: "Date", format: (v) => day(v), steps: DAY_STEPS }}
                      y={{ label: "Lap time", format: lapTime, tick: lapTick, steps: LAP_STEPS }}
                      xEnd={Math.max(lastAt.get(key) ?? 0, ...g.pbs.map((p) => Date.parse(p.setAt)))}
                      width={540}
                      height={400}
                    />
                  )}
              </div>
            </section>
          );
        })}
      </>
    ),
  });
});

/** The driver's sessions, newest first: where they finished, in what, and how many laps. */
function SessionsTable(props: { sessions: DriverSessionLine[]; more: boolean }) {
  if (props.sessions.length === 0) return null;
  return (
    <section aria-labelledby="driven">
      <h2 id="driven">Sessions{props.more ? ` (the latest ${props.sessions.length})` : ""}</h2>
      <div class="table-wrap" tabindex={0} role="region" aria-labelledby="driven">
        <table>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Track</th>
              <th scope="col">Session</th>
              <th scope="col" class="num">Pos.</th>
              <th scope="col" class="opt">Car</th>
              <th scope="col" class="num">Laps</th>
              <th scope="col" class="num opt">Best lap</th>
            </tr>
          </thead>
          <tbody>
            {props.sessions.map((s) => (
              <tr>
                <th scope="row" class="nowrap">
                  <a href={sessionHref(s.sessionId)}>{s.dateKnown ? day(s.finishedAt) : "date unknown"}</a>
                </th>
                <td>
                  <a href={trackHref(s.game, s.track)}>{s.trackName}</a>{" "}
                  <span class="tag">{gameLabel(s.game)}</span>
                </td>
                <td>{kindLabel(s.kind)}</td>
                <td class="num nowrap pos">
                  {s.disqualified ? "DSQ" : `P${s.position}`} <span class="muted">of {s.of}</span>
                </td>
                <td class="opt">{s.raceNumber !== undefined ? `#${s.raceNumber} ` : ""}{s.car.name}</td>
                <td class="num">{s.laps === 0 ? "0 (none completed)" : s.laps}</td>
                <td class="num time opt">{s.bestLapMs === null ? "no valid lap" : lapTime(s.bestLapMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function SectorTable(props: { pb: PbLine; recordSplits: number[]; id: string }) {
  const { pb, recordSplits } = props;
  const n = Math.max(pb.splitsMs.length, recordSplits.length, pb.bestSectorsMs.length);
  if (n === 0) return null;
  const caption = `${kindLabel(pb.kind)}: sectors of the PB lap against the record lap`;
  const delta = (a: number | null | undefined, b: number | undefined) =>
    a == null || b === undefined ? "" : a === b ? "=" : gap(a - b);
  return (
    <div class="table-wrap" tabindex={0} role="region" aria-label={caption}>
      <table class="sectors">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Sector</th>
            <th scope="col" class="num">PB lap</th>
            <th scope="col" class="num">Record lap</th>
            <th scope="col" class="num">Difference</th>
            <th scope="col" class="num opt">Best ever</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: n }, (_, i) => {
            const mine = pb.splitsMs[i];
            const rec = recordSplits[i];
            const d = mine === undefined || rec === undefined ? 0 : mine - rec;
            return (
              <tr>
                <th scope="row">S{i + 1}</th>
                <td class="num time">{mine === undefined ? "–" : sector(mine)}</td>
                <td class="num time">{rec === undefined ? "–" : sector(rec)}</td>
                <td class={`num time ${d > 0 ? "slower" : d < 0 ? "faster" : ""}`}>{delta(mine, rec)}</td>
                <td class="num time opt">
                  {pb.bestSectorsMs[i] == null ? "–" : sector(pb.bestSectorsMs[i]!)}
                </td>
              </tr>
            );
          })}
          <tr class="total">
            <th scope="row">Lap</th>
            <td class="num time">{lapTime(pb.lapMs)}</td>
            <td class="num time">{lapTime(pb.lapMs - pb.vsRecordMs)}</td>
            <td class="num time">{pb.vsRecordMs === 0 ? "=" : gap(pb.vsRecordMs)}</td>
            <td class="num time opt">
              {pb.theoreticalBestMs === null ? "–" : lapTime(pb.theoreticalBestMs)}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** Driver pages: reached from links, not the nav. */
export const driversSection: Section = { base: "/drivers", app };
