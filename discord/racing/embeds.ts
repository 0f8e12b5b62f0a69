/**
 * The racing set's messages, as pure functions of plain data (tested without any network).
 * Names are escaped, times are Discord timestamps, and limits are kept by discord/text.ts.
 */
import type { APIEmbed } from "discord-api-types/v10";
import type { MessagePayload } from "@/discord/command.ts";
import {
  ago,
  channel,
  esc,
  fitLines,
  formatGap,
  formatLap,
  place,
  plural,
  sessionKind,
  when,
  whenAgo,
} from "@/discord/text.ts";
import type { RacingGame, SessionKind } from "@/games/racing/types.ts";
import type { PbLine, RecordLine } from "@/kv/racing/records.ts";
import type { TrackSummary } from "@/kv/racing/tracks.ts";
import { pageLabel, pageOf, pager } from "@/discord/pages.ts";

/** Embed colours: records gold, personal bests green, results and lists blue. */
export const COLORS = { record: 0xf1c40f, pb: 0x2ecc71, info: 0x3498db, warn: 0xe67e22 } as const;

const GAME: Record<RacingGame, string> = { acc: "ACC", ac: "Assetto Corsa" };
const KIND: Record<SessionKind, string> = { Q: "Qualifying", R: "Race", FP: "Practice" };
const KIND_ICON: Record<SessionKind, string> = { Q: "🏁", R: "🏎️", FP: "🔧" };

/** "Monza (ACC)", "Monza (ACC, GT3)". */
export function trackTitle(name: string, game: RacingGame, cls = "all"): string {
  return `${esc(name)} (${GAME[game]}${cls === "all" ? "" : `, ${esc(cls)}`})`;
}

function car(l: { car: { name: string } }): string {
  return esc(l.car.name);
}

/** One leaderboard line: medal, time, gap to the leader, driver, car, when. */
export function recordLine(l: RecordLine, leaderMs: number, opts: { whenStyle?: "f" | "R" } = {}): string {
  const gap = l.rank === 1 ? "" : ` (${formatGap(l.lapMs - leaderMs)})`;
  const at = opts.whenStyle === "R" ? ago(l.setAt) : when(l.setAt);
  const time = l.rank === 1 ? `**${formatLap(l.lapMs)}**` : formatLap(l.lapMs);
  return `${place(l.rank)} ${time}${gap} — ${esc(l.driver.name)} (${car(l)}) • ${at}`;
}

/** One board's part of /records. */
export interface BoardView {
  kind: SessionKind;
  entries: RecordLine[];
  of: number;
}

/** `/records <track>`: the top 3 of qualifying and race. */
export function recordsEmbed(
  t: { name: string; game: RacingGame; cls: string; boards: BoardView[] },
): MessagePayload {
  const fields = t.boards.map((b) => ({
    name: `${KIND_ICON[b.kind]} ${KIND[b.kind]} (${plural(b.of, "driver")})`,
    value: b.entries.length
      ? fitLines(b.entries.map((l) => recordLine(l, b.entries[0]!.lapMs)), 1024)
      : "No laps yet",
  }));
  const embed: APIEmbed = {
    title: `🏆 Track Records: ${trackTitle(t.name, t.game, t.cls)}`,
    color: COLORS.record,
    fields,
    footer: { text: "Add kind: to see the top 10 of qualifying or race" },
  };
  return { embeds: [embed] };
}

/** Page buttons (discord/pages.ts, the one pager of every list). */
export { pager };

/** Tracks a page of /tracks (a line is about 90 characters). */
export const TRACKS_PAGE = 25;

/** `/records <track> <kind>`: one page of a leaderboard. */
export function recordsPageEmbed(
  t: {
    name: string;
    game: RacingGame;
    cls: string;
    kind: SessionKind;
    entries: RecordLine[];
    leaderMs: number | null;
    of: number;
    page: number;
    pages: number;
  },
): APIEmbed {
  const lines = t.entries.map((l) => recordLine(l, t.leaderMs ?? l.lapMs));
  return {
    title: `${KIND_ICON[t.kind]} ${KIND[t.kind]} leaderboard: ${trackTitle(t.name, t.game, t.cls)}`,
    color: COLORS.record,
    description: lines.length ? fitLines(lines, 4096) : "No laps yet",
    footer: {
      text: `${plural(t.of, "driver")} · page ${t.page + 1} of ${Math.max(1, t.pages)}`,
    },
  };
}

/** One kind of a driver's PB, with the record it is measured against. */
export interface PbView {
  pb: PbLine;
  record: { driverName: string; splitsMs: number[]; isMe: boolean } | null;
}

