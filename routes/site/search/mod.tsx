// deno-lint-ignore-file jsx-key -- server-rendered once: keys only matter to client-side diffing
/** Search: drivers and tracks by name, through the name index Discord's autocomplete uses. */
import { Hono } from "hono";
import { type NameHit, searchNames } from "@/kv/racing/names.ts";
import type { RacingGame } from "@/games/racing/types.ts";
import { page, type SiteEnv } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import { SearchForm } from "@/routes/site/_parts.tsx";
import { day, driverHref, gameLabel, trackHref } from "@/routes/site/_format.ts";

const LIMIT = 30;
const app = new Hono<SiteEnv>();

function hitHref(h: NameHit): string {
  if (h.kind === "driver") return driverHref(h.id);
  const slash = h.id.indexOf("/");
  return trackHref((h.game ?? h.id.slice(0, slash)) as RacingGame, h.id.slice(slash + 1));
}

function Hits(props: { hits: NameHit[]; label: string; id: string }) {
  if (props.hits.length === 0) return null;
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.label}</h2>
      <ul class="hits">
        {props.hits.map((h) => (
          <li>
            <a href={hitHref(h)}>{h.name}</a>
            {(h.games ?? (h.game ? [h.game] : [])).map((g) => <span class="tag after">{gameLabel(g)}</span>)}
            <span class="muted small after">last seen {day(h.lastSeenAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

app.get("/", async (c) => {
  const q = (c.req.query("q") ?? "").trim().slice(0, 100);
  const hits = q ? await searchNames(c.var.deps.kv, { query: q, limit: LIMIT }) : [];
  const drivers = hits.filter((h) => h.kind === "driver");
  const tracks = hits.filter((h) => h.kind === "track");
  return page(c, {
    title: q ? `Search: ${q}` : "Search",
    description: "Find a driver or a track by name.",
    body: (
      <>
        <h1>{q ? <>Results for “{q}”</> : "Search"}</h1>
        <SearchForm value={q} />
        {!q && <p class="muted">Type part of a driver's name or a track's name.</p>}
        {q && hits.length === 0 && (
          <p>
            No driver or track matches “{q}”. Names match from the start of any word: try fewer letters, or
            browse <a href="/tracks">all tracks</a>.
          </p>
        )}
        <Hits hits={tracks} label="Tracks" id="hits-tracks" />
        <Hits hits={drivers} label="Drivers" id="hits-drivers" />
      </>
    ),
  });
});

/** The search section. */
export const searchSection: Section = {
  base: "/search",
  nav: { href: "/search", label: "Search", order: 90 },
  app,
};
