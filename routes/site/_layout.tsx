/**
 * The page shell: one h1 per page (the page's), landmarks (banner, navigation, main, contentinfo),
 * a skip link, the nav built from the sections, and the hashed stylesheet. Scripts only where a
 * page asks for one, same-origin (the Content-Security-Policy, routes/headers.ts, allows no other).
 */
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { RouteEnv } from "@/routes/route_env.ts";
import type { Config } from "@/config.ts";
import { ASSETS } from "@/routes/site/_static.ts";
import { cleanMarkup } from "@/lib/text.ts";

/** A section's entry in the main navigation. */
export interface NavEntry {
  href: string;
  label: string;
  /** Position in the nav, ascending. */
  order: number;
  /** Whether this hub has the section (time attack only when configured...); always when absent. */
  shown?: (config: Config) => boolean;
}

/** What every page of the site knows: set by the site's middleware (routes/site/mod.ts). */
export interface SiteInfo {
  nav: NavEntry[];
}

/** Hono environment of the site's sections. */
export interface SiteEnv {
  Variables: RouteEnv["Variables"] & { site: SiteInfo };
}

/** What a page gives the shell. */
export interface PageOptions {
  /** The `<title>` (the league's name is appended). */
  title: string;
  /** One-sentence summary for `<meta name="description">`. */
  description?: string;
  body: Child;
  status?: 200 | 400 | 404 | 500;
  /** Same-origin scripts (hashed static files) the page enhances itself with; it works without them. */
  scripts?: string[];
}

function current(path: string, href: string): boolean {
  return href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`);
}

/** Renders a page inside the shell. */
export async function page(c: Context<SiteEnv>, o: PageOptions): Promise<Response> {
  const league = c.var.deps.config.league.name;
  const config = c.var.deps.config;
  const nav = (c.get("site")?.nav ?? []).filter((n) => n.shown?.(config) ?? true);
  const path = c.req.path;
  const html = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{o.title === league ? league : `${o.title} · ${league}`}</title>
        {o.description && <meta name="description" content={o.description} />}
        <link rel="stylesheet" href={ASSETS.css.href} />
        <link rel="icon" href={ASSETS.icon.href} type="image/svg+xml" />
        {
          // deno-lint-ignore jsx-key -- rendered once on the server (hono/jsx would print the key)
          (o.scripts ?? []).map((src) => <script src={src} defer></script>)
        }
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site-header">
          <div class="wrap bar">
            <a class="brand" href="/">
              <img src={ASSETS.icon.href} alt="" width="24" height="24" />
              <span>{league}</span>
            </a>
            <nav aria-label="Main">
              <ul>
                {nav.map((n) => (
                  <li>
                    <a href={n.href} aria-current={current(path, n.href) ? "page" : undefined}>{n.label}</a>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          <div class="wrap">{o.body}</div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>
              {league} · lap records and results straight from the league's game servers ·{" "}
              <a href="/api/tracks">JSON API</a> · runs on Podium
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
  // Names from game files are escaped by the templates; bidi and control characters go here, once
  // for every page (docs/security.md).
  return c.html(`<!DOCTYPE html>${cleanMarkup(await html.toString())}`, o.status ?? 200);
}

/** The 404 page, with a way back. */
export function notFoundPage(c: Context<SiteEnv>, what: string): Promise<Response> {
  return page(c, {
    title: "Not found",
    status: 404,
    body: (
      <section class="empty">
        <h1>Not found</h1>
        <p>{what}</p>
        <p>
          Try the <a href="/">home page</a>, the <a href="/tracks">track list</a> or{" "}
          <a href="/search">search for a driver or track</a>.
        </p>
      </section>
    ),
  });
}

/** The 500 page: a sentence and a way back (the error itself goes to the server log). */
export function serverErrorPage(c: Context<SiteEnv>): Promise<Response> {
  return page(c, {
    title: "Something went wrong",
    status: 500,
    body: (
      <section class="empty">
        <h1>Something went wrong</h1>
        <p>This page could not be built just now; the server log has the details. Try again in a moment.</p>
        <p>
          Meanwhile, the <a href="/">home page</a> may work.
        </p>
      </section>
    ),
  });
}