/** Per-sector gaps of a lap to the record's sectors; strongest and weakest by gap. */
export function sectorBreakdown(mine: number[], record: number[]): {
  lines: string[];
  strongest: { sector: number; gapMs: number } | null;
  weakest: { sector: number; gapMs: number } | null;
} {
  const n = Math.min(mine.length, record.length);
  const gaps: { sector: number; gapMs: number }[] = [];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const gap = mine[i]! - record[i]!;
    gaps.push({ sector: i + 1, gapMs: gap });
    lines.push(
      `S${i + 1}: ${formatLap(mine[i]!)} (${formatGap(gap)})${gap < 0 ? " ✅" : gap === 0 ? " 🟰" : ""}`,
    );
  }
  if (gaps.length === 0) return { lines, strongest: null, weakest: null };
  const sorted = [...gaps].sort((a, b) => a.gapMs - b.gapMs);
  return { lines, strongest: sorted[0]!, weakest: sorted[sorted.length - 1]! };
}

function seconds(ms: number): string {
  return (Math.abs(ms) / 1000).toFixed(3);
}

/** `/pb`: a driver's bests on a track, qualifying and race, with sectors against the record. */
export function pbEmbed(
  d: { driverName: string; trackName: string; game: RacingGame; views: PbView[] },
): MessagePayload {
  const fields: APIEmbed["fields"] = [];
  for (const { pb, record } of d.views) {
    const vs = pb.rank === 1
      ? "🏆 Holds the record"
      : `🏆 vs Record: ${formatGap(pb.vsRecordMs)}${record ? ` (${esc(record.driverName)})` : ""}`;
    const lines = [
      `⏱️ Time: **${pb.lap}**`,
      `🚗 Car: ${esc(pb.car.name)}`,
      `📅 Set: ${whenAgo(pb.setAt)}`,
      `📊 Rank: ${place(pb.rank)}${pb.rank <= 3 ? ` #${pb.rank}` : ""} of ${pb.of}`,
      vs,
      `🔄 Sessions: ${pb.sessions}`,
    ];
    if (pb.theoreticalBestMs !== null) {
      lines.push(`🧮 Theoretical best: ${formatLap(pb.theoreticalBestMs)} (best sectors summed)`);
    }
    fields.push({ name: `${KIND_ICON[pb.kind]} ${KIND[pb.kind]}`, value: lines.join("\n") });
    if (record && !record.isMe && pb.splitsMs.length > 0) {
      const s = sectorBreakdown(pb.splitsMs, record.splitsMs);
      if (s.lines.length) {
        const notes = [...s.lines];
        if (s.strongest) {
          notes.push(
            s.strongest.gapMs <= 0
              ? `🏆 Strongest: S${s.strongest.sector} (${seconds(s.strongest.gapMs)}s faster than record)`
              : `🏆 Strongest: S${s.strongest.sector} (only ${seconds(s.strongest.gapMs)}s off the record)`,
          );
        }
        if (s.weakest && s.weakest.gapMs > 0) {
          notes.push(`💪 Weakest: S${s.weakest.sector} (${seconds(s.weakest.gapMs)}s slower than record)`);
        }
        fields.push({ name: `⚡ Sector Breakdown (${pb.kind})`, value: notes.join("\n") });
      }
    }
  }
  return {
    embeds: [{
      title: `🎯 Personal Best: ${esc(d.driverName)}`,
      description: `🏁 ${trackTitle(d.trackName, d.game)}`,
      color: COLORS.pb,
      fields,
    }],
  };
}

/** One track of /leaders. */
export interface LeaderTrack {
  name: string;
  game: RacingGame;
  q: RecordLine | null;
  r: RecordLine | null;
}

/** `/leaders`: the #1 of qualifying and race on each track of the page. */
export function leadersEmbed(
  t: { tracks: LeaderTrack[]; cls: string; page: number; pages: number; total: number },
): APIEmbed {
  const top = (k: SessionKind, l: RecordLine | null) =>
    `${KIND_ICON[k]} ${k}: ${l ? `**${l.lap}** — ${esc(l.driver.name)} (${car(l)}) • ${ago(l.setAt)}` : "—"}`;
  return {
    title: `🏆 Server Leaders${t.cls === "all" ? "" : ` (${esc(t.cls)})`}`,
    color: COLORS.record,
    fields: t.tracks.map((x) => ({
      name: trackTitle(x.name, x.game),
      value: `${top("Q", x.q)}\n${top("R", x.r)}`,
    })),
    description: t.tracks.length ? undefined : "No records yet",
    footer: {
      text: `${plural(t.total, "track")} · page ${t.page + 1} of ${Math.max(1, t.pages)}`,
    },
  };
}

