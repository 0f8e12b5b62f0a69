/**
 * ET:Legacy Discord embeds, as pure functions of the API's views (kv/etl/views.ts): a round post,
 * a map result, a session summary, a player's stats, a leaderboard. Every name from a game file is
 * colour-stripped and escaped; every list is cut to Discord's limits with "… and N more".
 */
import type { APIEmbed, APIEmbedField } from "discord-api-types/v10";
import { code, esc, plural } from "@/discord/text.ts";
import { metricById } from "@/games/etl/metrics.ts";
import { mmss } from "@/games/etl/stopwatch.ts";
import type { RoundView, SessionView } from "@/kv/etl/views.ts";
import { mvpOfRounds } from "@/games/etl/mvp.ts";
import { zonedWhen } from "@/lib/file_time.ts";

const BLUE = 0x3b82f6, RED = 0xef4444, GOLD = 0xf59e0b, GREEN = 0x22c55e;
const FIELD_MAX = 1024, DESC_MAX = 4096;
const SIDE = ["", "Axis", "Allies", "Spectators"];

/** A player name for Discord: plain text, at most 20 characters, markdown escaped. */
export function discordName(name: string): string {
  const plain = name.trim() || "(no name)";
  const cut = [...plain].length > 20 ? [...plain].slice(0, 19).join("") + "…" : plain;
  return esc(cut);
}

/** Joins lines up to `max` characters; what does not fit becomes "… and N more". */
export function fitLines(lines: string[], max: number): string {
  const out: string[] = [];
  let len = 0;
  for (let i = 0; i < lines.length; i++) {
    const tail = `… and ${lines.length - i} more`;
    const add = lines[i]!.length + (out.length ? 1 : 0);
    const room = i === lines.length - 1 ? max : max - tail.length - 1;
    if (len + add > room) {
      out.push(tail);
      break;
    }
    out.push(lines[i]!);
    len += add;
  }
  return out.join("\n") || "—";
}

/** 1234 → "1.2K". */
export function short(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}K` : String(Math.round(n));
}

const MEDALS = ["🥇", "🥈", "🥉"];

type Row = RoundView["players"][number];

function playerLine(p: Row, i: number): string {
  const medal = MEDALS[i] ?? `${i + 1}.`;
  return `${medal} **${discordName(p.name)}** ${p.kills}/${p.deaths} (${p.kd.toFixed(2)}) · ${
    short(p.damageGiven)
  } dmg · ` +
    `${p.accuracy.toFixed(1)}% acc`;
}

/** Totals and averages of a round's players: the count, kills, deaths, damage, head hits; DPM and accuracy. */
export function roundSummary(players: Row[]): string {
  const n = players.length;
  const t = players.reduce(
    (a, p) => ({
      k: a.k + p.kills,
      de: a.de + p.deaths,
      d: a.d + p.damageGiven,
      hs: a.hs + p.headshots,
      dpm: a.dpm + p.dpm,
      acc: a.acc + p.accuracy,
    }),
    { k: 0, de: 0, d: 0, hs: 0, dpm: 0, acc: 0 },
  );
  const avg = (x: number) => (n ? x / n : 0);
  return `${plural(n, "player")} · ${plural(t.k, "kill")} · ${plural(t.de, "death")} · ${
    short(t.d)
  } damage · ${plural(t.hs, "head hit")}
