/**
 * Which time zone an ET:Legacy time is shown in. A round's instant is stored (`playedAt`, read off
 * the file name in its server's zone at import); pages, the API and Discord show it in the zone of
 * the round's server, naming the zone (`2025-11-01 21:25 CET`, `2025-11-01T21:25:00+01:00`).
 */
import { localToInstant, zonedIso } from "@/lib/file_time.ts";

/** The IANA zone for a round's server (undefined: a round imported without one). */
export type ZoneOf = (serverId: string | undefined) => string;

/** Every time in UTC (tests, and a hub with no ET:Legacy server configured). */
export const UTC_ZONE: ZoneOf = () => "UTC";

/** The server part of a round id (`slomix-2025-10-20-213931-goldrush-r1` → `slomix`). */
export function serverOfRoundId(id: string): string | undefined {
  const m = /^(.+?)-\d{4}-\d{2}-\d{2}-\d{6}-/.exec(id);
  return m ? m[1] : undefined;
}

/** The instant a wall-clock time (read as UTC in ms, as `wallMs` is) names in a zone. */
export function wallToInstant(wallMs: number, timeZone: string): Date {
  const d = new Date(wallMs);
  return localToInstant({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  }, timeZone);
}

/** A stored ISO instant as the API writes it: ISO 8601 with the zone's offset. */
export function isoIn(instant: string, timeZone: string): string {
  return instant ? zonedIso(instant, timeZone) : "";
}