/** `/tracks`: every track with its sessions and when it was last driven, 25 a page (`trk:<page>`). */
export function tracksEmbed(tracks: TrackSummary[], page = 0): MessagePayload {
  const shown = pageOf(tracks, page, TRACKS_PAGE);
  const lines = shown.items.map((t) =>
    `**${esc(t.name)}** (${GAME[t.game]}) — ${plural(t.sessions, "session")}` +
    ` (Q ${t.sessionsByKind.Q}, R ${t.sessionsByKind.R}), last ${ago(t.lastSessionAt)}`
  );
  return {
    embeds: [{
      title: `🗺️ Tracks (${tracks.length})`,
      color: COLORS.info,
      description: lines.length ? fitLines(lines, 4096) : "No sessions imported yet",
      ...(shown.pages > 1 ? { footer: { text: pageLabel(shown) } } : {}),
    }],
    components: pager("trk", String, shown.page, shown.pages),
  };
}

/** One session of /recent. */
export interface RecentSession {
  trackName: string;
  game: RacingGame;
  kind: SessionKind;
  sessionType: string;
  finishedAt: string;
  /** False when the file carried no date (shown as "date unknown"). */
  dateKnown?: boolean;
  cars: number;
  winner: { name: string; car: string } | null;
  fastest: { name: string; lapMs: number } | null;
}

/** `/recent`: the latest sessions with their winners (pole in qualifying). */
export function recentEmbed(sessions: RecentSession[]): MessagePayload {
  const lines = sessions.map((s) => {
    // The kind in words for every game: ACC's "R" and AC's "RACE" both read "Race".
    const head =
      `${KIND_ICON[s.kind]} ${s.dateKnown === false ? "date unknown" : when(s.finishedAt)} **${
        esc(s.trackName)
      }** ${sessionKind(s.kind, s.sessionType)}` + ` (${GAME[s.game]}, ${plural(s.cars, "car")})`;
    const label = s.kind === "R" ? "Winner" : s.kind === "Q" ? "Pole" : "Fastest";
    const win = s.winner ? `🥇 ${label}: ${esc(s.winner.name)} (${esc(s.winner.car)})` : "No classified cars";
    const fast = s.fastest ? ` · ⚡ ${formatLap(s.fastest.lapMs)} ${esc(s.fastest.name)}` : "";
    return `${head}\n${win}${fast}`;
  });
  return {
    embeds: [{
      title: "🕒 Recent sessions",
      color: COLORS.info,
      description: lines.length ? fitLines(lines, 4096) : "No sessions imported yet",
    }],
  };
}

/** `/status`: delivery and import health for admins. */
export function statusEmbed(s: {
  pending: number;
  pendingCapped: boolean;
  oldestPendingAt: string | null;
  /** The newest dead letters. */
  deadLetters: { type: string; channelId: string | null; reason: string; at: string }[];
  deadLetterCount: number;
  lastDelivered: { type: string; deliveredAt: string } | null;
  lastImportAt: string | null;
  discordRest: boolean;
}): MessagePayload {
  const lines = [
    `📬 Announcements waiting: **${s.pending}${s.pendingCapped ? "+" : ""}**${
      s.oldestPendingAt ? ` (oldest ${ago(s.oldestPendingAt)})` : ""
    }`,
    `☠️ Dead letters: **${s.deadLetterCount}**${
      s.deadLetterCount ? " (fix the cause, then `deno run -A discord/dead_letters.ts --requeue`)" : ""
    }`,
    `📤 Last delivered: ${
      s.lastDelivered ? `${esc(s.lastDelivered.type)} ${ago(s.lastDelivered.deliveredAt)}` : "nothing yet"
    }`,
    `📥 Last import: ${s.lastImportAt ? whenAgo(s.lastImportAt) : "never"}`,
    `🔌 Discord REST: ${s.discordRest ? "configured" : "not configured (set DISCORD_BOT_TOKEN)"}`,
  ];
  const dead = s.deadLetters.slice(0, 10).map((d) =>
    `• ${ago(d.at)} ${esc(d.type)}${d.channelId ? ` → ${channel(d.channelId)}` : ""}: ${esc(d.reason)}`
  );
  const fields = dead.length ? [{ name: "Latest dead letters", value: fitLines(dead, 1024) }] : [];
  return {
    embeds: [{
      title: "🩺 Podium status",
      color: s.deadLetterCount ? COLORS.warn : COLORS.info,
      description: lines.join("\n"),
      fields,
    }],
  };
}
