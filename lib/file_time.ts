/**
 * Session times from result-file names. Servers name files in their own local time, so the
 * configured IANA zone turns the name into an instant, with Temporal (built into Deno): it is
 * explicit about the hour DST skips and the hour it repeats (see `localToInstant`).
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

/** A real calendar date and time of day (no February 30th). */
function validLocal(t: LocalTime): boolean {
  try {
    Temporal.PlainDateTime.from(t, { overflow: "reject" });
    return true;
  } catch {
    return false;
  }
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    Temporal.Now.zonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a wall-clock time names in `timeZone`, by Temporal's "compatible" rule (the one
 * RFC 5545 and most calendars use):
 * - a time repeated when the clocks go back (fall-back overlap) is the **earlier** instant, the
 *   first time the wall clock showed it (02:30 in Berlin on 2026-10-25 is 00:30Z, still in CEST);
 * - a time skipped when the clocks go forward (spring-forward gap) moves **forward by the gap**
 *   (02:30 in Chicago on 2026-03-08, which never happens, is 03:30 CDT, 08:30Z).
 */
export function localToInstant(t: LocalTime, timeZone = "UTC"): Date {
  const zoned = Temporal.ZonedDateTime.from({ ...t, timeZone }, { overflow: "reject" });
  return new Date(zoned.epochMilliseconds);
}

/** An instant's wall-clock fields in `timeZone`. */
function zoned(at: number | string | Date, timeZone: string): Temporal.ZonedDateTime {
  const ms = at instanceof Date ? at.getTime() : typeof at === "number" ? at : Date.parse(at);
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
}

function shortZoneName(ms: number, timeZone: string, locale: string): string {
  const f = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" });
  return f.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "";
}

/**
 * The zone's short name at an instant, as people write it: `CET`/`CEST`, `GMT`/`BST`, `CDT`, and
 * `UTC+9` where English has no abbreviation for the zone (Tokyo, Sydney, Kolkata: `UTC+5:30`).
 */
export function zoneAbbreviation(at: number | string | Date, timeZone: string): string {
  const z = zoned(at, timeZone);
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return "UTC";
  for (const locale of ["en-GB", "en-US"]) {
    const name = shortZoneName(z.epochMilliseconds, timeZone, locale);
    if (name && !/^(GMT|UTC)[+\-\u2212]/.test(name)) return name;
  }
  const offset = z.offset; // "+05:30"
  const [h, m] = offset.slice(1).split(":");
  return `UTC${offset[0]}${Number(h)}${m === "00" ? "" : `:${m}`}`;
}

/** An instant as people read it, in a zone and naming it: `2025-11-01 21:25 CET`. */
export function zonedWhen(at: number | string | Date, timeZone: string): string {
  const z = zoned(at, timeZone);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${z.year}-${p(z.month)}-${p(z.day)} ${p(z.hour)}:${p(z.minute)} ${zoneAbbreviation(at, timeZone)}`;
}

/** The day an instant falls on in a zone: `2025-11-01`. */
export function zonedDay(at: number | string | Date, timeZone: string): string {
  return zoned(at, timeZone).toPlainDate().toString();
}

/** An instant as ISO 8601 with the zone's offset at that instant: `2025-11-01T21:25:00+01:00`. */
export function zonedIso(at: number | string | Date, timeZone: string): string {
  return zoned(at, timeZone).toString({ timeZoneName: "never", fractionalSecondDigits: "auto" });
}

/** The zone's offset from UTC at an instant, in ms (Paris in winter: 3,600,000). */
export function offsetMs(at: number | string | Date, timeZone: string): number {
  return zoned(at, timeZone).offsetNanoseconds / 1_000_000;
}
