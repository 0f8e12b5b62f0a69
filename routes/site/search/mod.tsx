// deno-lint-ignore-file jsx-key -- server-rendered once: keys only matter to client-side diffing
/**
 * Search: ACC/AC drivers and tracks (the name index Discord's autocomplete uses), ET:Legacy
 * players and maps, and time-attack events, each with its game. The groups with the best match
 * come first; within a group, the best match, then the most recent.
 */
import { Hono } from "hono";
import { type NameHit, searchNames } from "@/kv/racing/names.ts";
import type { RacingGame } from "@/games/racing/types.ts";
import { searchEtlMaps, searchEtlPlayers } from "@/kv/etl/search.ts";
import { searchTaEvents, type TaEventHit } from "@/kv/ta/search.ts";
import { loadAcNames } from "@/kv/ac_content/names.ts";
import { matchScore } from "@/lib/text.ts";
import { zonedDay } from "@/lib/file_time.ts";
import type { DiscordDeps } from "@/discord/deps.ts";
import { page, type SiteEnv } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import { SearchForm } from "@/routes/site/_parts.tsx";
import { day, driverHref, gameLabel, plural, trackHref } from "@/routes/site/_format.ts";
import { wallDay } from "@/kv/etl/keys.ts";

const LIMIT = 30;
const app = new Hono<SiteEnv>();

function hitHref(h: NameHit): string {
  if (h.kind === "driver") return driverHref(h.id);
  const slash = h.id.indexOf("/");
  return trackHref((h.game ?? h.id.slice(0, slash)) as RacingGame, h.id.slice(slash + 1));
}

/** One found thing as listed: a link, its game(s), and a line of context. */
interface Hit {
  href: string;
  name: string;
  games: string[];
  note: string;
  score: number;
}

/** A group of hits under a heading. */
interface Group {
  id: string;
  label: string;
  hits: Hit[];
}

function Hits(props: { group: Group }) {
  const { id, label, hits } = props.group;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{label}</h2>
      <ul class="hits">
        {hits.map((h) => (
          <li>
            <a href={h.href}>{h.name}</a>
            {h.games.map((g) => <span class="tag after">{g}</span>)}
            <span class="muted small after">{h.note}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What a racing hit scores: the name index matches words from their start. */
function racingScore(h: NameHit, q: string): number {
  return matchScore(h.name, q) ?? (h.id.toLowerCase() === q.toLowerCase() ? 0 : 2);
}

function taNote(e: TaEventHit): string {
  const cars = e.carNames.length > 2 ? `${e.carNames.slice(0, 2).join(", ")} +${e.carNames.length - 2}` : e
    .carNames.join(", ");
  return `season ${e.season} · ${e.trackName} · ${cars} · from ${zonedDay(e.startMs, e.timeZone)}`;
}

async function search(deps: Pick<DiscordDeps, "kv" | "config">, q: string): Promise<Group[]> {
  const { kv, config } = deps;
  const [racing, players, maps, names] = await Promise.all([
    searchNames(kv, { query: q, limit: LIMIT }),
    searchEtlPlayers(kv, q, LIMIT),
    searchEtlMaps(kv, q, LIMIT),
    config.timeAttack ? loadAcNames(kv, config) : null,
  ]);
  const events = names ? searchTaEvents(config.timeAttack, names, q, LIMIT) : [];
  const racingHit = (h: NameHit): Hit => ({
    href: hitHref(h),
    name: h.name,
    games: (h.games ?? (h.game ? [h.game] : [])).map(gameLabel),
    note: `last seen ${day(h.lastSeenAt)}`,
    score: racingScore(h, q),
  });
  const byScore = (hits: Hit[]) => hits.sort((a, b) => a.score - b.score);
  const groups: Group[] = [
    {
      id: "hits-tracks",
      label: "Tracks",
      hits: byScore(racing.filter((h) => h.kind === "track").map(racingHit)),
    },
    {
      id: "hits-drivers",
      label: "Drivers",
      hits: byScore(racing.filter((h) => h.kind === "driver").map(racingHit)),
    },
    {
      id: "hits-etl-players",
      label: "ET:Legacy players",
      hits: players.map((p) => ({
        href: `/etl/players/${encodeURIComponent(p.guid)}`,
        name: p.name || p.guid,
        games: ["ET:Legacy"],
        note: `${p.guid} · last played ${wallDay(p.lastWallMs)}`,
        score: p.guid.toLowerCase() === q.toLowerCase() ? 0 : matchScore(p.name, q) ?? 3,
      })),
    },
    {
      id: "hits-etl-maps",
      label: "ET:Legacy maps",
      hits: maps.map((m) => ({
        href: `/etl/maps/${encodeURIComponent(m.map)}`,
        name: m.map,
        games: ["ET:Legacy"],
        note: `${plural(m.rounds, "round")} · last played ${wallDay(m.lastWallMs)}`,
        score: m.score,
      })),
    },
    {
      id: "hits-ta",
      label: "Time-attack events",
      hits: events.map((e) => ({
        href: `/ta/${e.season}/events/${encodeURIComponent(e.key)}`,
        name: e.name,
        games: ["AC", "Time attack"],
        note: taNote(e),
        score: e.score,
      })),
    },
  ];
  // The group holding the best match first; ties keep the order above.
  const best = (g: Group) => Math.min(9, ...g.hits.map((h) => h.score));
  return groups.filter((g) => g.hits.length > 0).map((g, i) => ({ g, i }))
    .sort((a, b) => best(a.g) - best(b.g) || a.i - b.i).map((x) => x.g);
}

app.get("/", async (c) => {
  const q = (c.req.query("q") ?? "").trim().slice(0, 100);
  const groups = q ? await search(c.var.deps, q) : [];
  return page(c, {
    title: q ? `Search: ${q}` : "Search",
    description: "Find a driver, a track, an ET:Legacy player or map, or a time-attack event by name.",
    body: (
      <>
        <h1>{q ? <>Results for “{q}”</> : "Search"}</h1>
        <SearchForm value={q} />
        {!q && (
          <p class="muted">
            Type part of a name: a driver, a track, an ET:Legacy player or map, a time-attack event.
          </p>
        )}
        {q && groups.length === 0 && (
          <p>
            Nothing matches “{q}”. Names match from the start of any word: try fewer letters, or browse{" "}
            <a href="/tracks">all tracks</a>.
          </p>
        )}
        {groups.map((g) => <Hits group={g} />)}
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
