/**
 * Field schemas shared by the configuration's areas: time zones, Discord ids and emoji, wall-clock
 * times, and the lower-casing of keyed tables.
 */
import { z } from "zod";
import { isValidTimeZone } from "@/lib/file_time.ts";

/** An IANA time zone name (e.g. Europe/Berlin). */
export const TimeZone = z.string().refine(isValidTimeZone, {
  message: "not an IANA time zone (e.g. Europe/Berlin)",
});

/** A Discord id (snowflake): 17-20 digits. */
export const Snowflake = z.string().regex(/^\d{17,20}$/, "a Discord id is 17-20 digits");

/** A wall-clock time with no offset (the season's timeZone applies), e.g. 2025-11-08T00:00. */
export const WallClock = z.string().regex(
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/,
  "a wall-clock time such as 2025-11-08T00:00 (no offset: the season's timeZone applies)",
).refine(isRealDate, "not a real date");
function isRealDate(t: string): boolean {
  try {
    return Temporal.PlainDateTime.from(t, { overflow: "reject" }) !== null;
  } catch {
    return false;
  }
}

/** A Discord custom emoji (`<:porsche:123456789012345678>`) or a Unicode one. */
export const Emoji = z.string().max(64).regex(
  /^(<a?:\w{2,32}:\d{17,20}>|(\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200d|\ufe0f|[\u{E0020}-\u{E007F}]|[#*0-9]\u20e3)+)$/u,
  "a custom emoji as Discord writes it (<:name:id>) or an emoji character",
);

/** A record with its keys lower-cased (lookups by folder or maker name ignore case). */
export const lowerKeys = <T>(r: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v]));