` +
    `Averages: ${avg(t.dpm).toFixed(0)} DPM · ${avg(t.acc).toFixed(1)}% accuracy · ${
      avg(t.k).toFixed(1)
    } kills`;
}

/** The round post: map, time, winner, each side's players by kills with K/D, damage and accuracy. */
export function roundEmbed(r: RoundView): APIEmbed {
  const outcome = r.winner && r.defender
    ? (r.winner === r.defender ? "full hold" : "objective completed")
    : "unknown";
  const lines = [
    `⏱️ ${r.actualTimeS ? mmss(Math.min(r.actualTimeS, r.timeLimitS || r.actualTimeS)) : "?"} / ${
      mmss(r.timeLimitS)
    }`,
    `🏆 ${SIDE[r.winner] ?? "?"} (${outcome})`,
  ];
  if (r.status === "paired") lines.push("Round 2 values are round 2 alone (R2 − R1).");
  if (r.status === "orphan") {
    lines.push("⚠️ No round 1 found: values are both rounds together and are not counted.");
  }
  if (r.excludedReason) lines.push(`🚫 Not counted: ${esc(r.excludedReason)}`);
  if (r.mvp) lines.push(`⭐ MVP: **${discordName(r.mvp.name)}** (${r.mvp.score.toFixed(1)})`);
  const fields: APIEmbedField[] = [];
  for (const side of [1, 2, 3]) {
    const players = r.players.filter((p) => p.team === side);
    if (players.length === 0) continue;
    fields.push({ name: SIDE[side]!, value: fitLines(players.map(playerLine), FIELD_MAX) });
  }
  fields.push({ name: "📊 Round summary", value: roundSummary(r.players), inline: false });
  return {
    title: `Round ${r.round} · ${esc(r.map)}`,
    color: r.round === 1 ? BLUE : RED,
    description: lines.join("\n"),
    fields,
    footer: { text: `${zonedWhen(r.playedAt, r.timeZone)} · ${r.id} | ${r.sourceFile}` },
    timestamp: new Date(r.playedAt).toISOString(),
  };
}

/** The map result after round 2: who won and how, and the top five over both rounds. */
export function mapResultEmbed(
  r1: RoundView,
  r2: RoundView,
  summary: string,
  points: [number, number],
): APIEmbed {
  const totals = new Map<string, { name: string; k: number; d: number; dmg: number }>();
  for (const p of [...r1.players, ...r2.players]) {
    const t = totals.get(p.guid) ?? { name: p.name, k: 0, d: 0, dmg: 0 };
    t.k += p.kills;
    t.d += p.deaths;
    t.dmg += p.damageGiven;
    t.name = p.name;
    totals.set(p.guid, t);
  }
  const top = [...totals.values()].sort((a, b) => b.k - a.k || b.dmg - a.dmg).slice(0, 5)
    .map((t, i) =>
      `${MEDALS[i] ?? `${i + 1}.`} **${discordName(t.name)}** ${t.k}/${t.d} · ${short(t.dmg)} dmg`
    );
  // R1's attackers are R2's defenders: the side R1's defender was not.
  const r1Attack = r1.players.filter((p) => p.team === (r1.defender === 1 ? 2 : 1)).slice(0, 3);
  const r2Attack = r2.players.filter((p) => p.team === (r2.defender === 1 ? 2 : 1)).slice(0, 3);
  const named = (ps: Row[], label: string) =>
    ps.length ? `${label} (${ps.map((p) => discordName(p.name)).join(", ")})` : label;
  const winner = points[0] > points[1]
    ? `🏆 Winner: ${named(r1Attack, "round 1's attackers")}`
    : points[1] > points[0]
    ? `🏆 Winner: ${named(r2Attack, "round 2's attackers")}`
    : "🤝 Draw";
  const times = `⏱️ R1 attack ${r1.actualTimeS ? mmss(r1.actualTimeS) : "?"} / ${mmss(r1.timeLimitS)} · ` +
    `R2 attack ${r2.actualTimeS ? mmss(r2.actualTimeS) : "?"} / ${mmss(r2.timeLimitS)}`;
  const mvp = mvpOfRounds([r1.players, r2.players]);
  return {
    title: `🗺️ ${esc(r2.map)} · ${points[0]}–${points[1]}`,
    color: GOLD,
    description: [
      winner,
      esc(summary),
      times,
      ...(mvp ? [`⭐ MVP: **${discordName(mvp.name)}** (${mvp.score.toFixed(1)})`] : []),
    ].join("\n"),
    fields: [{ name: "Top players (both rounds)", value: fitLines(top, FIELD_MAX) }],
    footer: { text: `${zonedWhen(r2.playedAt, r2.timeZone)} · ${r1.id} + ${r2.id}` },
    timestamp: new Date(r2.playedAt).toISOString(),
  };
}

/** The session summary: score, maps, every player by kills. */
export function sessionEmbed(s: SessionView): APIEmbed {
  const [a, b] = s.score.teams;
  const teamName = (t: typeof a) => t.names.slice(0, 3).map(discordName).join(", ") || `Team ${t.label}`;
  const maps = s.maps.map((m) => {
    if (!m.result) return `▫️ ${code(m.map)}: not finished`;
    const sm = s.score.maps.find((x) => x.r2Id === m.r2Id);
    return `${sm && sm.a > sm.b ? "🟢" : sm && sm.b > sm.a ? "🔴" : "🟡"} ${code(m.map)}: ${sm?.a ?? 0}-${
      sm?.b ?? 0
    }`;
  });
  const players = s.players.map((p, i) => {
    const m = p.metrics;
    return `${MEDALS[i] ?? `${i + 1}.`} **${discordName(p.name)}** ${p.totals.kills}/${p.totals.deaths} (${
      (m.kd ?? 0).toFixed(2)
    }) · ${(m.dpm ?? 0).toFixed(0)} DPM · ${
      (m.accuracy ?? 0).toFixed(1)
    }% acc · ${p.totals.revivesGiven} rev`;
  });
  const head = [
    `${plural(s.players.length, "player")} · ${plural(s.rounds, "round")} · ${
      plural(new Set(s.maps.map((m) => m.map)).size, "map")
    } · ⏱️ ${hm(s.durationS)}`,
    ...(s.startedAt ? [`🕘 ${zonedWhen(s.startedAt, s.timeZone)}`] : []),
    `🏆 ${teamName(a)} **${a.points} – ${b.points}** ${teamName(b)}`,
    ...sessionHighlights(s),
    "",
    ...maps,
  ];
  return {
    title: `📊 Session ${s.id.slice(0, 10)}`,
    color: GREEN,
    description: fitLines(head, DESC_MAX),
    fields: [
      { name: "Players", value: fitLines(players.slice(0, 12), FIELD_MAX) },
      ...(players.length > 12 ? [{ name: "\u200b", value: fitLines(players.slice(12), FIELD_MAX) }] : []),
    ],
    footer: { text: `Session ${s.id}` },
    timestamp: s.endedAt ? new Date(s.endedAt).toISOString() : undefined,
  };
}

function hm(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m` : `${m}m`;
}

