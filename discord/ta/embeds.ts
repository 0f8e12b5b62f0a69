/**
 * Time attack's Discord messages, as pure functions of plain data: the live leaderboard, the
 * schedule, the standings, "event changed" and an event's final result. Every name from a game
 * file is escaped; times to come are Discord timestamps, shown in each reader's own zone.
 */
import { time } from "@discordjs/formatters";
import { esc } from "@/discord/text.ts";
import type { APIEmbed } from "discord-api-types/v10";
import { formatGap, formatLap } from "@/lib/laptime.ts";
import type { EventBoardView, EventNames, EventView, SeasonView } from "@/kv/ta/views.ts";
import type { Standings } from "@/kv/ta/standings.ts";
import { pageLabel, pageOf, pager } from "@/discord/pages.ts";

/** A message as time attack sends it (a subset of Discord's message body). */
export interface TaMessage {
  content?: string;
  embeds: APIEmbed[];
  allowed_mentions: { parse: [] };
  /** Page buttons (discord/pages.ts) of a reply with pages. */
  components?: ReturnType<typeof pager>;
}

/** Drivers a page in `/standings` and `/event`. */
export const STANDINGS_PAGE = 15, EVENT_PAGE = 10;

const COLOR = 0xe10600;
/** Discord's limits: 4096 characters of description, 1024 per field value, 25 fields. */
const DESCRIPTION_MAX = 4096;
const LIVE_ROWS = 25;

function message(embed: APIEmbed): TaMessage {
  return { embeds: [embed], allowed_mentions: { parse: [] } };
}

/** Custom emoji before a car: by car folder name, else by maker (config `timeAttack.emoji`, keys lower case). */
export interface CarEmoji {
  cars: Record<string, string>;
  brands: Record<string, string>;
}

/** The track with its country's flag: "🇦🇹 Red Bull Ring National", escaped. */
export function trackLabel(e: Pick<EventNames, "trackName" | "flag">): string {
  return `${e.flag ? `${e.flag} ` : ""}${esc(e.trackName)}`;
}

/** The cars by name, each after its emoji when one is configured. */
export function carsLabel(e: Pick<EventNames, "carNames">, emoji?: CarEmoji): string {
  return e.carNames.map((c) => {
    const icon = emoji?.cars[c.id.toLowerCase()] ??
      (c.brand ? emoji?.brands[c.brand.toLowerCase()] : undefined);
    return `${icon ? `${icon} ` : ""}${esc(c.name)}`;
  }).join(", ");
}

const at = (iso: string, style: "R" | "f" | "F" | "d") => time(new Date(iso), style);

/**
 * Lines until the text would pass `max`, then "... and N more", N counting the `rows` cut plus
 * `hidden` rows that were never lines. The first `keep` lines are a header, not rows.
 */
function cut(lines: string[], opts: { max?: number; hidden?: number; keep?: number } = {}): string {
  const max = opts.max ?? DESCRIPTION_MAX, hidden = opts.hidden ?? 0, keep = opts.keep ?? 0;
  let out = "";
  for (let i = 0; i < lines.length; i++) {
    const more = `\n... and ${lines.length - i + hidden} more`;
    if (i >= keep && out.length + lines[i]!.length + 1 + more.length > max) return out + more;
    out += (i ? "\n" : "") + lines[i];
  }
  return hidden > 0 ? `${out}\n... and ${hidden} more` : out;
}

function boardLines(board: EventBoardView, limit: number, from = 0): string[] {
  const winner = board.entries[0];
  return board.entries.slice(from, from + limit).map((e) => {
    const gap = winner && e.rank > 1 ? ` (${formatGap(e.lapMs - winner.lapMs)})` : "";
    return `**${e.rank}.** ${esc(e.driver.name)}: \`${e.lap}\`${gap} · ${esc(e.carName)}`;
  });
}

/** A board's lines after a header (from `from` on), cut to fit, counting every driver left out. */
function boardText(
  header: string[],
  board: EventBoardView,
  limit: number,
  empty: string,
  from?: number,
): string {
  const lines = boardLines(board, limit, from);
  // A page (`from` given) has buttons for the rest; a whole board counts what it leaves out.
  const hidden = from === undefined ? board.entries.length - lines.length : 0;
  return cut([...header, ...(lines.length ? lines : [empty])], { hidden, keep: header.length });
}

/** The live leaderboard of the current event: bests, gaps, cars, and the time left. */
export function liveBoardMessage(board: EventBoardView, name: string): TaMessage {
  const ends = board.end ? `Ends ${at(board.end, "R")} (${at(board.end, "f")})` : "Open-ended";
  return message({
    title: `Season ${board.season}: ${esc(name)}`,
    description: boardText(
      [`${trackLabel(board)} · ${carsLabel(board)}`, ends, ""],
      board,
      LIVE_ROWS,
      "No laps yet.",
    ),
    color: COLOR,
  });
}

/**
 * The season's schedule as the seed's league posts it: the listed events only (a preseason keeps
 * its leaderboard but is not here), each with its week number, the track with its flag, the cars
 * with their emoji, and its start in the reader's own zone; the current event marked.
 */
export function scheduleMessage(season: SeasonView, currentKey: string | null, emoji?: CarEmoji): TaMessage {
  const lines = season.events.filter((e) => e.listed).map((e) => {
    const mark = e.key === currentKey ? "▶ " : "";
    // "Week 3" says it already; "event3" (a key as the name) says nothing more.
    const own = /^(week|event)[\s_-]*\d+$/i.test(e.name) ? "" : ` · ${esc(e.name)}`;
    const tag = e.counts ? "" : " (no points)";
    return `${mark}**Week ${e.week}**${own}${tag}: ${trackLabel(e)}\n${carsLabel(e, emoji)} · ${
      at(e.start, "F")
    }`;
  });
  return message({
    title: `Season ${season.season} schedule`,
    description: cut(lines.length ? lines : ["No events listed."]),
    color: COLOR,
  });
}

