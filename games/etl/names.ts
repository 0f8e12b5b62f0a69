/**
 * ET:Legacy player and server names: colour codes, the game's own way. `^` followed by any
 * character other than `^` (or the end) is a colour code (ET:Legacy `Q_IsColorString`); Slomix
 * strips only `^[0-9a-zA-Z]` and leaves `^/`, `^?`, `^:` in names.
 */

/** ET:Legacy's `g_color_table`, indexed by `(char - '0') & 31`, as CSS hex colours. */
export const COLOR_TABLE: readonly string[] = [
  "#000000",
  "#ff0000",
  "#00ff00",
  "#ffff00",
  "#0000ff",
  "#00ffff",
  "#ff00ff",
  "#ffffff",
  "#ff8000",
  "#808080",
  "#bfbfbf",
  "#bfbfbf",
  "#008000",
  "#808000",
  "#000080",
  "#800000",
  "#804000",
  "#ff9919",
  "#008080",
  "#800080",
  "#0080ff",
  "#8000ff",
  "#3399cc",
  "#ccffcc",
  "#006633",
  "#ff0033",
  "#b31a1a",
  "#993300",
  "#cc9933",
  "#999933",
  "#ffffbf",
  "#ffff80",
]; // deno-fmt-ignore

/** True when `s[i]` starts a colour code. */
function isColorCode(s: string, i: number): boolean {
  return s.charCodeAt(i) === 94 /* ^ */ && i + 1 < s.length && s.charCodeAt(i + 1) !== 94;
}

/** The name as plain text: every colour code removed, the ET rule. */
export function stripColors(raw: string): string {
  if (!raw.includes("^")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    if (isColorCode(raw, i)) i++;
    else out += raw[i];
  }
  return out;
}

/** A run of text in one colour. */
export interface ColorSpan {
  text: string;
  /** CSS colour, e.g. `#ff0000`. */
  color: string;
  /** Index into COLOR_TABLE (7, white, before the first code): pages use a class per index. */
  index: number;
}

/** Splits a raw name into coloured runs for rendering (white until the first code, as in game). */
export function colorSpans(raw: string): ColorSpan[] {
  const spans: ColorSpan[] = [];
  let index = 7;
  let text = "";
  for (let i = 0; i < raw.length; i++) {
    if (isColorCode(raw, i)) {
      if (text) spans.push({ text, color: COLOR_TABLE[index]!, index });
      text = "";
      index = (raw.charCodeAt(i + 1) - 48) & 31;
      i++;
    } else text += raw[i];
  }
  if (text) spans.push({ text, color: COLOR_TABLE[index]!, index });
  return spans;
}
