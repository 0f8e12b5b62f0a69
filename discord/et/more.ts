/**
 * The `/et` answers beyond stats and leaderboards: last round, sessions, rank, weapons, awards,
 * matchup, nemesis, duo, consistency, trends, teams, and the admin's exclude/include/failed.
 * Functions of the store and the options (discord/et/commands.ts wires them); a failure the user
 * can fix is `{ ok: false, error }`.
 */
import type { APIEmbed } from "discord-api-types/v10";
import { type EtReply, resolve } from "@/discord/et/handlers.ts";
import { discordName, fitLines, roundEmbed, short } from "@/discord/et/embeds.ts";
import { clip, code, echo, esc, LIMITS, plain, plural } from "@/discord/text.ts";
import { awardsEmbed } from "@/discord/et/awards_embed.ts";
import {
  consistency,
  duo,
  matchup,
  nemesis,
  playerRanks,
  playerTrends,
  playerWeapons,
} from "@/kv/etl/analytics.ts";
import { getRoundAwards, hasEndstats, listEndstats, playerAwardCounts } from "@/kv/etl/endstats.ts";
import { setRoundOverride } from "@/kv/etl/exclusion.ts";
import { listFailed } from "@/kv/etl/failed.ts";
import { listSessions, loadSession } from "@/kv/etl/sessions.ts";
import { getRoundView, listRounds, listSessionViews, sessionView } from "@/kv/etl/views.ts";
import type { EtlPlayer } from "@/kv/etl/types.ts";
import { kvReader } from "@/kv/reader.ts";
import { EtlWho } from "@/kv/etl/people.ts";
import type { EtlExclusionConfig } from "@/games/etl/exclusion.ts";
import type { MessagePayload } from "@/discord/command.ts";
import { sideBySideSvg } from "@/lib/bar_chart.ts";
import { cleanText } from "@/lib/text.ts";
import { CHART_PNG } from "@/lib/chart_png.ts";
import { zonedWhen } from "@/lib/file_time.ts";
import { UTC_ZONE, type ZoneOf } from "@/kv/etl/zones.ts";

const fail = (error: string): EtReply => ({ ok: false, error });
const ok = (...embeds: APIEmbed[]): EtReply => ({ ok: true, embeds });
const PURPLE = 0x8b5cf6, TEAL = 0x14b8a6;
const ratio = (a: number, b: number) => (b ? a / b : a);
const dpm = (
  t: { damageGiven: number; timePlayedS: number },
) => (t.timePlayedS ? (t.damageGiven * 60) / t.timePlayedS : 0);

/** Two players (people) for matchup and duo, with who is who; two GUIDs of one person are refused. */
async function two(kv: Deno.Kv, q1: string, q2: string): Promise<[EtlPlayer, EtlPlayer, EtlWho] | string> {
  const who = await EtlWho.load(kvReader(kv));
  const a = await resolve(kv, q1, who), b = await resolve(kv, q2, who);
  if (typeof a === "string") return a;
  if (typeof b === "string") return b;
  if (a.guid === b.guid) return "Pick two different players";
  if (who.same(a.guid, b.guid)) return ONE_PERSON;
  return [a, b, who];
}

/** The answer to a matchup or duo of two GUIDs an admin merged into one person (as `/et compare`). */
export const ONE_PERSON = "Those two are one person (merged by an admin); pick two different players";

/** `/et last_round`: the newest round's post, and its awards when it has them. */
export async function etLastRound(kv: Deno.Kv, zoneOf: ZoneOf = UTC_ZONE): Promise<EtReply> {
  const [r] = (await listRounds(kv, { limit: 1, zoneOf })).rounds;
  if (!r) return fail("No ET:Legacy rounds have been imported yet");
  const aw = await getRoundAwards(kvReader(kv), r.id);
  return ok(roundEmbed(r), ...(aw ? [awardsEmbed(aw, r.id)] : []));
}

/** `/et sessions`: the latest sessions, one line each. */
export async function etSessions(kv: Deno.Kv, zoneOf: ZoneOf = UTC_ZONE): Promise<EtReply> {
  const list = await listSessionViews(kv, 15, zoneOf);
  if (list.length === 0) return fail("No ET:Legacy rounds have been imported yet");
  const lines = list.map((s) =>
    `${zonedWhen(s.startedAt, s.timeZone)} · ${plural(s.rounds, "round")} · ${
      s.maps.map((m) => esc(m)).join(", ")
    }`
  );
  return ok({ title: "📅 Sessions", color: TEAL, description: fitLines(lines, 4096) });
}

