/**
 * More ET:Legacy pages: a player's weapons and form (per session, with the spread of DPM and
 * K/D), two players head to head, and the latest awards. The reads are kv/etl/analytics.ts and
 * kv/etl/endstats.ts, the same as the `/et` commands; a person's GUIDs (kv/etl/people.ts) are one
 * player, under the person's name.
 */
import { Hono } from "hono";
import { consistency, duo, matchup, playerTrends, playerWeapons } from "@/kv/etl/analytics.ts";
import { getRoundAwards, listEndstats } from "@/kv/etl/endstats.ts";
import { getEtlPlayer } from "@/kv/etl/players.ts";
import { EtlWho } from "@/kv/etl/people.ts";
import type { EtlPlayer } from "@/kv/etl/types.ts";
import { kvReader } from "@/kv/reader.ts";
import { notFoundPage, page, type SiteEnv } from "@/routes/site/_layout.tsx";
import { LineChart } from "@/routes/site/_svg_chart.tsx";
import { playerHref, roundHref, sessionHref } from "@/routes/site/etl/_parts.tsx";

/** The pages, mounted into the ET:Legacy section. */
export const morePages = new Hono<SiteEnv>();

const guidOf = (s: string | undefined) => (s && /^[0-9A-Za-z]{8,32}$/.test(s) ? s.toUpperCase() : null);

/** The player a GUID names, under their person's name; null when it never played. */
async function playerOf(kv: Deno.Kv, who: EtlWho, raw: string | undefined): Promise<EtlPlayer | null> {
  const guid = guidOf(raw);
  const p = guid ? await getEtlPlayer(kvReader(kv), guid) : null;
  return p && { ...p, name: who.nameOf(p) };
}

