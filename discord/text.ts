/**
 * The one Discord text layer: everything that reaches Discord is escaped and formatted here. Names
 * (drivers, players, tracks, cars, maps, servers) escaped and cleaned of bidi/control characters,
 * code spans without backslashes, mentions only from ids, numbers, plurals, session kinds, times
 * as Discord timestamps (each reader sees their own zone), lap times, and Discord's limits kept by
 * cutting ("... and N more"), never by a 400.
 */
import { escapeMarkdown, time, TimestampStyles } from "@discordjs/formatters";
import { cleanText } from "@/lib/text.ts";
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

/**
 * A name from a game file or a member, safe to show in markdown: bidi and control characters
 * removed (lib/text.ts), markdown, lists, headings and masked links escaped, and angle brackets
 * escaped so that `<@123>` reads as text, never as a mention.
 */
export function esc(name: string): string {
  // Every "[" escaped by hand: escapeMarkdown's masked-link rule misses links inside parentheses.
  const escaped = escapeMarkdown(cleanText(name), {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: false,
  }).replace(/\[/g, "\\[");
  // Angle brackets would let a name render as a mention/emoji/timestamp token; allowed_mentions
  // stops pings, this stops the look of one.
  return escaped.replace(/</g, "\\<").replace(/>/g, "\\>").replace(/[\r\n]+/g, " ");
}

/**
 * A name for a place where Discord shows text as typed, without markdown (embed footers and
 * authors, button labels, autocomplete choices): cleaned (lib/text.ts) and on one line, never
 * escaped (a backslash there would show).
 */
export function plain(text: string): string {
  return cleanText(text).replace(/\s+/g, " ").trim();
}

/**
 * What a member typed, quoted back in a reply ("No player matches …"): cleaned and on one line
 * (plain()), cut to `max` code points, then escaped (esc()), so a typed `<@id>`, markdown, a bidi
 * override or a NUL reads as inert text. Every reply that echoes an option goes through this.
 */
export function echo(text: unknown, max = 60): string {
  return esc(clip(plain(String(text ?? "")), max));
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

/**
 * A code span: inside backticks Discord shows every character as typed, so nothing is escaped
 * (a backslash would show); backticks in the text become ˋ (U+02CB) so the span cannot end early.
 */
export function code(text: string): string {
  const inner = cleanText(text).replace(/`/g, "\u02cb");
  return `\`${inner.trim() === "" ? "\u200b" : inner}\``;
}

/** A mention of a Discord user from their id (a snowflake); anything else is shown as escaped text. */
export function mention(userId: string): string {
  return /^\d{15,21}$/.test(userId) ? `<@${userId}>` : esc(userId);
}

/** A channel reference from its id; anything else as escaped text. */
export function channel(channelId: string): string {
  return /^\d{15,21}$/.test(channelId) ? `<#${channelId}>` : esc(channelId);
}

/** A whole number with thousands separators: 12,345. */
export function num(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–";
}

/** "1 map", "2 maps", "1,204 rounds": the number, then the noun in the right number. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

const KINDS: Record<string, string> = { FP: "Practice", Q: "Qualifying", R: "Race" };

/**
 * A racing session kind as words, the same for every game: "Race", "Qualifying 2", "Practice".
 * The game's own type (ACC "R2", AC "RACE") only adds a number when it has one.
 */
export function sessionKind(kind: string, sessionType?: string): string {
  const base = KINDS[kind] ?? esc(kind);
  const n = sessionType ? /^(?:FP|Q|R)(\d)$/i.exec(sessionType.trim())?.[1] : undefined;
  return n ? `${base} ${n}` : base;
}

/**
 * Cuts text to `max` code points on a word boundary, ending in "…" (for autocomplete choice
 * names and labels); a single word longer than `max` is cut inside it.
 */
export function clipWords(text: string, max: number): string {
  if (length(text) <= max) return text;
  const cut = [...text].slice(0, Math.max(0, max - 1)).join("");
  const space = cut.search(/\s\S*$/);
  const head = space > max / 2 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,;:·–-]+$/u, "")}…`;
}