/** `/et rank <player>`: their place in every leaderboard. */
export async function etRank(kv: Deno.Kv, q: string): Promise<EtReply> {
  const p = await resolve(kv, q);
  if (typeof p === "string") return fail(p);
  const ranks = await playerRanks(kv, p.guid);
  if (!ranks) return fail(`No counted rounds for ${discordName(p.name)} yet`);
  const lines = ranks.map((r) =>
    `\`${r.label.padEnd(14)}\` ${
      r.rank === null ? "not ranked (too few rounds)" : `#${r.rank} of ${r.of}`
    } · ${r.display}`
  );
  return ok({
    title: `🏅 ${discordName(p.name)}: ranks`,
    color: PURPLE,
    description: fitLines(lines, 4096),
    footer: { text: p.guid },
  });
}

/** `/et weapons [player]`. */
export async function etWeapons(kv: Deno.Kv, q: string): Promise<EtReply> {
  const who = await EtlWho.load(kvReader(kv));
  const p = await resolve(kv, q, who);
  if (typeof p === "string") return fail(p);
  const rows = await playerWeapons(kv, p.guid, who);
  if (rows.length === 0) return fail(`No counted rounds for ${discordName(p.name)} yet`);
  const lines = rows.map((w) =>
    `\`${w.weapon.padEnd(15)}\` ${plural(w.kills, "kill")} · ${plural(w.deaths, "death")} · ${
      w.accuracy.toFixed(1)
    }% (${w.hits}/${w.shots}) · ${w.headshots} HS`
  );
  return ok({
    title: `🔫 ${discordName(p.name)}: weapons`,
    color: PURPLE,
    description: fitLines(lines, 4096),
    footer: { text: p.guid },
  });
}

/** `/et awards [round|player]`: a round's awards (the newest with any when none is named), or a player's award count. */
export async function etAwards(kv: Deno.Kv, q: string | undefined): Promise<EtReply> {
  const r = kvReader(kv);
  if (!(await hasEndstats(r))) return fail("No endstats files have been imported yet");
  const round = q ? await getRoundAwards(r, q) : null;
  if (q && round) return ok(awardsEmbed(round, q));
  if (!q) {
    const newest = (await listEndstats(r)).sort((a, b) => b.wallMs - a.wallMs)[0]!;
    return ok(awardsEmbed((await getRoundAwards(r, newest.roundId))!, newest.roundId));
  }
  const who = await EtlWho.load(kvReader(kv));
  const p = await resolve(kv, q, who);
  if (typeof p === "string") return fail(`${p} (nor a round id with endstats)`);
  // Every GUID of the person: their awards added together.
  const won = new Map<string, number>();
  for (const guid of who.guidsOf(p.guid)) {
    for (const [a, n] of await playerAwardCounts(r, guid)) won.set(a, (won.get(a) ?? 0) + n);
  }
  const lines = [...won].sort((x, y) => y[1] - x[1]).map(([a, n]) => `${n}× ${esc(a)}`);
  return ok({
    title: `🏅 ${discordName(p.name)}: awards`,
    color: PURPLE,
    description: lines.length ? fitLines(lines, 4096) : "No awards yet.",
    footer: { text: p.guid },
  });
}

/** `/et matchup <a> <b>`. */
export async function etMatchup(kv: Deno.Kv, q1: string, q2: string): Promise<EtReply> {
  const pair = await two(kv, q1, q2);
  if (typeof pair === "string") return fail(pair);
  const [a, b, who] = pair;
  const m = await matchup(kv, a.guid, b.guid, who);
  const [na, nb] = [discordName(a.name), discordName(b.name)];
  const line = (n: string, t: typeof m.a) =>
    `**${n}** ${t.kills}/${t.deaths} (K/D ${ratio(t.kills, t.deaths).toFixed(2)}) · ${
      dpm(t).toFixed(0)
    } DPM · ${short(t.damageGiven)} dmg`;
  const lines = [
    `⚔️ ${plural(m.against, "round")} against each other · ${na} won ${m.winsA}, ${nb} won ${m.winsB}`,
    `🤝 ${plural(m.together, "round")} on the same team`,
    ...(m.against ? [line(na, m.a), line(nb, m.b)] : []),
    m.vs.rounds
      ? `🆚 ${
        plural(m.vs.rounds, "round")
      } with VS stats: ${na} killed ${nb} ${m.vs.aKillsB}×, ${nb} killed ${na} ${m.vs.bKillsA}×`
      : "🆚 No VS stats (endstats files) for their rounds",
  ];
  return ok({
    title: `${na} vs ${nb}`,
    color: PURPLE,
    description: lines.join("\n"),
    footer: { text: `${a.guid} vs ${b.guid}` },
  });
}

