/**
 * The agent's `--ac-content DIR`: reads the display names of the AC server's content (DIR is the
 * server's `content` folder: `tracks/<id>/ui/ui_track.json`, `tracks/<id>/ui/<layout>/ui_track.json`,
 * `cars/<id>/ui/ui_car.json`) and sends them to the hub (`POST /api/ac-content`), signed as a
 * push is, whenever they change. Self-contained like agent.ts: nothing from the hub's code.
 */
import { signedHeaders as signed } from "./sign.ts";

/** The names found: `track` or `track@layout` → {name, country}; car → {name, brand, country}. */
export interface ContentFound {
  tracks: Record<string, { name: string; country?: string }>;
  cars: Record<string, { name: string; brand?: string; country?: string }>;
}

type Named = { name: string; country?: string; brand?: string };

/** How often the folder is read again for changes. */
export const RESCAN_MS = 5 * 60_000;
const FILE_NAME = "ac_content.json";

async function dirs(path: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(path)) if (e.isDirectory) out.push(e.name);
  } catch { /* absent: nothing there */ }
  return out.sort();
}

/** The object in a ui_*.json: forgiving a BOM, raw control characters in strings, trailing commas. */
function readUi(text: string): Record<string, unknown> | null {
  const clean = text.replace(/^\uFEFF/, "");
  // deno-lint-ignore no-control-regex -- raw tabs and line breaks inside strings are what breaks these files
  const loose = clean.replace(/[\x00-\x1f]/g, " ").replace(/,\s*([}\]])/g, "$1");
  for (const t of [clean, loose]) {
    try {
      const v = JSON.parse(t);
      return v && typeof v === "object" && !Array.isArray(v) ? v : null;
    } catch { /* next */ }
  }
  return null;
}

function str(v: unknown, max: number): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = v.replace(/\s+/g, " ").trim();
  return t && t.length <= max ? t : undefined;
}

async function ui(path: string): Promise<Record<string, unknown> | null> {
  try {
    return readUi(await Deno.readTextFile(path));
  } catch {
    return null;
  }
}

function entry(u: Record<string, unknown> | null, extra: "brand" | null): Named | null {
  const name = str(u?.name, 100);
  if (!name) return null;
  const out: Named = { name };
  const country = str(u?.country, 60);
  if (country) out.country = country;
  const brand = extra ? str(u?.[extra], 60) : undefined;
  if (brand) out.brand = brand;
  return out;
}

const ID = /^[^\s@]{1,100}$/;

/** Reads every track layout's and car's names under a `content` folder. */
export async function readAcContent(dir: string): Promise<ContentFound> {
  const found: ContentFound = { tracks: {}, cars: {} };
  for (const track of await dirs(`${dir}/tracks`)) {
    if (!ID.test(track)) continue;
    const base = entry(await ui(`${dir}/tracks/${track}/ui/ui_track.json`), null);
    if (base) found.tracks[track.toLowerCase()] = base;
    for (const layout of await dirs(`${dir}/tracks/${track}/ui`)) {
      const e = ID.test(layout) && entry(await ui(`${dir}/tracks/${track}/ui/${layout}/ui_track.json`), null);
      if (e) found.tracks[`${track}@${layout}`.toLowerCase()] = e;
    }
  }
  for (const car of await dirs(`${dir}/cars`)) {
    const e = ID.test(car) && entry(await ui(`${dir}/cars/${car}/ui/ui_car.json`), "brand");
    if (e) found.cars[car.toLowerCase()] = e;
  }
  return found;
}

/** The push protocol's headers for a body (agent/sign.ts: the same signature as agent.ts's file pushes). */
export function signedHeaders(
  secret: string,
  server: string,
  name: string,
  body: Uint8Array<ArrayBuffer>,
  timestamp: number,
): Promise<Record<string, string>> {
  return signed(secret, { server, file: name, body, timestamp });
}

/** Where and as whom to send. */
export interface ContentTarget {
  hub: string;
  server: string;
  dir: string;
  secret: string;
  log: (line: string) => void;
}

/**
 * Reads the folder and sends the names when they differ from `lastSent` (the body last
 * acknowledged); returns the body now acknowledged (or `lastSent` when nothing was sent or the
 * hub refused it, so the next scan tries again).
 */
export async function sendAcContent(t: ContentTarget, lastSent: string | null): Promise<string | null> {
  const found = await readAcContent(t.dir);
  const text = JSON.stringify(found);
  if (text === lastSent) return lastSent;
  const body = new TextEncoder().encode(text);
  try {
    const res = await fetch(`${t.hub}/api/ac-content`, {
      method: "POST",
      headers: await signedHeaders(t.secret, t.server, FILE_NAME, body, Math.floor(Date.now() / 1000)),
      body,
      signal: AbortSignal.timeout(60_000),
    });
    const answer = await res.json().catch(() => ({})) as Record<string, unknown>;
    if (!res.ok) {
      t.log(`content names not sent: HTTP ${res.status} ${answer.error ?? ""}`.trim());
      return lastSent;
    }
    const n = Object.keys(found.tracks).length + Object.keys(found.cars).length;
    t.log(`content names sent: ${n} track layout(s) and car(s), ${answer.written ?? 0} new or changed`);
    return text;
  } catch (err) {
    t.log(`content names not sent: ${(err as Error).message} (tried again in ${RESCAN_MS / 60_000} min)`);
    return lastSent;
  }
}

/** Sends the names now and again whenever they change (read every RESCAN_MS); returns a stop function. */
export function watchAcContent(t: ContentTarget): () => void {
  let last: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = async () => {
    last = await sendAcContent(t, last);
    if (!stopped) timer = setTimeout(tick, RESCAN_MS);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