/**
 * The standings: total, points per event with dropped weeks struck through, the tie-break rule.
 * With `page` (a command's reply), STANDINGS_PAGE drivers a page with page buttons
 * (`tas:<season>|<page>`); without (the kept channel message), every driver that fits.
 */
export function standingsMessage(st: Standings, names: Map<string, string>, page?: number): TaMessage {
  const shown = page === undefined ? null : pageOf(st.entries, page, STANDINGS_PAGE);
  const lines = (shown?.items ?? st.entries).map((e) => {
    const per = st.eventKeys.filter((k) => k in e.events).map((k) => {
      const p = `${esc(names.get(k) ?? k)} ${e.events[k]!.toFixed(2)}`;
      return e.dropped.includes(k) ? `~~${p}~~` : p;
    });
    return `**${e.rank}.** ${esc(e.driver.name)}: **${e.points.toFixed(2)}** (${per.join(", ")})`;
  });
  const paged = shown && shown.pages > 1 ? ` ${st.entries.length} drivers, ${pageLabel(shown)}.` : "";
  return {
    ...message({
      title: `Season ${st.season} standings`,
      description: cut(lines.length ? lines : ["No points yet."]),
      color: COLOR,
      footer: {
        text: `Best ${st.counted} events count (dropped ones struck out). ` +
          `Ties: lower mean gap to the winners over shared events, then more wins.${paged}`,
      },
    }),
    ...(shown ? { components: pager("tas", (n) => `${st.season}|${n}`, shown.page, shown.pages) } : {}),
  };
}

/** "Event changed": the new track, cars and end. */
export function eventChangedMessage(season: number, e: EventView, emoji?: CarEmoji): TaMessage {
  return message({
    title: `Season ${season}: ${esc(e.name)} is on`,
    description: [
      `Track: ${trackLabel(e)}`,
      `Cars: ${carsLabel(e, emoji)}`,
      e.end ? `Ends ${at(e.end, "F")} (${at(e.end, "R")})` : "Open-ended",
      e.counts ? "" : "No points for this one.",
    ].filter(Boolean).join("\n"),
    color: COLOR,
  });
}

/** An event's final result, top 10. */
export function eventResultMessage(board: EventBoardView, name: string): TaMessage {
  return message({
    title: `Season ${board.season}: ${esc(name)} final result`,
    description: boardText([trackLabel(board), ""], board, 10, "Nobody set a lap."),
    color: COLOR,
  });
}

/** A driver's laps as one line (for /ta pb). */
export function lapLine(lapMs: number, bestMs?: number): string {
  return bestMs === undefined || bestMs === lapMs
    ? formatLap(lapMs)
    : `${formatLap(lapMs)} (${formatGap(lapMs - bestMs)})`;
}

/**
 * `/event`: an event's leaderboard 10 a page (`page`, clamped) with page buttons
 * (`tae:<key>|<page>`), and the time left (or when it starts, or that it is over).
 */
export function eventMessage(board: EventBoardView, name: string, nowMs: number, page = 0): TaMessage {
  const shown = pageOf(board.entries, page, EVENT_PAGE);
  const startMs = Date.parse(board.start);
  const endMs = board.end ? Date.parse(board.end) : null;
  const when = nowMs < startMs
    ? `Starts ${at(board.start, "R")} (${at(board.start, "f")})`
    : endMs !== null && nowMs >= endMs
    ? `Ended ${at(board.end!, "f")}`
    : endMs !== null
    ? `Ends ${at(board.end!, "R")} (${at(board.end!, "f")})`
    : "Open-ended";
  return {
    ...message({
      title: `Season ${board.season}: ${esc(name)}`,
      description: boardText(
        [`${trackLabel(board)} · ${carsLabel(board)}`, when, ""],
        board,
        EVENT_PAGE,
        "No laps yet.",
        shown.page * EVENT_PAGE,
      ),
      color: COLOR,
      ...(shown.pages > 1
        ? { footer: { text: `${board.entries.length} drivers, ${pageLabel(shown)}` } }
        : {}),
    }),
    components: pager("tae", (n) => `${board.key}|${n}`, shown.page, shown.pages),
  };
}

/** One event line of a driver's season (for `/ta pb`). */
export interface PbLine {
  event: string;
  name: string;
  rank: number;
  of: number;
  lapMs: number;
  /** The car's display name. */
  car: string;
  points: number | null;
  dropped: boolean;
}

/** `/ta pb`: a driver's best lap in each event of the season, with rank and points. */
export function pbMessage(
  season: number,
  driver: { name: string },
  lines: PbLine[],
  total: { rank: number; points: number } | null,
): TaMessage {
  const rows = lines.map((l) => {
    const pts = l.points === null
      ? ""
      : ` · ${l.dropped ? `~~${l.points.toFixed(2)}~~` : l.points.toFixed(2)} pts`;
    return `**${esc(l.name)}**: \`${formatLap(l.lapMs)}\` (P${l.rank} of ${l.of}) · ${esc(l.car)}${pts}`;
  });
  return message({
    title: `${esc(driver.name)}: season ${season}`,
    description: cut(rows.length ? rows : ["No laps in this season yet."]),
    color: COLOR,
    ...(total ? { footer: { text: `Standings: P${total.rank}, ${total.points.toFixed(2)} points` } } : {}),
  });
}