/** `/et nemesis [player]`. */
export async function etNemesis(kv: Deno.Kv, q: string): Promise<EtReply> {
  const who = await EtlWho.load(kvReader(kv));
  const p = await resolve(kv, q, who);
  if (typeof p === "string") return fail(p);
  const n = await nemesis(kv, p.guid, who);
  if (n.rounds === 0) return fail(`No VS stats (endstats files) for ${discordName(p.name)}'s rounds yet`);
  const list = (xs: typeof n.killed) => fitLines(xs.map((x) => `**${discordName(x.name)}** ${x.n}×`), 1024);
  return ok({
    title: `😈 ${discordName(p.name)}: nemesis`,
    color: PURPLE,
    fields: [
      { name: "Killed by most", value: list(n.killedBy), inline: true },
      { name: "Killed most", value: list(n.killed), inline: true },
    ],
    footer: { text: `${p.guid} · VS stats of ${plural(n.rounds, "round")}` },
  });
}

/** `/et duo <a> <b>`. */
export async function etDuo(kv: Deno.Kv, q1: string, q2: string): Promise<EtReply> {
  const pair = await two(kv, q1, q2);
  if (typeof pair === "string") return fail(pair);
  const [a, b, who] = pair;
  const d = await duo(kv, a.guid, b.guid, who);
  const [na, nb] = [discordName(a.name), discordName(b.name)];
  if (d.rounds === 0) return fail(`${na} and ${nb} have not played a counted round on the same team`);
  const c = d.combined;
  const lines = [
    `🤝 ${plural(d.rounds, "round")} together · won ${d.won}, lost ${d.lost} (${
      ((100 * d.won) / Math.max(1, d.won + d.lost)).toFixed(0)
    }%)`,
    `Combined: ${c.kills}/${c.deaths} (K/D ${ratio(c.kills, c.deaths).toFixed(2)}) · ${
      short(c.damageGiven)
    } dmg · ${c.revivesGiven} revives`,
    `**${na}** ${d.a.kills}/${d.a.deaths} · ${dpm(d.a).toFixed(0)} DPM`,
    `**${nb}** ${d.b.kills}/${d.b.deaths} · ${dpm(d.b).toFixed(0)} DPM`,
  ];
  return ok({
    title: `${na} + ${nb}`,
    color: TEAL,
    description: lines.join("\n"),
    footer: { text: `${a.guid} + ${b.guid}` },
  });
}

/** `/et consistency [player]`. */
export async function etConsistency(kv: Deno.Kv, q: string): Promise<EtReply> {
  const who = await EtlWho.load(kvReader(kv));
  const p = await resolve(kv, q, who);
  if (typeof p === "string") return fail(p);
  const c = await consistency(kv, p.guid, who);
  if (c.rounds < 2) {
    return fail(`Consistency needs two rounds or more; ${discordName(p.name)} has ${c.rounds}`);
  }
  const f = (s: typeof c.dpm, d: number) =>
    `${s.mean.toFixed(d)} ± ${s.sd.toFixed(d)} (spread ${(s.cv * 100).toFixed(0)}%)`;
  return ok({
    title: `📏 ${discordName(p.name)}: consistency`,
    color: TEAL,
    description: [
      `Over ${plural(c.rounds, "round")} of a minute or more:`,
      `DPM ${f(c.dpm, 0)}`,
      `K/D ${f(c.kd, 2)}`,
      "A smaller spread (standard deviation / mean) is steadier.",
    ].join("\n"),
    footer: { text: p.guid },
  });
}

/**
 * The SVG of `/et trends`' chart: DPM and K/D per session side by side, oldest first (the footer
 * of the embed names the player). The name comes from the game files: cleaned here
 * (lib/text.ts), escaped by lib/bar_chart.ts.
 */
export function trendsChartSvg(raw: string, pts: { sessionId: string; dpm: number; kd: number }[]): string {
  const name = cleanText(raw);
  const label = (x: { sessionId: string }) => x.sessionId.slice(0, 10);
  return sideBySideSvg([
    { title: `${name}: DPM per session`, bars: pts.map((x) => ({ label: label(x), value: x.dpm })) },
    {
      title: `${name}: K/D per session`,
      bars: pts.map((x) => ({ label: label(x), value: x.kd })),
      format: (v) => v.toFixed(2),
    },
  ]);
}

/** `/et trends [player]`: K/D and DPM over the last sessions, with the chart as a PNG. */
export async function etTrendsWithChart(kv: Deno.Kv, q: string): Promise<MessagePayload> {
  const r = await etTrends(kv, q);
  if (!r.ok) return { content: r.error };
  const p = await resolve(kv, q);
  const pts = typeof p === "string" ? [] : await playerTrends(kv, p.guid, 10);
  const png = pts.length && typeof p !== "string"
    ? await CHART_PNG.render(trendsChartSvg(p.name, pts))
    : null;
  if (!png) return { embeds: r.embeds };
  return {
    embeds: [{ ...r.embeds[0]!, image: { url: "attachment://trends.png" } }],
    files: [{ name: "trends.png", data: png, contentType: "image/png" }],
  };
}

