/**
 * Car numbers: the public roster of each league (number, driver, verified in iRacing), one page
 * per Discord server, and an index of the leagues. No Discord ids: the driver is the iRacing name
 * once the sync matched the claim, else the member's server name at the claim. Claims change
 * without an import, so these pages are mounted outside the site's import-versioned page cache.
 */
import { Hono } from "hono";
import { publicNumbers } from "@/kv/numbers/public.ts";
import { listConfiguredGuilds } from "@/kv/numbers/settings.ts";
import { getRoster } from "@/kv/numbers/roster.ts";
import { getSyncStatus } from "@/kv/numbers/sync.ts";
import { notFoundPage, page, type SiteEnv } from "@/routes/site/_layout.tsx";
import type { Section } from "@/routes/site/_section.ts";
import { day, when } from "@/routes/site/_format.ts";

const app = new Hono<SiteEnv>();

app.get("/", async (c) => {
  const kv = c.var.deps.kv;
  const guilds = (await listConfiguredGuilds(kv)).filter((g) => g.settings.leagueId !== null);
  const rows = await Promise.all(guilds.map(async (g) => ({
    guildId: g.guildId,
    leagueId: g.settings.leagueId!,
    roster: await getRoster(kv, g.guildId),
    list: await publicNumbers(kv, g.guildId),
  })));
  c.header("Cache-Control", "no-cache");
  return page(c, {
    title: "Car numbers",
    description: "Who drives which car number in each iRacing league.",
    body: (
      <>
        <h1>Car numbers</h1>
        {rows.length === 0 && <p class="muted">No iRacing league has been set up yet.</p>}
        {rows.length > 0 && (
          <div class="table-wrap" tabindex={0} role="region" aria-label="Leagues">
            <table>
              <thead>
                <tr>
                  <th scope="col">League</th>
                  <th scope="col" class="num">Numbers claimed</th>
                  <th scope="col" class="num">Verified</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`/numbers/${r.guildId}`}>
                        {r.roster?.leagueName ?? `iRacing league ${r.leagueId}`}
                      </a>
                    </th>
                    <td class="num">{r.list?.numbers.length ?? 0}</td>
                    <td class="num">{r.list?.numbers.filter((n) => n.verified).length ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>
    ),
  });
});

app.get("/:guild", async (c) => {
  const guild = c.req.param("guild");
  if (!/^\d{17,20}$/.test(guild)) return notFoundPage(c, "That is not a league's numbers page.");
  const kv = c.var.deps.kv;
  const [list, status] = await Promise.all([publicNumbers(kv, guild), getSyncStatus(kv, guild)]);
  if (!list) return notFoundPage(c, "No car numbers are kept for that server.");
  const name = list.league?.name ?? (list.league ? `iRacing league ${list.league.id}` : "Car numbers");
  c.header("Cache-Control", "no-cache");
  return page(c, {
    title: `Car numbers: ${name}`,
    description: `Who drives which car number in ${name}.`,
    body: (
      <>
        <h1>Car numbers: {name}</h1>
        <p class="muted">
          Verified means the league roster in iRacing shows the number on that driver's car.
          {status?.ok ? <>Last checked {when(status.at)}.</> : null}
        </p>
        {list.numbers.length === 0 && <p class="muted">No number is claimed yet.</p>}
        {list.numbers.length > 0 && (
          <div class="table-wrap" tabindex={0} role="region" aria-label="Car numbers">
            <table>
              <thead>
                <tr>
                  <th scope="col" class="num">Number</th>
                  <th scope="col">Driver</th>
                  <th scope="col">Verified</th>
                  <th scope="col" class="opt">Claimed</th>
                </tr>
              </thead>
              <tbody>
                {list.numbers.map((n) => (
                  <tr>
                    <th scope="row" class="num">#{n.number}</th>
                    <td>{n.driver ?? "–"}</td>
                    <td>{n.verified ? "Verified" : "Not yet"}</td>
                    <td class="opt nowrap">{day(n.claimedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>
          <a href={`/api/numbers/${guild}?format=csv`}>Download as CSV</a>
        </p>
      </>
    ),
  });
});

/** The numbers section: /numbers and /numbers/:guild; live (not behind the import-versioned cache). */
export const numbersSection: Section = {
  base: "/numbers",
  nav: {
    href: "/numbers",
    label: "Car numbers",
    order: 60,
    shown: (config) => Boolean(config.iracing) || config.numbersEnabled === true,
  },
  app,
  live: true,
};
