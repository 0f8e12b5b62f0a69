/**
 * A horizontal bar chart as an SVG string (one bar per label, value written at its end): the
 * site draws it inline, and lib/png.ts renders the same SVG to PNG for Discord. Colours are
 * attributes (not the site's stylesheet classes) so the PNG renderer, which has no CSS, draws the
 * same picture. Every text (title, labels) is cleaned (lib/text.ts `cleanText()`: no bidi or
 * NUL/C0/C1 controls) and XML-escaped, so a game-file name can neither break the SVG nor flip it.
 */
import { cleanText } from "@/lib/text.ts";

/** One bar. */
export interface Bar {
  label: string;
  value: number;
}

/** What to draw. */
export interface BarChartOptions {
  title: string;
  bars: Bar[];
  /** How a value is written at the end of its bar. */
  format?: (v: number) => string;
  /** Width in px (default 640); the height follows from the number of bars. */
  width?: number;
}

const ROW = 26, TOP = 40, BOTTOM = 12, LABEL_W = 170, PAD = 12;

// What XML 1.0 cannot hold at all, not even as an entity: C0 controls but tab and line ends,
// lone surrogates, U+FFFE and U+FFFF.
// deno-lint-ignore no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu;

/**
 * `<`, `>`, `&`, `"` and `'` as entities; characters XML cannot hold (NUL, C0 controls, lone
 * surrogates) dropped, so the result is always well-formed text or attribute content.
 */
export function escapeXml(s: string): string {
  return s.replace(NOT_XML, "").replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** A text to draw: cleaned (lib/text.ts), then escaped. */
const text = (s: string) => escapeXml(cleanText(s));

/** The chart's size for `bars` bars. */
export function barChartSize(bars: number, width = 640): { width: number; height: number } {
  return { width, height: TOP + Math.max(1, bars) * ROW + BOTTOM };
}

/** The SVG text of a bar chart. */
export function barChartSvg(o: BarChartOptions): string {
  const { width, height } = barChartSize(o.bars.length, o.width);
  const fmt = o.format ?? ((v: number) => String(Math.round(v)));
  const max = Math.max(1e-9, ...o.bars.map((b) => b.value));
  const span = width - LABEL_W - PAD * 2 - 60;
  const cut = (s: string) => ([...s].length > 22 ? [...s].slice(0, 21).join("") + "…" : s);
  const title = text(o.title);
  const rows = o.bars.map((b, i) => {
    const y = TOP + i * ROW;
    const w = Math.max(1, (Math.max(0, b.value) / max) * span);
    return `<text x="${LABEL_W}" y="${y + 17}" text-anchor="end" font-size="14" fill="#e5e7eb">${
      escapeXml(cut(cleanText(b.label)))
    }</text>` +
      `<rect x="${LABEL_W + PAD}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" rx="3" fill="${
        i === 0 ? "#f59e0b" : "#3b82f6"
      }"/>` +
      `<text x="${(LABEL_W + PAD * 2 + w).toFixed(1)}" y="${y + 17}" font-size="13" fill="#cbd5e1">${
        text(fmt(b.value))
      }</text>`;
  }).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}"><rect width="${width}" height="${height}" fill="#111827"/><text x="${PAD}" y="26" font-size="16" font-weight="bold" fill="#f9fafb">${title}</text>${rows}</svg>`;
}

/** Charts drawn next to each other, left to right, as one SVG (one image for Discord). */
export function sideBySideSvg(
  charts: BarChartOptions[],
  title = charts.map((c) => c.title).join(" · "),
): string {
  const sizes = charts.map((c) => barChartSize(c.bars.length, c.width));
  const { width, height } = sideBySideSize(charts);
  let x = 0;
  const parts = charts.map((c, i) => {
    const at = x;
    x += sizes[i]!.width;
    // Each chart keeps its own document; nested at its offset, the background fills the rest.
    return barChartSvg(c).replace("<svg ", `<svg x="${at}" y="0" `);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${
    text(title)
  }"><rect width="${width}" height="${height}" fill="#111827"/>${parts.join("")}</svg>`;
}

/** The size of `sideBySideSvg(charts)`: the widths added, the tallest height. */
export function sideBySideSize(charts: BarChartOptions[]): { width: number; height: number } {
  const sizes = charts.map((c) => barChartSize(c.bars.length, c.width));
  return {
    width: sizes.reduce((n, s) => n + s.width, 0),
    height: Math.max(0, ...sizes.map((s) => s.height)),
  };
}