morePages.get("/players/:guid/weapons", async (c) => {
  const who = await EtlWho.load(kvReader(c.var.deps.kv));
  const p = await playerOf(c.var.deps.kv, who, c.req.param("guid"));
  if (!p) return notFoundPage(c, "No ET:Legacy player with that GUID has played a counted round.");
  const rows = await playerWeapons(c.var.deps.kv, p.guid, who);
  return page(c, {
    title: `${p.name}: weapons`,
    description: `${p.name}: kills, deaths, accuracy and head hits per weapon.`,
    body: (
      <>
        <p class="eyebrow">
          ET:Legacy player · <a href={playerHref(p.guid)}>{p.name}</a>
        </p>
        <h1>Weapons</h1>
        <div class="table-wrap" tabindex={0} role="region" aria-labelledby="weapons">
          <table>
            <caption id="weapons">Per weapon, over counted rounds</caption>
            <thead>
              <tr>
                <th scope="col">Weapon</th>
                <th scope="col" class="num">Kills</th>
                <th scope="col" class="num">Deaths</th>
                <th scope="col" class="num">Accuracy</th>
                <th scope="col" class="num opt">Hits / shots</th>
                <th scope="col" class="num">Head hits</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => (
                <tr>
                  <th scope="row">{w.weapon}</th>
                  <td class="num">{w.kills}</td>
                  <td class="num">{w.deaths}</td>
                  <td class="num">{w.accuracy.toFixed(1)}%</td>
                  <td class="num opt">{w.hits} / {w.shots}</td>
                  <td class="num">{w.headshots}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    ),
  });
});

morePages.get("/players/:guid/form", async (c) => {
  const kv = c.var.deps.kv;
  const who = await EtlWho.load(kvReader(kv));
  const p = await playerOf(kv, who, c.req.param("guid"));
  if (!p) return notFoundPage(c, "No ET:Legacy player with that GUID has played a counted round.");
  const [pts, cons] = await Promise.all([playerTrends(kv, p.guid, 20, who), consistency(kv, p.guid, who)]);
  const x = (id: string) => Date.UTC(+id.slice(0, 4), +id.slice(5, 7) - 1, +id.slice(8, 10));
  return page(c, {
    title: `${p.name}: form`,
    description: `${p.name}: K/D and DPM in each of their last sessions.`,
    body: (
      <>
        <p class="eyebrow">
          ET:Legacy player · <a href={playerHref(p.guid)}>{p.name}</a>
        </p>
        <h1>Form</h1>
        <p>
          Over {cons.rounds} rounds of a minute or more: DPM {cons.dpm.mean.toFixed(0)} ±{" "}
          {cons.dpm.sd.toFixed(0)} (spread {(cons.dpm.cv * 100).toFixed(0)}%), K/D {cons.kd.mean.toFixed(2)} ±
          {" "}
          {cons.kd.sd.toFixed(2)} (spread {(cons.kd.cv * 100).toFixed(0)}%). A smaller spread is steadier.
        </p>
        {pts.length >= 2 && (
          <LineChart
            id="etl-session-form"
            title={`${p.name}: DPM per session, last ${pts.length}`}
            description="Damage per minute in each of the player's last sessions, oldest on the left."
            series={[{
              name: "DPM",
              points: pts.map((s) => ({ x: x(s.sessionId), y: s.dpm, note: s.sessionId })),
            }]}
            x={{ label: "Session", format: (v) => new Date(v).toISOString().slice(0, 10) }}
            y={{ label: "DPM", format: (v) => v.toFixed(0) }}
          />
        )}
        <div class="table-wrap" tabindex={0} role="region" aria-labelledby="sessions">
          <table>
            <caption id="sessions">Last sessions</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col" class="num">Rounds</th>
                <th scope="col" class="num">Kills</th>
                <th scope="col" class="num">Deaths</th>
                <th scope="col" class="num">K/D</th>
                <th scope="col" class="num">DPM</th>
              </tr>
            </thead>
            <tbody>
              {pts.slice().reverse().map((s) => (
                <tr>
                  <th scope="row">
                    <a href={sessionHref(s.sessionId)}>{s.sessionId}</a>
                  </th>
                  <td class="num">{s.rounds}</td>
                  <td class="num">{s.kills}</td>
                  <td class="num">{s.deaths}</td>
                  <td class="num">{s.kd.toFixed(2)}</td>
                  <td class="num">{s.dpm}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    ),
  });
});

morePages.get("/matchup", async (c) => {
  const kv = c.var.deps.kv;
  const who = await EtlWho.load(kvReader(kv));
  const [pa, pb] = await Promise.all([c.req.query("a"), c.req.query("b")].map((g) => playerOf(kv, who, g)));
  if (!pa || !pb || pa.guid === pb.guid) {
    return notFoundPage(c, "A matchup needs two different players' GUIDs: /etl/matchup?a=GUID&b=GUID.");
  }
  if (who.same(pa.guid, pb.guid)) {
    return notFoundPage(
      c,
      "Those two GUIDs are one person (merged by an admin); a matchup needs two people.",
    );
  }
  const [m, d] = await Promise.all([matchup(kv, pa.guid, pb.guid, who), duo(kv, pa.guid, pb.guid, who)]);
  const kd = (t: { kills: number; deaths: number }) => (t.deaths ? t.kills / t.deaths : t.kills).toFixed(2);
  const dpm = (t: { damageGiven: number; timePlayedS: number }) =>
    (t.timePlayedS ? (t.damageGiven * 60) / t.timePlayedS : 0).toFixed(0);
  return page(c, {
    title: `${pa.name} vs ${pb.name}`,
    description: `${pa.name} and ${pb.name}: head to head and as a duo.`,
    body: (
      <>
        <p class="eyebrow">ET:Legacy matchup</p>
        <h1>
          <a href={playerHref(pa.guid)}>{pa.name}</a> vs <a href={playerHref(pb.guid)}>{pb.name}</a>
        </h1>
        <h2 id="against">Against each other</h2>
        <p>
          {m.against} rounds: {pa.name} won {m.winsA}, {pb.name} won {m.winsB}. {m.vs.rounds > 0
            ? `In the VS stats of ${m.vs.rounds} rounds, ${pa.name} killed ${pb.name} ${m.vs.aKillsB} times and ${pb.name} killed ${pa.name} ${m.vs.bKillsA} times.`
            : "No VS stats (endstats files) for their rounds."}
        </p>
        {m.against > 0 && (
          <div class="table-wrap" tabindex={0} role="region" aria-labelledby="against">
            <table>
              <thead>
                <tr>
                  <th scope="col">Player</th>
                  <th scope="col" class="num">Kills</th>
                  <th scope="col" class="num">Deaths</th>
                  <th scope="col" class="num">K/D</th>
                  <th scope="col" class="num">DPM</th>
                </tr>
              </thead>
              <tbody>
                {[[pa, m.a] as const, [pb, m.b] as const].map(([p, t]) => (
                  <tr>
                    <th scope="row">{p.name}</th>
                    <td class="num">{t.kills}</td>
                    <td class="num">{t.deaths}</td>
                    <td class="num">{kd(t)}</td>
                    <td class="num">{dpm(t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h2 id="together">On the same team</h2>
        <p>
          {d.rounds} rounds together: won {d.won}, lost {d.lost}. Combined {d.combined.kills} kills,{" "}
          {d.combined.deaths} deaths (K/D {kd(d.combined)}), {d.combined.revivesGiven} revives.
        </p>
      </>
    ),
  });
});

morePages.get("/awards", async (c) => {
  const r = kvReader(c.var.deps.kv);
  const who = await EtlWho.load(r);
  const latest = (await listEndstats(r)).sort((a, b) => b.wallMs - a.wallMs).slice(0, 30);
  const views = (await Promise.all(latest.map((e) => getRoundAwards(r, e.roundId)))).filter((v) =>
    v !== null
  );
  const wins = new Map<string, { name: string; guid: string | null; n: number }>();
  for (const v of views) {
    for (const a of v!.awards) {
      // A person once, under the name the round shows them by and the first of their GUIDs seen.
      const k = a.guid ? who.keyOf(a.guid) : `name:${a.name.toLowerCase()}`;
      const w = wins.get(k) ?? { name: a.name, guid: a.guid, n: 0 };
      w.n++;
      wins.set(k, w);
    }
  }
  const top = [...wins.values()].sort((x, y) => y.n - x.n).slice(0, 20);
  return page(c, {
    title: "ET:Legacy awards",
    description: "End-of-round awards of the latest rounds, and who won the most of them.",
    body: (
      <>
        <p class="eyebrow">ET:Legacy</p>
        <h1>Awards</h1>
        {views.length === 0 ? <p>No endstats files have been imported yet.</p> : (
          <>
            <h2 id="most">Most awards, latest {views.length} rounds</h2>
            <ol>
              {top.map((w) => (
                <li>
                  {w.guid ? <a href={playerHref(w.guid)}>{w.name}</a> : w.name}: {w.n}
                </li>
              ))}
            </ol>
            <h2 id="rounds">Rounds</h2>
            <ul>
              {views.map((v) => (
                <li>
                  <a href={roundHref(v!.roundId)}>{v!.roundId}</a>: {v!.awards.length} awards
                </li>
              ))}
            </ul>
          </>
        )}
      </>
    ),
  });
});
