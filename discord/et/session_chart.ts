/**
 * The evening's charts: DPM and K/D per player over the session's counted rounds, as bar charts.
 * The site's session page draws the SVGs inline; the session summary post attaches both, side by
 * side, as one PNG (lib/chart_png.ts), or as text where the renderer cannot load.
 */
import { type BarChartOptions, barChartSvg, sideBySideSvg } from "@/lib/bar_chart.ts";
import type { SessionView } from "@/kv/etl/views.ts";

/** The chart's file name in the message (`attachment://` in the embed). */
export const SESSION_CHART = "session.png";

const TOP = 16;

/** The DPM chart's bars (players by DPM, at most 16). */
export function sessionDpmChart(s: SessionView): BarChartOptions {
  const bars = s.players.map((p) => ({ label: p.name, value: p.metrics.dpm ?? 0 }))
    .sort((a, b) => b.value - a.value).slice(0, TOP);
  return { title: `DPM per player · session ${s.id.slice(0, 10)}`, bars };
}

/** The K/D chart's bars (players by K/D, at most 16, two decimals). */
export function sessionKdChart(s: SessionView): BarChartOptions {
  const bars = s.players.map((p) => ({ label: p.name, value: p.metrics.kd ?? 0 }))
    .sort((a, b) => b.value - a.value).slice(0, TOP);
  return { title: `K/D per player · session ${s.id.slice(0, 10)}`, bars, format: (v) => v.toFixed(2) };
}

/** The session's DPM chart as SVG (the site's session page). */
export function sessionChartSvg(s: SessionView): string {
  return barChartSvg(sessionDpmChart(s));
}

/** The session's K/D chart as SVG (the site's session page). */
export function sessionKdChartSvg(s: SessionView): string {
  return barChartSvg(sessionKdChart(s));
}

/** DPM and K/D side by side, one SVG: the summary post's image. */
export function sessionChartsSvg(s: SessionView): string {
  return sideBySideSvg([sessionDpmChart(s), sessionKdChart(s)]);
}

/**
 * A chart as text, for posts where no image can be drawn: the top `n` bars as lines of `█`
 * (names stripped of backticks: the lines go in a code block).
 */
export function chartText(c: BarChartOptions, n = 8): string {
  const bars = c.bars.slice(0, n);
  const max = Math.max(1e-9, ...bars.map((b) => b.value));
  const fmt = c.format ?? ((v: number) => String(Math.round(v)));
  const label = (s: string) => {
    const t = [...s.replaceAll("`", "'")];
    return (t.length > 14 ? t.slice(0, 13).join("") + "…" : t.join("")).padEnd(14);
  };
  return bars.map((b) =>
    `${label(b.label)} ${"█".repeat(Math.max(1, Math.round(b.value / max * 12)))} ${fmt(b.value)}`
  )
    .join("\n");
}
