/**
 * Display names of AC content: tracks (with layouts) and cars, with their country and maker.
 * Sources, first wins: the config's `names`, the names the agent read from the server's own
 * `ui_track.json` / `ui_car.json` (mods), the Kunos table (games/ac/kunos.ts), then the folder
 * name made readable. Pure: the sources come in as data.
 */
import { flagEmoji } from "@/games/ac/countries.ts";
import { type Brand, KUNOS_BRANDS, KUNOS_CAR_NAMES, KUNOS_TRACKS } from "@/games/ac/kunos.ts";

/** A track (or one layout of it) as people know it. */
export interface TrackName {
  name: string;
  country?: string;
}

/** A car as people know it. */
export interface CarName {
  name: string;
  brand?: string;
  country?: string;
}

/** Names from one source. Track keys are `track` or `track@layout`; all keys lower case. */
export interface ContentNames {
  tracks: Record<string, TrackName>;
  cars: Record<string, CarName>;
}

/** A resolved track: display name, country and its flag emoji ("" when unknown). */
export interface ResolvedTrack extends TrackName {
  flag: string;
}

/** The lookups every page, post and answer uses. */
export interface AcNames {
  track(track: string, layout?: string): ResolvedTrack;
  car(car: string): CarName;
}

/** No names but Kunos's and readable folder names. */
export const EMPTY_NAMES: ContentNames = { tracks: {}, cars: {} };

const ACRONYMS = new Set([
  "gt",
  "gtr",
  "gte",
  "gts",
  "gtb",
  "rs",
  "rsr",
  "amg",
  "dtm",
  "lms",
  "gp",
  "ss",
  "sv",
  "gto",
  "st",
  "vln",
  "awd",
]);

function word(w: string): string {
  if (ACRONYMS.has(w) || (/\d/.test(w) && /[a-z]/.test(w) && w.length <= 5)) return w.toUpperCase();
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** `ks_red_bull_ring` → "Red Bull Ring": Kunos prefix dropped, words capitalised. */
export function readableId(id: string): string {
  const words = id.replace(/^ks_/i, "").replace(/^layout_/i, "").split(/[_\s]+/).filter(Boolean);
  return words.map((w) => word(w.toLowerCase())).join(" ") || id;
}

function brandOf(id: string): [string, Brand] | null {
  const rest = id.toLowerCase().replace(/^ks_/, "");
  let best: [string, Brand] | null = null;
  for (const [prefix, brand] of Object.entries(KUNOS_BRANDS)) {
    const hit = rest === prefix || rest.startsWith(`${prefix}_`) ||
      (prefix.length > 3 && rest.startsWith(prefix));
    if (hit && (!best || prefix.length > best[0].length)) best = [prefix, brand];
  }
  return best;
}

function kunosCar(id: string): CarName {
  const key = id.toLowerCase();
  const hit = brandOf(key);
  const named = KUNOS_CAR_NAMES[key];
  if (!hit) return { name: named ?? readableId(id) };
  const [prefix, b] = hit;
  const rest = key.replace(/^ks_/, "").slice(prefix.length);
  return { name: named ?? `${b.brand} ${readableId(rest)}`.trim(), brand: b.brand, country: b.country };
}

function kunosTrack(track: string, layout: string): TrackName | null {
  const t = KUNOS_TRACKS[track];
  if (!t) return null;
  if (!layout) return { name: t.name, country: t.country };
  const named = t.layouts?.[layout];
  return { name: named ?? `${t.name} (${readableId(layout)})`, country: t.country };
}

/** The lookups over `sources` (first wins), then Kunos's table, then readable folder names. */
export function acNames(...sources: ContentNames[]): AcNames {
  return {
    track(track, layout = "") {
      const id = track.toLowerCase(), lay = layout.toLowerCase();
      let found: TrackName | null = null;
      for (const s of sources) {
        found = s.tracks[lay ? `${id}@${lay}` : id] ?? null;
        if (found) break;
      }
      if (!found) found = kunosTrack(id, lay);
      if (!found) {
        const base = sources.map((s) => s.tracks[id]).find(Boolean);
        const name = base?.name ?? readableId(track);
        found = {
          name: lay ? `${name} (${readableId(layout)})` : name,
          ...(base?.country ? { country: base.country } : {}),
        };
      }
      return { ...found, flag: flagEmoji(found.country) };
    },
    car(car) {
      const id = car.toLowerCase();
      for (const s of sources) {
        const hit = s.cars[id];
        if (hit) return hit;
      }
      return kunosCar(car);
    },
  };
}

/** "Red Bull Ring National" for `ks_red_bull_ring` + `layout_national` (Kunos and readable names only). */
export function trackDisplayName(track: string, layout = ""): string {
  return acNames().track(track, layout).name;
}

/**
 * A ui_track.json / ui_car.json's content. These files are hand-written and often not strict
 * JSON (a byte-order mark, raw tabs and line breaks inside strings, trailing commas), so those
 * are forgiven; null when still not a JSON object.
 */
export function parseUiJson(text: string): Record<string, unknown> | null {
  const clean = text.replace(/^\uFEFF/, "");
  // deno-lint-ignore no-control-regex -- raw control characters are what breaks these files
  const loose = clean.replace(/[\x00-\x1f]/g, " ").replace(/,\s*([}\]])/g, "$1");
  for (const attempt of [clean, loose]) {
    try {
      const v = JSON.parse(attempt);
      return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : null;
    } catch { /* next attempt */ }
  }
  return null;
}

function text(v: unknown, max = 100): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = v.replace(/\s+/g, " ").trim();
  return t && t.length <= max ? t : undefined;
}

/** A track's names from its ui_track.json content, or null without a usable `name`. */
export function trackNameFromUi(ui: Record<string, unknown>): TrackName | null {
  const name = text(ui.name);
  if (!name) return null;
  const country = text(ui.country, 60);
  return country ? { name, country } : { name };
}

/** A car's names from its ui_car.json content, or null without a usable `name`. */
export function carNameFromUi(ui: Record<string, unknown>): CarName | null {
  const name = text(ui.name);
  if (!name) return null;
  const out: CarName = { name };
  const brand = text(ui.brand, 60), country = text(ui.country, 60);
  if (brand) out.brand = brand;
  if (country) out.country = country;
  return out;
}
