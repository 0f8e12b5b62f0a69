/**
 * Racing announcement embeds as pure functions of plain data (no KV, no network): track record
 * (gold), personal best (green), race result (blue). Names from game files are escaped; times are
 * Discord timestamps, so every reader sees their own time zone; limits are kept by cutting.
 */
import { fastestOf } from "@/games/racing/best_lap.ts";
import type { APIEmbed } from "discord-api-types/v10";
import { time } from "@discordjs/formatters";
import type { CarResult, SessionKind } from "@/games/racing/types.ts";
import type {
  PersonalBestAnnouncement,
  RaceResultAnnouncement,
  TrackRecordAnnouncement,
} from "@/kv/racing/announcements.ts";
import { formatGap, formatLap } from "@/lib/laptime.ts";
import { cutText, joinLines, LIMITS } from "@/discord/message_limits.ts";
import { esc, plain, plural, sessionKind } from "@/discord/text.ts";

/** Embed colours. */
export const COLORS = { record: 0xf1c40f, personalBest: 0x2ecc71, result: 0x3498db } as const;

const GAMES: Record<string, string> = { acc: "ACC", ac: "Assetto Corsa" };
/** A name from a game file, safe in Discord markdown (discord/text.ts): one line, at most 64 characters. */
export function safeName(name: string): string {
  const oneLine = name.replace(/\s+/g, " ").trim() || "(no name)";
  return esc(cutText(oneLine, 64));
}

/** `<t:..:f> (<t:..:R>)`: the moment in each reader's own zone, and how long ago. */
export function when(iso: string): string {
  const d = new Date(iso);
  return `${time(d, "f")} (${time(d, "R")})`;
}

function heading(a: { trackName: string; kind: SessionKind; cls: string }): string {
  const cls = a.cls === "all" ? "" : ` · ${safeName(a.cls)} class`;
  return `${safeName(a.trackName)} · ${sessionKind(a.kind)}${cls}`;
}

function lapFields(a: TrackRecordAnnouncement | PersonalBestAnnouncement) {
  return [
    { name: "👤 Driver", value: safeName(a.driver.name), inline: true },
    { name: "⏱️ Time", value: `**${formatLap(a.lapMs)}**`, inline: true },
    { name: "🚗 Car", value: safeName(a.car.name), inline: true },
    { name: "📅 Set", value: when(a.setAt), inline: false },
  ];
}

function footer(game: string, extra?: string): { text: string } {
  return { text: ["Podium", GAMES[game] ?? game, extra].filter(Boolean).join(" · ") };
}

/** Gold: a new track record (overall or in a class), by how much the old one fell and whose it was. */
export function trackRecordEmbed(a: TrackRecordAnnouncement): APIEmbed {
  const lines: string[] = [];
  if (a.previous) {
    const by = (a.previous.lapMs - a.lapMs) / 1000;
    lines.push(`🔥 Smashed the previous record by **${by.toFixed(3)}s**!`);
    lines.push(`Previous: ${formatLap(a.previous.lapMs)} by ${safeName(a.previous.driver.name)}`);
  } else {
    lines.push(
      a.cls === "all" ? "🏁 The first record on this track." : `🏁 The first ${safeName(a.cls)} record here.`,
    );
  }
  return {
    title: cutText(`🏆 New track record! ${heading(a)}`, LIMITS.title),
    description: lines.join("\n"),
    color: COLORS.record,
    fields: [...lapFields(a), ...(a.cls === "all" ? [] : [{ name: "🏷️ Class", value: safeName(a.cls) }])],
    footer: footer(a.game),
    timestamp: a.setAt,
  };
}

/** Green: a personal best, with how far the driver moved up. */
export function personalBestEmbed(a: PersonalBestAnnouncement): APIEmbed {
  const moved = rankMove(a);
  return {
    title: cutText(`🎯 Personal best! ${heading(a)}`, LIMITS.title),
    description: [
      moved,
      `📊 Rank **#${a.rankAfter}** of ${a.of} (was #${a.rankBefore})`,
      `⏬ ${((a.previousMs - a.lapMs) / 1000).toFixed(3)}s faster than before (${formatLap(a.previousMs)})`,
    ].join("\n"),
    color: COLORS.personalBest,
    fields: lapFields(a),
    footer: footer(a.game),
    timestamp: a.setAt,
  };
}

