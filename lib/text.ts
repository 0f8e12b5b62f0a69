/** Text from game files made safe to show: no bidirectional overrides, no control characters. */

// Bidirectional embeddings, overrides, isolates and marks (U+202A-202E, U+2066-2069, U+200E/F, U+061C):
// one of them in a player's name can flip the rest of a line, a page row or an embed around it.
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// Line-like controls read as a space, so "Max\nPower" stays two words on one line.
const SPACES = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
// NUL, the other C0 controls, DEL and the C1 controls carry nothing a reader can see.
// deno-lint-ignore no-control-regex
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;

/**
 * A name from a game file, readable and inert: bidirectional controls and NUL/C0/C1 controls are
 * removed, line breaks and tabs become spaces; every other character (accents, emoji, scripts) stays.
 * Used by pages, Discord embeds and CSV alike; idempotent.
 */
export function cleanText(text: string): string {
  return text.replace(BIDI, "").replace(SPACES, " ").replace(CONTROLS, "");
}

/** `cleanText()` for a value that may be absent: null and undefined pass through. */
export function cleanOptional<T extends string | null | undefined>(text: T): T {
  return (typeof text === "string" ? cleanText(text) : text) as T;
}

const SEPARATORS = /[^\p{L}\p{N}]+/gu;

/** Lower case, anything but letters and digits as single spaces, trimmed: how search compares. */
export function searchKey(text: string): string {
  return text.toLowerCase().replace(SEPARATORS, " ").trim();
}

/**
 * How well a name matches what was typed, lower is better: 0 the whole name, 1 the name starts
 * with it, 2 each typed word starts a word of the name (`gold` finds `sw_goldrush_te`), null no
 * match. Case and separators do not matter.
 */
export function matchScore(name: string, query: string): 0 | 1 | 2 | null {
  const n = searchKey(name), q = searchKey(query);
  if (q === "") return null;
  if (n === q) return 0;
  if (n.startsWith(q)) return 1;
  const words = n.split(" ");
  return q.split(" ").every((w) => words.some((x) => x.startsWith(w))) ? 2 : null;
}

// What `cleanMarkup()` removes: the bidirectional controls and every C0/C1 control except the
// tab and line ends that markup itself is laid out with.
const MARKUP_CONTROLS =
  // deno-lint-ignore no-control-regex
  /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * `cleanText()` for a whole rendered page (HTML or SVG): every bidirectional control and NUL/C0/C1
 * control is removed wherever it is (text, titles, attributes, chart labels), while the page's own
 * tabs and line ends stay. The site passes every page through it once (routes/site/_layout.tsx),
 * so no name from a game file reaches a page raw, whichever template shows it.
 */
export function cleanMarkup(markup: string): string {
  return markup.replace(MARKUP_CONTROLS, "");
}
