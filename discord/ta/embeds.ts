/**
 * Time attack's Discord messages, as pure functions of plain data: the live leaderboard, the
 * schedule, the standings, "event changed" and an event's final result. Every name from a game
 * file is escaped; times to come are Discord timestamps, shown in each reader's own zone.
 */
import { escapeMarkdown, time } from "@discordjs/formatters";
import type { APIEmbed } from "discord-api-types/v10";
import { formatGap, formatLap } from "@/lib/laptime.ts";
import type { EventBoardView, EventView, SeasonView } from "@/kv/ta/views.ts";
import type { Standings } from "@/kv/ta/standings.ts";

/** A message as time attack sends it (a subset of Discord's message body). */
export interface TaMessage {
  content?: string;
  embeds: APIEmbed[];
  allowed_mentions: { parse: [] };
}

const COLOR = 0xe10600;
/** Discord's limits: 4096 characters of description, 1024 per field value, 25 fields. */
const DESCRIPTION_MAX = 4096;
const LIVE_ROWS = 25;

function message(embed: APIEmbed): TaMessage {
  return { embeds: [embed], allowed_mentions: { parse: [] } };
}

/** `ks_red_bull_ring` + `layout_national` → "ks_red_bull_ring (layout_national)", escaped. */
export function trackLabel(e: { track: string; layout: string }): string {
  return escapeMarkdown(e.layout ? `${e.track} (${e.layout})` : e.track);
}

function cars(e: { cars: string[] }): string {
  return e.cars.map((c) => escapeMarkdown(c)).join(", ");
}

const at = (iso: string, style: "R" | "f" | "F" | "d") => time(new Date(iso), style);

/** Lines until the text would pass `max`, then "... and N more". */
function cut(lines: string[], max = DESCRIPTION_MAX): string {
  let out = "";
  for (let i = 0; i < lines.length; i++) {
    const more = `\n... and ${lines.length - i} more`;
    if (out.length + lines[i]!.length + 1 + more.length > max) return out + more;
    out += (out ? "\n" : "") + lines[i];
  }
  return out;
}

function boardLines(board: EventBoardView, limit: number): string[] {
  const winner = board.entries[0];
  const lines = board.entries.slice(0, limit).map((e) => {
    const gap = winner && e.rank > 1 ? ` (${formatGap(e.lapMs - winner.lapMs)})` : "";
    return `**${e.rank}.** ${escapeMarkdown(e.driver.name)}: \`${e.lap}\`${gap} · ${escapeMarkdown(e.car)}`;
  });
  if (board.entries.length > limit) lines.push(`... and ${board.entries.length - limit} more`);
  return lines;
}

/** The live leaderboard of the current event: bests, gaps, cars, and the time left. */
export function liveBoardMessage(board: EventBoardView, name: string): TaMessage {
  const lines = boardLines(board, LIVE_ROWS);
  const ends = board.end ? `Ends ${at(board.end, "R")} (${at(board.end, "f")})` : "Open-ended";
  return message({
    title: `Season ${board.season}: ${escapeMarkdown(name)}`,
    description: cut([
      `${trackLabel(board)} · ${cars(board)}`,
      ends,
      "",
      ...(lines.length ? lines : ["No laps yet."]),
    ]),
    color: COLOR,
  });
}

/** The season's schedule, the current event marked. */
export function scheduleMessage(season: SeasonView, currentKey: string | null): TaMessage {
  const lines = season.events.map((e) => {
    const mark = e.key === currentKey ? "▶ " : "";
    const tag = e.counts ? "" : " (no points)";
    return `${mark}**${escapeMarkdown(e.name)}**${tag}: ${trackLabel(e)} · ${cars(e)} · ${at(e.start, "F")}`;
  });
  return message({ title: `Season ${season.season} schedule`, description: cut(lines), color: COLOR });
}

/** The standings: total, points per event with dropped weeks struck through, the tie-break rule. */
export function standingsMessage(st: Standings, names: Map<string, string>): TaMessage {
  const lines = st.entries.map((e) => {
    const per = st.eventKeys.filter((k) => k in e.events).map((k) => {
      const p = `${escapeMarkdown(names.get(k) ?? k)} ${e.events[k]!.toFixed(2)}`;
      return e.dropped.includes(k) ? `~~${p}~~` : p;
    });
    return `**${e.rank}.** ${escapeMarkdown(e.driver.name)}: **${e.points.toFixed(2)}** (${per.join(", ")})`;
  });
  return message({
    title: `Season ${st.season} standings`,
    description: cut(lines.length ? lines : ["No points yet."]),
    color: COLOR,
    footer: {
      text: `Best ${st.counted} events count (dropped ones struck out). ` +
        "Ties: lower mean gap to the winners over shared events, then more wins.",
    },
  });
}

/** "Event changed": the new track, cars and end. */
export function eventChangedMessage(season: number, e: EventView): TaMessage {
  return message({
    title: `Season ${season}: ${escapeMarkdown(e.name)} is on`,
    description: [
      `Track: ${trackLabel(e)}`,
      `Cars: ${cars(e)}`,
      e.end ? `Ends ${at(e.end, "F")} (${at(e.end, "R")})` : "Open-ended",
      e.counts ? "" : "No points for this one.",
    ].filter(Boolean).join("\n"),
    color: COLOR,
  });
}

/** An event's final result, top 10. */
export function eventResultMessage(board: EventBoardView, name: string): TaMessage {
  const lines = boardLines(board, 10);
  return message({
    title: `Season ${board.season}: ${escapeMarkdown(name)} final result`,
    description: cut([`${trackLabel(board)}`, "", ...(lines.length ? lines : ["Nobody set a lap."])]),
    color: COLOR,
  });
}

/** A driver's laps as one line (for /ta pb). */
export function lapLine(lapMs: number, bestMs?: number): string {
  return bestMs === undefined || bestMs === lapMs
    ? formatLap(lapMs)
    : `${formatLap(lapMs)} (${formatGap(lapMs - bestMs)})`;
}