/** `/et trends [player]`: K/D and DPM over the last sessions. */
export async function etTrends(kv: Deno.Kv, q: string): Promise<EtReply> {
  const who = await EtlWho.load(kvReader(kv));
  const p = await resolve(kv, q, who);
  if (typeof p === "string") return fail(p);
  const pts = await playerTrends(kv, p.guid, 10, who);
  if (pts.length === 0) return fail(`No counted rounds for ${discordName(p.name)} yet`);
  const lines = pts.map((x) =>
    `\`${x.sessionId.slice(0, 10)}\` ${plural(x.rounds, "round")} · ${x.kills}/${x.deaths} (K/D ${
      x.kd.toFixed(2)
    }) · ${x.dpm} DPM`
  );
  return ok({
    title: `📈 ${discordName(p.name)}: last ${pts.length} sessions`,
    color: TEAL,
    description: fitLines(lines, 4096),
    footer: { text: p.guid },
  });
}

/** `/et teams [session]`: the two rosters, named by a configured name or their most frequent member. */
export async function etTeams(
  kv: Deno.Kv,
  sessionDate: string | undefined,
  teamNames: Record<string, string>,
): Promise<EtReply> {
  const sessions = await listSessions(kv);
  const s = sessionDate ? sessions.find((x) => x.id.startsWith(sessionDate)) : sessions.at(-1);
  if (!s) {
    return fail(
      sessionDate
        ? `No session started on ${echo(sessionDate)}`
        : "No ET:Legacy rounds have been imported yet",
    );
  }
  const who = await EtlWho.load(kvReader(kv));
  const v = sessionView(await loadSession(kv, s), undefined, who);
  // A person (merged GUIDs) is one roster entry, its rounds over every GUID it played under.
  const rounds = new Map(v.players.flatMap((p) => p.guids.map((g) => [g, p.totals.rounds])));
  const fields = v.score.teams.map((t) => {
    const byRounds = t.guids.map((g, i) => ({ g, n: t.names[i]!, r: rounds.get(g) ?? 0 })).sort((x, y) =>
      y.r - x.r
    );
    const configured = t.guids.flatMap((g) => who.guidsOf(g)).map((g) => teamNames[g.toUpperCase()])
      .find((x) => x);
    // A configured name is the admin's, the fallback a player's from the game files: both escaped,
    // and the field name cut on a code point (never inside a surrogate pair) within Discord's 256.
    const name = configured !== undefined
      ? esc(clip(plain(configured), 200))
      : byRounds[0]
      ? `Team ${discordName(byRounds[0].n)}`
      : `Team ${esc(t.label)}`;
    return {
      name: clip(`${name} · ${plural(t.points, "point")}`, LIMITS.fieldName),
      value: fitLines(byRounds.map((x) => `${discordName(x.n)} (${plural(x.r, "round")})`), 1024),
      inline: true,
    };
  });
  return ok({ title: `👥 Teams · session ${v.id}`, color: TEAL, fields });
}

/** `/et admin exclude|include <round>`. */
export async function etAdminOverride(
  kv: Deno.Kv,
  roundId: string,
  what: "exclude" | "include",
  opts: { now: Date; rules: EtlExclusionConfig },
): Promise<EtReply> {
  const res = await setRoundOverride(kv, roundId, what, opts);
  if (res.status === "unknown") {
    return fail(`There is no round "${echo(roundId)}"; round ids are on the round posts' footers`);
  }
  const r = await getRoundView(kv, roundId);
  const state = res.round.excluded ? `excluded (${res.round.excluded.reason})` : "counted";
  return ok({
    title: `${what === "exclude" ? "🚫" : "✅"} ${esc(roundId)}`,
    color: PURPLE,
    description:
      `Now ${esc(state)}.${
        res.changed ? " Totals and leaderboards moved with it." : " Nothing changed in the totals."
      }` +
      (r?.status === "orphan" ? " (An orphan round 2 is never counted.)" : ""),
  });
}

/** `/et admin failed`: the latest files the importer refused, with why. */
export async function etAdminFailed(kv: Deno.Kv, zoneOf: ZoneOf = UTC_ZONE): Promise<EtReply> {
  const list = await listFailed(kv, 20);
  if (list.length === 0) {
    return ok({ title: "Refused files", color: PURPLE, description: "No ET:Legacy file has been refused." });
  }
  const lines = list.map((f) => `${code(f.name)} ${zonedWhen(f.at, zoneOf(undefined))}: ${esc(f.reason)}`);
  return ok({ title: "Refused files", color: PURPLE, description: fitLines(lines, 4096) });
}
