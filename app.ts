/** The Hono application: routes mounted on shared dependencies. Built by main.ts and by tests. */
import { Hono } from "hono";
import { api } from "@/routes/api/racing.ts";
import { etlApi } from "@/routes/api/etl.ts";
import { taApi } from "@/routes/api/ta.ts";
import { numbersApi } from "@/routes/api/numbers.ts";
import { BODY_BUDGET_BYTES, ingestRoutes } from "@/routes/ingest.ts";
import { BodyBudget } from "@/lib/body.ts";
import { acContentRoutes } from "@/routes/ac_content.ts";
import { liveRoutes } from "@/routes/api/live.ts";
import type { AppDeps, AppEnv } from "@/deps.ts";
import { RankCache } from "@/kv/racing/rank_cache.ts";
import { ViewCache } from "@/kv/view_cache.ts";
import { errorResponse, HttpError } from "@/routes/errors.ts";
import { responseHeaders } from "@/routes/headers.ts";
import { interactionRoutes } from "@/routes/interactions.ts";
import { enabledSets } from "@/discord/registry.ts";
import { createSite, siteError, siteNotFound } from "@/routes/site/mod.ts";

// static/ is read once at start (reading works on Deno Deploy too; nothing is written).
const ROBOTS = Deno.readTextFileSync(new URL("./static/robots.txt", import.meta.url));

type Optional = "rankCache" | "viewCache" | "discord" | "delivery";

/**
 * Builds the app around its dependencies (caches are made when none are given; Discord is off unless
 * given). `bodyBudget`: the bytes all request bodies in flight may hold together (routes/ingest.ts).
 */
export function createApp(
  given: Omit<AppDeps, Optional> & Partial<Pick<AppDeps, Optional>>,
  opts: { bodyBudget?: BodyBudget } = {},
): Hono<AppEnv> {
  const bodies = opts.bodyBudget ?? new BodyBudget(BODY_BUDGET_BYTES);
  const deps: AppDeps = {
    discord: null,
    delivery: null,
    ...given,
    rankCache: given.rankCache ?? new RankCache(),
    viewCache: given.viewCache ?? new ViewCache(),
  };
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  // Security headers on pages; nosniff and open CORS on the public, read-only API.
  app.use(responseHeaders);
  app.route("/api/etl", etlApi);
  app.route("/api", api);
  app.route("/api/numbers", numbersApi);
  const discord = deps.config.discord.credentials;
  if (discord) {
    app.route(
      "/interactions",
      interactionRoutes({ publicKey: discord.publicKey, sets: enabledSets(deps.config), budget: bodies }),
    );
  }
  app.route("/api/ta", taApi);
  app.route("/", liveRoutes(bodies));
  app.route("/", ingestRoutes(bodies));
  app.route("/", acContentRoutes(bodies));
  app.get("/robots.txt", (c) => c.text(ROBOTS));
  // The public site (routes/site/): every page that is not the API.
  app.route("/", createSite());
  app.notFound((c) =>
    c.req.path.startsWith("/api/") || c.req.path === "/api"
      ? errorResponse(new HttpError(404, `No route for ${c.req.method} ${c.req.path}`), c)
      : siteNotFound(c)
  );
  app.onError((err, c) =>
    err instanceof HttpError || c.req.path.startsWith("/api/") ||
      !(c.req.method === "GET" || c.req.method === "HEAD")
      ? errorResponse(err, c)
      : siteError(err, c)
  );
  return app;
}
