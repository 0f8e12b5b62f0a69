/**
 * Text for Discord: names escaped, times as Discord timestamps (each reader sees their own time
 * zone), lap times, and Discord's message limits kept by cutting ("... and N more"), never by a 400.
 */
import { escapeMarkdown, time, TimestampStyles } from "@discordjs/formatters";
import type { APIEmbed } from "discord-api-types/v10";
import { formatGap, formatLap } from "@/lib/laptime.ts";
import {
  andMore,
  cutText,
  fitMessage,
  LIMITS as MESSAGE_LIMITS,
  textLength,
} from "@/discord/message_limits.ts";

export { formatGap, formatLap };

/** Discord's limits in code points (discord/message_limits.ts), and autocomplete's. */
export const LIMITS = { ...MESSAGE_LIMITS, choices: 25, choiceName: 100 } as const;

/** A name from a game file, safe to show: markdown, lists, headings and masked links escaped. */
export function esc(name: string): string {
  const escaped = escapeMarkdown(name, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  // Angle brackets would let a name render as a mention/emoji/timestamp token; allowed_mentions
  // stops pings, this stops the look of one.
  return escaped.replace(/</g, "\\<").replace(/>/g, "\\>").replace(/[\r\n]+/g, " ");
}

/** `<t:unix:f>`: a date and time in the reader's zone. */
export function when(at: Date | string | number): string {
  return time(unix(at), TimestampStyles.ShortDateTime);
}

/** `<t:unix:R>`: "3 days ago". */
export function ago(at: Date | string | number): string {
  return time(unix(at), TimestampStyles.RelativeTime);
}

/** Both: "<t:…:f> (<t:…:R>)". */
export function whenAgo(at: Date | string | number): string {
  return `${when(at)} (${ago(at)})`;
}

function unix(at: Date | string | number): number {
  const ms = at instanceof Date ? at.getTime() : typeof at === "string" ? Date.parse(at) : at;
  return Math.floor(ms / 1000);
}

/** Code points in a string (Discord counts characters; this never undercounts). */
export function length(s: string): number {
  return textLength(s);
}

/** Cuts a string to `max` code points, ending with "…" when cut. */
export function clip(s: string, max: number): string {
  return cutText(s, max);
}

export { andMore };

/**
 * Joins lines into at most `max` characters: whole lines kept from the top, then
 * "... and N more" for the ones that did not fit.
 */
export function fitLines(lines: string[], max: number): string {
  const all = lines.join("\n");
  if (length(all) <= max) return all;
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = clip(lines[i]!, max);
    const tail = andMore(lines.length - i);
    const add = length(line) + (kept.length ? 1 : 0);
    // Room must remain for the marker line after this one, unless this is the last line.
    const need = i === lines.length - 1 ? add : add + 1 + length(andMore(lines.length - i - 1));
    if (used + need > max) {
      return [...kept, tail].join("\n");
    }
    kept.push(line);
    used += add;
  }
  return kept.join("\n");
}

/** One embed within the per-embed limits (fields past 25 folded into "... and N more"). */
export function fitEmbed(e: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...e };
  if (out.title !== undefined) out.title = clip(out.title, LIMITS.title);
  if (out.description !== undefined) {
    out.description = fitLines(out.description.split("\n"), LIMITS.description);
  }
  if (out.footer) out.footer = { ...out.footer, text: clip(out.footer.text, LIMITS.footer) };
  if (out.author) out.author = { ...out.author, name: clip(out.author.name, LIMITS.author) };
  if (out.fields) {
    let fields = out.fields.map((f) => ({
      ...f,
      name: clip(f.name, LIMITS.fieldName) || "\u200b",
      value: fitLines(f.value.split("\n"), LIMITS.fieldValue) || "\u200b",
    }));
    if (fields.length > LIMITS.fields) {
      const hidden = fields.length - (LIMITS.fields - 1);
      fields = [...fields.slice(0, LIMITS.fields - 1), { name: "\u200b", value: andMore(hidden) }];
    }
    out.fields = fields;
  }
  return out;
}

/**
 * Embeds within every limit, the 6,000 characters of all embeds together included: each embed
 * fitted line by line first, then the whole message as delivery fits it (fields dropped from the
 * end into one "... and N more" that counts them all, then the longest description shortened).
 */
export function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  return fitMessage({ embeds: embeds.slice(0, MESSAGE_LIMITS.embeds).map(fitEmbed) }).embeds!;
}

/** A medal for places 1-3, else "N.". */
export function place(rank: number): string {
  return rank === 1 ? "🥇" : rank === 2 ? "🥈" : rank === 3 ? "🥉" : `${rank}.`;
}
