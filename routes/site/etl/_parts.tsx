// deno-lint-ignore-file jsx-key -- server-rendered once: keys only matter to client-side diffing
/**
 * Pieces of the ET:Legacy pages: names in their in-game colours (classes, not inline styles: the
 * CSP allows none), and the links between the pages.
 */
import { COLOR_TABLE, colorSpans } from "@/games/etl/names.ts";
import { metricById } from "@/games/etl/metrics.ts";

/** A player name in its ET colours, on a dark chip as in game; hono/jsx escapes the text. */
export function EtName(props: { raw: string; plain: string }) {
  const spans = colorSpans(props.raw);
  if (spans.length === 0) return <span class="etn">{props.plain || "(no name)"}</span>;
  return (
    <span class="etn" title={props.plain}>
      {spans.map((s) => <span class={`etc${s.index}`}>{s.text}</span>)}
    </span>
  );
}

/** Link to a player's page. */
export function playerHref(guid: string): string {
  return `/etl/players/${encodeURIComponent(guid)}`;
}

/** Link to a session's page. */
export function sessionHref(id: string): string {
  return `/etl/sessions/${encodeURIComponent(id)}`;
}

/** Link to a round's page. */
export function roundHref(id: string): string {
  return `/etl/rounds/${encodeURIComponent(id)}`;
}

/** Link to a leaderboard. */
export function leaderboardHref(metric: string, period = "all"): string {
  return `/etl/leaderboards?metric=${encodeURIComponent(metric)}${
    period === "all" ? "" : `&period=${period}`
  }`;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

/**
 * The stylesheet rules for ET colours (appended to static/site.css). Colours too dark to read on
 * the chip (black, the blues) are lifted towards grey until they reach 4.5:1, as WCAG AA asks.
 */
export function etlColorCss(chip = "#1b1f27"): string {
  const bg = luminance(chip);
  const lines = [
    `.etn { background: ${chip}; color: #fff; padding: 0 .35em; border-radius: 4px; white-space: nowrap; }`,
  ];
  COLOR_TABLE.forEach((hex, i) => {
    let c = hex;
    for (let k = 0; k < 20 && (luminance(c) + 0.05) / (bg + 0.05) < 4.5; k++) {
      c = "#" +
        [1, 3, 5].map((j) =>
          Math.min(255, parseInt(c.slice(j, j + 2), 16) + 24).toString(16).padStart(2, "0")
        )
          .join("");
    }
    lines.push(`.etc${i} { color: ${c}; }`);
  });
  return lines.join("\n") + "\n";
}

/** A metric's value as people read it. */
export function fmt(id: string, v: number | undefined): string {
  return metricById(id)!.format(v ?? 0);
}

/** Players with their totals: a session's, or one round's. */
export function PlayerTable(props: {
  label: string;
  rows: {
    guid: string;
    name: string;
    nameRaw: string;
    t: {
      kills: number;
      deaths: number;
      damageGiven: number;
      revivesGiven: number;
      timePlayedS: number;
      gibs: number;
    };
    m: Record<string, number>;
  }[];
}) {
  return (
    <div class="table-wrap" tabindex={0} role="region" aria-labelledby={props.label}>
      <table>
        <thead>
          <tr>
            <th scope="col">Player</th>
            <th scope="col" class="num">Kills</th>
            <th scope="col" class="num">Deaths</th>
            <th scope="col" class="num">K/D</th>
            <th scope="col" class="num">DPM</th>
            <th scope="col" class="num opt">Damage</th>
            <th scope="col" class="num opt">Accuracy</th>
            <th scope="col" class="num opt">HS %</th>
            <th scope="col" class="num opt">Gibs</th>
            <th scope="col" class="num opt">Revives</th>
            <th scope="col" class="num opt">Time</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((p) => (
            <tr>
              <th scope="row">
                <a href={playerHref(p.guid)}>
                  <EtName raw={p.nameRaw} plain={p.name} />
                </a>
              </th>
              <td class="num">{p.t.kills}</td>
              <td class="num">{p.t.deaths}</td>
              <td class="num">{fmt("kd", p.m.kd)}</td>
              <td class="num">{fmt("dpm", p.m.dpm)}</td>
              <td class="num opt">{p.t.damageGiven}</td>
              <td class="num opt">{fmt("accuracy", p.m.accuracy)}</td>
              <td class="num opt">{fmt("headshot_pct", p.m.headshot_pct)}</td>
              <td class="num opt">{p.t.gibs}</td>
              <td class="num opt">{p.t.revivesGiven}</td>
              <td class="num opt">{fmt("time_played", p.t.timePlayedS)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Link to a map's page. */
export function mapHref(map: string): string {
  return `/etl/maps/${encodeURIComponent(map)}`;
}
