/**
 * The public site: server-rendered, read-only pages over the same KV as the API. Each section is
 * a folder under routes/site/ exporting a `Section` (a Hono sub-app, its base path and its nav
 * entry); adding one is one line in SECTIONS. Static files carry a content hash and are cached for
 * a year; pages answer conditional GETs from the changes key (routes/site/_cache.ts).
 */
import { Hono } from "hono";
import type { Context, MiddlewareHandler } from "hono";
import type { RouteEnv } from "@/routes/route_env.ts";
import { notFoundPage, serverErrorPage, type SiteEnv, type SiteInfo } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import { ASSET_BY_PATH, BUILD_VERSION } from "@/routes/site/_static.ts";
import { pageCache } from "@/routes/site/_cache.ts";
import { homeSection } from "@/routes/site/home/mod.tsx";
import { tracksSection } from "@/routes/site/tracks/mod.tsx";
import { driversSection } from "@/routes/site/drivers/mod.tsx";
import { sessionsSection } from "@/routes/site/sessions/mod.tsx";
import { searchSection } from "@/routes/site/search/mod.tsx";
import { etlSection } from "@/routes/site/etl/mod.tsx";
import { taSection } from "@/routes/site/ta/mod.tsx";
import { numbersSection } from "@/routes/site/numbers/mod.tsx";
import { liveSection } from "@/routes/site/live/mod.tsx";

/** The site's sections, one line each. */
export const SECTIONS: Section[] = [
  homeSection,
  tracksSection,
  driversSection,
  sessionsSection,
  searchSection,
  etlSection,
  taSection,
  numbersSection,
  liveSection,
];

const INFO: SiteInfo = {
  nav: SECTIONS.flatMap((s) => s.nav ? [s.nav] : []).sort((a, b) => a.order - b.order),
};

/** The site as one Hono app, mounted at "/" by app.ts. */
export function createSite(): Hono<RouteEnv> {
  const site = new Hono<SiteEnv>();
  site.get("/static/:file", (c) => {
    const asset = ASSET_BY_PATH.get(c.req.path);
    if (!asset) return siteNotFound(c);
    return c.body(asset.body.slice(), 200, {
      "Content-Type": asset.type,
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  });
  // Only the sections' own paths pass through the site's middleware, so routes that other
  // modules mount beside the site pay nothing for it.
  const setInfo: MiddlewareHandler<SiteEnv> = async (c, next) => {
    c.set("site", INFO);
    await next();
  };
  const cache = pageCache({ version: BUILD_VERSION }) as unknown as MiddlewareHandler<SiteEnv>;
  for (const s of SECTIONS) {
    // A live section's pages change without an import: the import-versioned cache must not keep them.
    const chain = s.live ? [setInfo] : [setInfo, cache];
    for (const path of s.base === "/" ? ["/"] : [s.base, `${s.base}/*`]) site.use(path, ...chain);
  }
  for (const s of SECTIONS) site.route(s.base, s.app);
  return site as unknown as Hono<RouteEnv>;
}

/** The site's 500 page: the error goes to the log, the reader gets a sentence and a way back. */
export function siteError(err: Error, c: Context<RouteEnv>): Promise<Response> {
  console.error(`Unhandled error on ${c.req.method} ${c.req.path}:`, err);
  const sc = c as unknown as Context<SiteEnv>;
  if (!sc.get("site")) sc.set("site", INFO);
  return serverErrorPage(sc);
}

/** The site's 404 page, for any path no route answers. */
export function siteNotFound(c: Context<RouteEnv> | Context<SiteEnv>): Promise<Response> {
  const sc = c as unknown as Context<SiteEnv>;
  if (!sc.get("site")) sc.set("site", INFO);
  return notFoundPage(sc, `There is no page at ${c.req.path}.`);
}
