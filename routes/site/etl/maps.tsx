/**
 * An ET:Legacy map: rounds played, how stopwatch went on it, and its latest rounds. Reads the
 * map's summary and month indexes (kv/etl/search.ts), the same figures as `/et maps`.
 */
import { Hono } from "hono";
import { etlZones } from "@/config.ts";
import { getEtlMapView } from "@/kv/etl/search.ts";
import { wallToInstant } from "@/kv/etl/zones.ts";
import { zonedWhen } from "@/lib/file_time.ts";
import { notFoundPage, page, type SiteEnv } from "@/routes/site/_layout.tsx";
import { roundHref } from "@/routes/site/etl/_parts.tsx";
import { plural } from "@/routes/site/_format.ts";

/** The map pages, mounted into the ET:Legacy section. */
export const mapPages = new Hono<SiteEnv>();

mapPages.get("/maps/:map", async (c) => {
  const map = c.req.param("map");
  if (map.length > 64) return notFoundPage(c, "That map name is too long to be one.");
  const m = await getEtlMapView(c.var.deps.kv, map);
  if (!m) return notFoundPage(c, `No ET:Legacy round has been played on "${map}".`);
  const zoneOf = etlZones(c.var.deps.config);
  return page(c, {
    title: `${m.map} (ET:Legacy)`,
    description: `ET:Legacy map ${m.map}: ${
      plural(m.rounds, "round")
    }, stopwatch results and the latest rounds.`,
    body: (
      <>
        <p class="eyebrow">ET:Legacy map</p>
        <h1>{m.map}</h1>
        <dl class="stats">
          <div>
            <dt>Rounds</dt>
            <dd>{m.rounds}</dd>
          </div>
          <div>
            <dt>Maps completed</dt>
            <dd>{m.maps}</dd>
          </div>
          <div>
            <dt>Round 2 attack won</dt>
            <dd>{m.r2AttackWins}</dd>
          </div>
          <div>
            <dt>Double full holds</dt>
            <dd>{m.doubleHolds}</dd>
          </div>
        </dl>
        <section aria-labelledby="map-rounds">
          <h2 id="map-rounds">Latest rounds</h2>
          <div class="table-wrap" tabindex={0} role="region" aria-labelledby="map-rounds">
            <table>
              <thead>
                <tr>
                  <th scope="col">Played</th>
                  <th scope="col">Round</th>
                  <th scope="col" class="num">Points</th>
                </tr>
              </thead>
              <tbody>
                {m.recent.map((b) => {
                  const zone = zoneOf(b.serverId);
                  return (
                    <tr>
                      <th scope="row" class="nowrap">
                        <a href={roundHref(b.id)}>{zonedWhen(wallToInstant(b.wallMs, zone), zone)}</a>
                      </th>
                      <td>
                        Round {b.round}
                        {b.status === "orphan" ? " (no round 1)" : ""}
                        {b.x ? " (not counted)" : ""}
                      </td>
                      <td class="num">{b.points ? `${b.points[0]}–${b.points[1]}` : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      </>
    ),
  });
});
