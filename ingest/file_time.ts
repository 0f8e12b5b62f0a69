/**
 * Session times from result-file names. Servers name files in their own local time, so the
 * configured IANA zone turns the name into an instant.
 */

const ACC_NAME = /^(\d{2})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})_([A-Za-z]+\d*)\.json$/i;
const AC_NAME = /^(\d{4})_(\d{1,2})_(\d{1,2})_(\d{1,2})_(\d{1,2})(?:_(\d{1,2}))?_([A-Za-z]+)\.json$/i;

/** Wall-clock fields as written in a file name. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Date and session type from an ACC name such as `221008_224809_R.json`. */
export function parseAccFileName(name: string): { local: LocalTime; type: string } | null {
  const m = ACC_NAME.exec(name);
  if (!m) return null;
  const [, yy, mo, dd, hh, mi, ss, type] = m as unknown as string[];
  const local = {
    year: 2000 + Number(yy),
    month: Number(mo),
    day: Number(dd),
    hour: Number(hh),
    minute: Number(mi),
    second: Number(ss),
  };
  return validLocal(local) ? { local, type: type!.toUpperCase() } : null;
}

/** Date and session type from an AC name such as `2019_2_15_21_8_QUALIFY.json` (no zero padding). */
export function parseAcFileName(name: string): { local: LocalTime; type: string } | null {
  const m = AC_NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, type] = m as unknown as (string | undefined)[];
  const local = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: s === undefined ? 0 : Number(s),
  };
  return validLocal(local) ? { local, type: type!.toUpperCase() } : null;
}

function validLocal(t: LocalTime): boolean {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 && t.hour <= 23 &&
    t.minute <= 59 && t.second <= 59;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneOffsetMs(instant: number, timeZone: string): number {
  let fmt = offsetFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    offsetFormatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a wall-clock time names in `timeZone`. In the hour a DST change repeats, the
 * earlier instant is taken; a time skipped by DST moves forward by the gap.
 */
export function localToInstant(t: LocalTime, timeZone = "UTC"): Date {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  if (timeZone === "UTC") return new Date(wall);
  const day = 86_400_000;
  const offsets = new Set([zoneOffsetMs(wall - day, timeZone), zoneOffsetMs(wall + day, timeZone)]);
  const candidates = [...offsets].map((o) => wall - o).sort((a, b) => a - b);
  for (const c of candidates) {
    if (c + zoneOffsetMs(c, timeZone) === wall) return new Date(c);
  }
  // Skipped by a DST gap: the latest candidate lands just after the gap.
  return new Date(candidates[candidates.length - 1]!);
}
