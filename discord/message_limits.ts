/**
 * Discord's message limits (docs/discord.md section 4), kept by cutting, never by an error from
 * Discord: lists end in "... and N more", text is shortened with an ellipsis. Lengths count code
 * points, with the embed total held a little under 6,000 as a margin.
 */
import type { APIEmbed } from "discord-api-types/v10";

/** Discord's limits, in code points. */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** All embeds of one message together (Discord: 6,000; a margin for what "character" means). */
  total: 5900,
} as const;

/** Length in code points. */
export function textLength(s: string | undefined): number {
  if (!s) return 0;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Shortens text to `max` code points, ending in "…" when cut. */
export function cutText(s: string, max: number): string {
  if (textLength(s) <= max) return s;
  return [...s].slice(0, Math.max(0, max - 1)).join("") + "…";
}

/** The "... and N more" line. */
export function andMore(n: number): string {
  return `... and ${n} more`;
}

/**
 * Joins lines with newlines into at most `max` code points; when they do not all fit, as many as
 * fit followed by "... and N more".
 */
export function joinLines(lines: string[], max: number, hidden = 0): string {
  const all = lines.join("\n");
  if (hidden === 0 && textLength(all) <= max) return all;
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const tail = andMore(lines.length - i - 1 + hidden);
    const cost = textLength(line) + (kept.length ? 1 : 0);
    // Keep this line only if the remainder's "... and N more" still fits after it.
    if (used + cost + 1 + textLength(tail) > max) break;
    kept.push(line);
    used += cost;
  }
  const rest = lines.length - kept.length + hidden;
  return rest === 0 ? kept.join("\n") : [...kept, andMore(rest)].join("\n");
}

function embedSize(e: APIEmbed): number {
  return textLength(e.title) + textLength(e.description) + textLength(e.footer?.text) +
    textLength(e.author?.name) +
    (e.fields ?? []).reduce((n, f) => n + textLength(f.name) + textLength(f.value), 0);
}

function fitEmbed(e: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...e };
  if (out.title) out.title = cutText(out.title, LIMITS.title);
  if (out.description) out.description = cutText(out.description, LIMITS.description);
  if (out.footer?.text) out.footer = { ...out.footer, text: cutText(out.footer.text, LIMITS.footer) };
  if (out.author?.name) out.author = { ...out.author, name: cutText(out.author.name, LIMITS.author) };
  if (out.fields) {
    let fields = out.fields.map((f) => ({
      ...f,
      name: cutText(f.name, LIMITS.fieldName),
      value: cutText(f.value, LIMITS.fieldValue),
    }));
    if (fields.length > LIMITS.fields) {
      const rest = fields.length - (LIMITS.fields - 1);
      fields = [...fields.slice(0, LIMITS.fields - 1), { name: "\u200b", value: andMore(rest) }];
    }
    out.fields = fields;
  }
  return out;
}

/**
 * A message body within every limit: each embed's parts cut to size, then, while the embeds
 * together are too long, fields dropped from the end (with "... and N more") and the longest
 * description shortened. Content is cut to 2,000.
 */
export function fitMessage<T extends { content?: string; embeds?: APIEmbed[] }>(body: T): T {
  const out = { ...body };
  if (out.content) out.content = cutText(out.content, LIMITS.content);
  if (!out.embeds) return out;
  const embeds = out.embeds.slice(0, LIMITS.embeds).map(fitEmbed);
  const total = () => embeds.reduce((n, e) => n + embedSize(e), 0);
  for (let guard = 0; total() > LIMITS.total && guard < 200; guard++) {
    const over = total() - LIMITS.total;
    const withFields = [...embeds].reverse().find((e) => (e.fields?.length ?? 0) > 1);
    if (withFields) {
      const fields = withFields.fields!;
      const last = fields.at(-1)!;
      const dropped = /^\.\.\. and (\d+) more$/.exec(last.value);
      const already = dropped ? Number(dropped[1]) : 0;
      const keep = fields.slice(0, dropped ? -2 : -1);
      withFields.fields = [...keep, { name: "\u200b", value: andMore(already + 1) }];
      continue;
    }
    const longest = embeds.reduce((a, b) => textLength(b.description) > textLength(a.description) ? b : a);
    const len = textLength(longest.description);
    if (len === 0) break;
    const lines = longest.description!.split("\n");
    const more = /^\.\.\. and (\d+) more$/.exec(lines.at(-1)!);
    if (more) lines.pop();
    longest.description = lines.length > 2
      ? joinLines(lines, Math.max(0, len - over - 1), more ? Number(more[1]) : 0)
      : cutText(longest.description!, Math.max(1, len - over));
  }
  out.embeds = embeds;
  return out;
}
