/**
 * The evening's chart: DPM per player over the session's counted rounds, as a bar chart. The
 * site's session page draws this SVG inline; the session summary post attaches it as a PNG
 * (lib/png.ts, loaded only there).
 */
import { barChartSvg } from "@/lib/bar_chart.ts";
import type { SessionView } from "@/kv/etl/views.ts";

/** The chart's file name in the message (`attachment://` in the embed). */
export const SESSION_CHART = "session.png";

/** The session's DPM chart as SVG (players by DPM, at most 16). */
export function sessionChartSvg(s: SessionView): string {
  const bars = s.players.map((p) => ({ label: p.name, value: p.metrics.dpm ?? 0 }))
    .sort((a, b) => b.value - a.value).slice(0, 16);
  return barChartSvg({ title: `DPM per player · session ${s.id.slice(0, 10)}`, bars });
}
