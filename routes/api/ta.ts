/** `/api/ta/*`: time-attack seasons, event leaderboards and standings; see docs/time_attack.md. */
import { Hono } from "hono";
import type { TaSeasonConfig } from "@/config.ts";
import type { RouteEnv } from "@/routes/route_env.ts";
import { badParam, HttpError } from "@/routes/errors.ts";
import { eventBoardView, seasonStandings, seasonView, standingsView } from "@/kv/ta/views.ts";
import { findSeason } from "@/kv/ta/schedule.ts";
import { loadAcNames } from "@/kv/ac_content/names.ts";
import type { DiscordDeps } from "@/discord/deps.ts";

function seasonOf(deps: DiscordDeps, param: string): TaSeasonConfig {
  const ta = deps.config.timeAttack;
  if (!ta) throw new HttpError(404, "Time attack is not configured on this server");
  if (!/^\d{1,6}$/.test(param)) throw badParam("season", "expected a season number");
  const season = findSeason(ta, Number(param));
  if (!season) {
    const known = ta.seasons.map((s) => s.season).join(", ");
    throw new HttpError(404, `Unknown season ${param}; seasons: ${known}`);
  }
  return season;
}

/** `/api/ta/*` routes. */
export const taApi = new Hono<RouteEnv>()
  .get("/seasons/:season", async (c) => {
    const deps = c.var.deps;
    const season = seasonOf(deps, c.req.param("season"));
    return c.json(seasonView(season, await loadAcNames(deps.kv, deps.config)));
  })
  .get("/seasons/:season/events/:key", async (c) => {
    const deps = c.var.deps;
    const season = seasonOf(deps, c.req.param("season"));
    const key = c.req.param("key");
    const answer = await deps.viewCache.through(
      deps.kv,
      `ta\u0000event\u0000${season.season}\u0000${key}`,
      async () =>
        eventBoardView(
          deps.kv,
          deps.config.timeAttack!,
          season,
          key,
          await loadAcNames(deps.kv, deps.config),
        ),
    );
    if (!answer) throw new HttpError(404, `Unknown event "${key}" in season ${season.season}`);
    return c.json(answer);
  })
  .get("/seasons/:season/standings", async (c) => {
    const deps = c.var.deps;
    const season = seasonOf(deps, c.req.param("season"));
    const answer = await deps.viewCache.through(
      deps.kv,
      `ta\u0000standings\u0000${season.season}`,
      async () => standingsView(await seasonStandings(deps.kv, deps.config.timeAttack!, season)),
    );
    return c.json(answer);
  });