/** The session's headline lines: most-played map, most kills, best accuracy (100+ shots), MVP. */
export function sessionHighlights(s: SessionView): string[] {
  const out: string[] = [];
  const plays = new Map<string, number>();
  for (const m of s.maps) plays.set(m.map, (plays.get(m.map) ?? 0) + 1);
  const top = [...plays].sort((x, y) => y[1] - x[1])[0];
  if (top) out.push(`🗺️ Most played: ${code(top[0])} (${top[1]}×)`);
  const killer = s.players[0];
  if (killer) out.push(`🔫 Most kills: **${discordName(killer.name)}** (${killer.totals.kills})`);
  const aim = s.players.filter((p) => p.totals.aimedShots >= 100)
    .sort((x, y) => (y.metrics.accuracy ?? 0) - (x.metrics.accuracy ?? 0))[0];
  if (aim) {
    out.push(`🎯 Best accuracy: **${discordName(aim.name)}** (${(aim.metrics.accuracy ?? 0).toFixed(1)}%)`);
  }
  if (s.mvp) out.push(`⭐ MVP: **${discordName(s.mvp.name)}** (${s.mvp.score.toFixed(1)})`);
  return out;
}

/** One player's stats: the headline metrics and their best maps. */
export function playerEmbed(p: {
  guid: string;
  guids?: string[];
  name: string;
  totals: { rounds: number; kills: number; deaths: number; timePlayedS: number };
  metrics: Record<string, number>;
  maps: { map: string; totals: { rounds: number }; metrics: Record<string, number> }[];
}, mapsPage?: { page: number; pages: number; total: number }): APIEmbed {
  const show = (id: string) => metricById(id)!.format(p.metrics[id] ?? 0);
  const fields: APIEmbedField[] = [
    ["Rounds", show("rounds")],
    ["Kills / deaths", `${p.totals.kills} / ${p.totals.deaths}`],
    ["K/D", show("kd")],
    ["DPM", show("dpm")],
    ["Accuracy", show("accuracy")],
    ["Headshot %", show("headshot_pct")],
    ["Revives", show("revives")],
    ["Objectives", show("objectives")],
    ["Time played", show("time_played")],
  ].map(([name, value]) => ({ name: name!, value: value!, inline: true }));
  const maps = p.maps.slice(0, 8).map((m) =>
    `${code(m.map)} ${plural(m.totals.rounds, "round")} · K/D ${(m.metrics.kd ?? 0).toFixed(2)} · ${
      (m.metrics.dpm ?? 0).toFixed(0)
    } DPM`
  );
  const many = mapsPage && mapsPage.pages > 1;
  if (maps.length) {
    fields.push({
      name: many ? `Maps (${mapsPage.total}, page ${mapsPage.page + 1} of ${mapsPage.pages})` : "Maps",
      value: fitLines(maps, FIELD_MAX),
    });
  }
  // A person's GUIDs all show: their rounds are added together.
  const guids = p.guids && p.guids.length > 1 ? `${p.guids.length} GUIDs: ${p.guids.join(", ")}` : p.guid;
  return { title: `${discordName(p.name)}`, color: BLUE, fields, footer: { text: guids.slice(0, 2048) } };
}

/** A leaderboard. */
export function leaderboardEmbed(lb: {
  label: string;
  definition: string;
  period: string;
  minRounds: number;
  rows: { rank: number; name: string; display: string; rounds: number }[];
}, page?: { page: number; pages: number; total: number }): APIEmbed {
  const lines = lb.rows.map((r) =>
    `${MEDALS[r.rank - 1] ?? `${r.rank}.`} **${discordName(r.name)}** ${r.display} · ${
      plural(r.rounds, "round")
    }`
  );
  return {
    title: `🏅 ${lb.label}${lb.period === "all" ? "" : ` · last ${lb.period}`}`,
    color: GOLD,
    description: lines.length
      ? fitLines(lines, DESC_MAX)
      : `Nobody has played ${lb.minRounds}+ rounds in this period yet.`,
    footer: {
      text: `${lb.definition}${lb.minRounds > 1 ? ` · min. ${plural(lb.minRounds, "round")}` : ""}${
        page && page.pages > 1 ? ` · ${page.total} players · page ${page.page + 1} of ${page.pages}` : ""
      }`.slice(0, 2048),
    },
  };
}
