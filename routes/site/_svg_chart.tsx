// deno-lint-ignore-file jsx-key -- server-rendered once: keys only matter to client-side diffing
/**
 * Server-drawn SVG line charts: axes, ticks in lap-time (or lap, or date) format, a line per
 * series, and an accessible title and description. No script, no chart library; colours come
 * from the stylesheet (classes `s0` … `s9`), so the page's CSP needs no inline styles.
 */
import type { Child } from "hono/jsx";

/** One point; `marked` draws it hollow (race lap 1), `note` adds to its tooltip. */
export interface ChartPoint {
  x: number;
  y: number;
  marked?: boolean;
  note?: string;
}

/** One line. `step` draws it as a staircase (a PB holds until the next one). */
export interface ChartSeries {
  name: string;
  points: ChartPoint[];
  step?: boolean;
}

/** An axis: its label and how its values are written. */
export interface ChartAxis {
  label: string;
  format: (v: number) => string;
  /** How ticks are written, given the tick step (default `format`). */
  tick?: (v: number, step: number) => string;
  /** Tick steps to choose from, ascending; default 1-2-5 steps. */
  steps?: number[];
}

/** What to draw. */
export interface ChartOptions {
  /** Unique on the page (the SVG's title and description ids derive from it). */
  id: string;
  title: string;
  description: string;
  series: ChartSeries[];
  x: ChartAxis;
  y: ChartAxis;
  /** Values above are drawn on the top edge, hollow, with their real value in the tooltip. */
  yCap?: number;
  /** Where the series' lines end on the right (default: the last point); a PB holds until now. */
  xEnd?: number;
  width?: number;
  height?: number;
}

const M = { top: 16, right: 20, bottom: 48, left: 84 };

/** The most grid lines or ticks one axis draws, whatever the data. */
export const MAX_TICKS = 20;

/** Tick step near `span / target`, from `steps` (or 1-2-5 × 10^k, also past the last of `steps`). */
export function niceStep(span: number, target: number, steps?: number[]): number {
  const raw = span / Math.max(1, target);
  const fit = steps?.find((s) => s >= raw);
  if (fit !== undefined) return fit;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

/** Ticks from `lo` to `hi` at multiples of `step`: at most MAX_TICKS (the step grows if need be). */
export function ticks(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(step > 0)) return out;
  while ((hi - lo) / step > MAX_TICKS) step *= 2;
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

function minMax(values: number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return [lo, hi];
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** A line chart as an inline `<figure>` with an SVG and its legend. */
export function LineChart(o: ChartOptions) {
  const W = o.width ?? 720, H = o.height ?? 300;
  const pts = o.series.flatMap((s) => s.points);
  if (pts.length === 0) return <p class="muted">No laps to chart.</p>;
  let [x0, x1] = minMax(pts.map((p) => p.x));
  x1 = Math.max(x1, o.xEnd ?? -Infinity);
  const capped = pts.map((p) => p.y).filter((y) => o.yCap === undefined || y <= o.yCap);
  let [y0, y1] = minMax(capped.length ? capped : pts.map((p) => p.y));
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  const pad = Math.max((y1 - y0) * 0.08, 100);
  [y0, y1] = [y0 - pad, y1 + pad];
  const pw = W - M.left - M.right, ph = H - M.top - M.bottom;
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => M.top + (1 - (Math.min(y, y1) - y0) / (y1 - y0)) * ph;
  const xStep = niceStep(x1 - x0, 6, o.x.steps), yStep = niceStep(y1 - y0, 5, o.y.steps);
  const xTicks = ticks(x0, x1, xStep), yTicks = ticks(y0, y1, yStep);
  const xTick = (v: number) => o.x.tick?.(v, xStep) ?? o.x.format(v);
  const yTick = (v: number) => o.y.tick?.(v, yStep) ?? o.y.format(v);
  const titleId = `${o.id}-title`, descId = `${o.id}-desc`;
  const dotsFor = (s: ChartSeries) => s.points.length <= 80;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={titleId}>{o.title}</title>
        <desc id={descId}>{o.description}</desc>
        <g class="grid">
          {yTicks.map((t) => <line x1={M.left} x2={W - M.right} y1={fmt(sy(t))} y2={fmt(sy(t))} />)}
        </g>
        <g class="axis">
          <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} />
          <line x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} />
          {yTicks.map((t) => <text x={M.left - 6} y={fmt(sy(t) + 4)} text-anchor="end">{yTick(t)}</text>)}
          {xTicks.map((t) => <text x={fmt(sx(t))} y={H - M.bottom + 16} text-anchor="middle">{xTick(t)}
          </text>)}
          <text class="label" x={M.left + pw / 2} y={H - 6} text-anchor="middle">{o.x.label}</text>
          <text
            class="label"
            x={16}
            y={M.top + ph / 2}
            text-anchor="middle"
            transform={`rotate(-90 16 ${fmt(M.top + ph / 2)})`}
          >
            {o.y.label}
          </text>
        </g>
        {o.series.map((s, i) => {
          const sorted = [...s.points].sort((a, b) => a.x - b.x);
          let d = "";
          sorted.forEach((p, j) => {
            const [x, y] = [fmt(sx(p.x)), fmt(sy(p.y))];
            d += j === 0 ? `M${x} ${y}` : s.step ? `H${x}V${y}` : `L${x} ${y}`;
          });
          if (s.step && o.xEnd !== undefined && sorted.length) d += `H${fmt(sx(o.xEnd))}`;
          return (
            <g class={`series s${i % 10}`}>
              <path d={d} />
              {dotsFor(s) &&
                sorted.map((p) => {
                  const capped = o.yCap !== undefined && p.y > o.yCap;
                  return (
                    <circle
                      cx={fmt(sx(p.x))}
                      cy={fmt(sy(p.y))}
                      r={p.marked || capped ? 4 : 3}
                      class={p.marked || capped ? "marked" : undefined}
                    >
                      <title>
                        {`${s.name}, ${o.x.label.toLowerCase()} ${o.x.format(p.x)}: ${o.y.format(p.y)}${
                          p.note ? ` (${p.note})` : ""
                        }`}
                      </title>
                    </circle>
                  );
                })}
            </g>
          );
        })}
      </svg>
      {o.series.length > 1 && (
        <figcaption>
          <ul class="legend">
            {o.series.map((s, i) => (
              <li>
                <span class={`swatch s${i % 10}`} aria-hidden="true"></span>
                {s.name}
              </li>
            ))}
          </ul>
        </figcaption>
      )}
    </figure>
  ) as Child;
}
