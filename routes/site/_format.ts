/** How the site writes times, dates, games and links. Pure functions. */
import type { RacingGame, SessionKind } from "@/games/racing/types.ts";

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** A lap time, always `m:ss.mmm` (59999 → "0:59.999"; 102123 → "1:42.123"). */
export function lapTime(ms: number): string {
  const t = Math.round(Math.abs(ms));
  const sign = ms < 0 ? "-" : "";
  return `${sign}${Math.floor(t / 60000)}:${pad(Math.floor(t / 1000) % 60, 2)}.${pad(t % 1000, 3)}`;
}

/** A race time: `h:mm:ss.mmm` from an hour up, else `m:ss.mmm`. */
export function raceTime(ms: number): string {
  const t = Math.round(ms);
  if (t < 3_600_000) return lapTime(t);
  const h = Math.floor(t / 3_600_000);
  return `${h}:${pad(Math.floor(t / 60000) % 60, 2)}:${pad(Math.floor(t / 1000) % 60, 2)}.${
    pad(t % 1000, 3)
  }`;
}

/** A gap with its sign: 234 → "+0.234", 61234 → "+1:01.234", 0 → "+0.000". */
export function gap(ms: number): string {
  const t = Math.round(Math.abs(ms));
  const body = t < 60000 ? `${Math.floor(t / 1000)}.${pad(t % 1000, 3)}` : lapTime(t);
  return `${ms < 0 ? "-" : "+"}${body}`;
}

/** A lap-time axis tick: as short as the tick step allows (`1:54`, `1:54.5`, `1:54.25`). */
export function lapTick(ms: number, step: number): string {
  const full = lapTime(ms);
  if (step % 1000 === 0) return full.slice(0, -4);
  if (step % 100 === 0) return full.slice(0, -2);
  return full.slice(0, -1);
}

/** A sector time: seconds with milliseconds (32456 → "32.456"), minutes when long. */
export function sector(ms: number): string {
  return ms < 60000 ? `${Math.floor(ms / 1000)}.${pad(ms % 1000, 3)}` : lapTime(ms);
}

/** An instant as people read it on a league site: `2024-03-05 19:42 UTC`. */
export function when(iso: string | number): string {
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** Just the day: `2024-03-05`. */
export function day(iso: string | number): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** ACC, AC. */
export function gameLabel(game: RacingGame): string {
  return game === "acc" ? "ACC" : "AC";
}

/** Q → Qualifying, R → Race, FP → Practice. */
export function kindLabel(kind: SessionKind): string {
  return kind === "Q" ? "Qualifying" : kind === "R" ? "Race" : "Practice";
}

/** A board's class as shown: "all" is "All classes". */
export function classLabel(cls: string): string {
  return cls === "all" ? "All classes" : cls;
}

/** `/tracks/acc/monza`; AC layouts keep their `@` (`/tracks/ac/ks_vallelunga@club_circuit`). */
export function trackHref(game: RacingGame, track: string, q?: { kind?: SessionKind; cls?: string }): string {
  const base = `/tracks/${game}/${encodeURIComponent(track).replaceAll("%40", "@")}`;
  const params = new URLSearchParams();
  if (q?.kind) params.set("kind", q.kind);
  if (q?.cls && q.cls !== "all") params.set("class", q.cls);
  const s = params.toString();
  return s ? `${base}?${s}` : base;
}

/** `/drivers/S76561198...` */
export function driverHref(id: string): string {
  return `/drivers/${encodeURIComponent(id)}`;
}

/** `/sessions/acc-20240305-194200-r-1a2b3c4d` */
export function sessionHref(id: string): string {
  return `/sessions/${encodeURIComponent(id)}`;
}

/** A count and its noun, agreeing: `1 session`, `2 sessions`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}
