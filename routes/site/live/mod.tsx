/**
 * Live timing (docs/live.md): `/live/<server>`, the session an AC server is running and every
 * car's laps, best and last lap as the agent relays them. Rendered complete on the server; a
 * small same-origin script (static/live.js) refreshes the table from `/api/live/<server>`.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { loadAcNames } from "@/kv/ac_content/names.ts";
import { getLiveState } from "@/kv/live/state.ts";
import { kvReader } from "@/kv/reader.ts";
import { type LiveView, liveView } from "@/routes/api/live_view.ts";
import { notFoundPage, page, type SiteEnv } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import { ASSETS } from "@/routes/site/_static.ts";
import { SCRIPTED_PAGE_CSP } from "@/routes/headers.ts";
import { driverHref, kindLabel, lapTime, when } from "@/routes/site/_format.ts";

const app = new Hono<SiteEnv>();

/** The heading line of a session ("Qualifying at Vallelunga (Club Circuit)"), or a note without one. */
export function sessionLine(v: LiveView): string {
  const s = v.session;
  if (!s) return "No session seen yet: the table fills in when the server starts one.";
  const what = `${kindLabel(s.kind)} (${s.name}) at ${s.trackName}`;
  return s.endedAt ? `${what}, ended ${when(s.endedAt)}` : `${what}, started ${when(s.startedAt)}`;
}

function Rows(props: { v: LiveView }) {
  return (
    <>
      {props.v.cars.map((c, i) => (
        <tr>
          <td>{c.bestLapMs === null ? "" : i + 1}</td>
          <td>
            {c.guid ? <a href={driverHref(c.guid)}>{c.driver || c.guid}</a> : c.driver || `Car ${c.carId}`}
          </td>
          <td class="opt">{c.carName}</td>
          <td class="num">{c.laps}</td>
          <td class="num">{c.bestLapMs === null ? "" : lapTime(c.bestLapMs)}</td>
          <td class="num">
            {c.lastLapMs === null ? "" : lapTime(c.lastLapMs)}
            {c.lastCuts ? ` (${c.lastCuts} cut${c.lastCuts === 1 ? "" : "s"})` : ""}
          </td>
          <td>{c.connected ? "on the server" : "left"}</td>
        </tr>
      ))}
    </>
  );
}

async function livePage(c: Context<SiteEnv>) {
  const deps = c.var.deps;
  const id = c.req.param("server") ?? "";
  const server = deps.config.servers.find((s) => s.id === id);
  if (!server) return notFoundPage(c, `There is no server "${id}".`);
  const v = liveView(id, await getLiveState(kvReader(deps.kv), id), await loadAcNames(deps.kv, deps.config));
  const name = server.name ?? id;
  const res = await page(c, {
    title: `Live: ${name}`,
    description: `Live timing of ${name}: the running session, every car's laps, best and last lap.`,
    scripts: [ASSETS.live.href],
    body: (
      <>
        <h1>Live: {name}</h1>
        <p id="live-session" aria-live="polite">{sessionLine(v)}</p>
        <div class="table-wrap" tabindex={0} role="region" aria-label="Live timing">
          <table id="live-table" data-server={id}>
            <thead>
              <tr>
                <th scope="col">Pos</th>
                <th scope="col">Driver</th>
                <th scope="col" class="opt">Car</th>
                <th scope="col" class="num">Laps</th>
                <th scope="col" class="num">Best</th>
                <th scope="col" class="num">Last</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              <Rows v={v} />
            </tbody>
          </table>
        </div>
        <p class="muted">
          Laps with cuts never count as a best. <span id="live-updated">Reload the page to update it</span>
          {v.updatedAt ? `; last event ${when(v.updatedAt)}.` : "."}
        </p>
      </>
    ),
  });
  res.headers.set("Content-Security-Policy", SCRIPTED_PAGE_CSP);
  return res;
}

app.get("/:server", livePage);

/** Live timing pages: reached from the home page while a session runs. */
export const liveSection: Section = { base: "/live", app, live: true };