/**
 * What happened on the board, in numbers that add up: the places the lap gained, less the drivers
 * who went faster in the same session (an import can bring several faster newcomers at once).
 */
export function rankMove(
  a: Pick<PersonalBestAnnouncement, "rankBefore" | "rankAfter" | "passed" | "pushedDown">,
): string {
  const gained = a.rankBefore - a.rankAfter;
  const passed = a.passed ?? Math.max(0, gained);
  const pushed = a.pushedDown ?? 0;
  const others = `${plural(pushed, "driver")} went faster in the same session`;
  if (pushed === 0) {
    return gained > 0
      ? `🚀 Moved up ${plural(gained, "position")} on the leaderboard!`
      : "💪 Held their place on the leaderboard.";
  }
  if (gained > 0) return `🚀 Moved up ${plural(gained, "position")}: passed ${passed}, and ${others}.`;
  if (gained === 0) return `💪 Held #${a.rankAfter}: passed ${passed}, and ${others}.`;
  return `📉 Down ${plural(-gained, "position")}: ${others}${passed > 0 ? ` (passed ${passed})` : ""}.`;
}

const MEDALS = ["🥇", "🥈", "🥉"];

function penaltyText(c: CarResult): string {
  const shown = c.penalties.filter((p) => !/^(none|0)$/i.test(p.penalty) && !/disqualif/i.test(p.penalty));
  if (shown.length === 0) return "";
  const list = shown.map((p) =>
    `${p.penalty}${p.value ? ` ${p.value}` : ""}${p.reason ? ` (${p.reason})` : ""}`
  );
  return ` ⚠️ ${safeName(list.join(", "))}`;
}

/** One standings line per car: position, drivers, total or gap, best lap (the fastest marked), DSQ and penalties. */
export function standingsLines(cars: CarResult[]): string[] {
  const ordered = [...cars].sort((a, b) => a.position - b.position);
  const classified = ordered.filter((c) => !c.disqualified);
  const winner = classified[0];
  const fastest = classified.reduce<CarResult | null>(
    (f, c) => c.bestLapMs !== null && (f === null || c.bestLapMs < f.bestLapMs!) ? c : f,
    null,
  );
  return ordered.map((c) => {
    const who = c.drivers.map((d) => safeName(d.name)).join(" / ") || "(no driver)";
    if (c.disqualified) return `🚫 ~~${who}~~ — DSQ`;
    const rank = classified.indexOf(c);
    const pos = MEDALS[rank] ?? `${rank + 1}.`;
    let result: string;
    if (c === winner) {
      result = c.totalTimeMs !== null ? formatLap(c.totalTimeMs) : `${plural(c.lapCount, "lap")}`;
    } else if (winner && c.lapCount < winner.lapCount) {
      result = `+${plural(winner.lapCount - c.lapCount, "lap")}`;
    } else if (winner?.totalTimeMs != null && c.totalTimeMs !== null) {
      result = formatGap(c.totalTimeMs - winner.totalTimeMs);
    } else result = "—";
    const best = c.bestLapMs !== null
      ? ` (Best: ${formatLap(c.bestLapMs)}${c === fastest ? " 🔥" : ""})`
      : "";
    return `${pos} ${who} — ${result}${best}${penaltyText(c)}`;
  });
}

/** Blue: the final standings of a race. */
export function raceResultEmbed(
  a: RaceResultAnnouncement,
  session: { cars: CarResult[]; serverName?: string; wet?: boolean },
): APIEmbed {
  const lines = standingsLines(session.cars);
  const fastest = fastestOf(session.cars);
  const intro = [
    `🏆 **Final standings** · ${plural(session.cars.length, "car")}${session.wet ? " · 🌧️ wet" : ""}`,
    ...(fastest
      ? [
        `🔥 Fastest lap: ${formatLap(fastest.lapMs)} by ${safeName(fastest.driver.name)}`,
      ]
      : []),
    "",
  ];
  const introText = intro.join("\n");
  return {
    title: cutText(`🏁 Race results: ${safeName(a.trackName)}`, LIMITS.title),
    description: `${introText}\n${joinLines(lines, LIMITS.description - introText.length - 1)}`,
    color: COLORS.result,
    fields: [{ name: "📅 Finished", value: when(a.finishedAt) }],
    footer: footer(
      a.game,
      session.serverName ? cutText(plain(session.serverName), 100) : plain(a.sessionType),
    ),
    timestamp: a.finishedAt,
  };
}
