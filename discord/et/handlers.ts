/**
 * What each `/et` command answers, as functions of the store and the options, independent of the
 * command framework (discord/et/commands.ts wires them). A failure the user can fix is
 * `{ ok: false, error }`: one sentence, shown only to them.
 */
import type { APIEmbed } from "discord-api-types/v10";
import { clipWords, code, echo, LIMITS, plural } from "@/discord/text.ts";
import { metricById, METRICS } from "@/games/etl/metrics.ts";
import { listSessions, loadSession } from "@/kv/etl/sessions.ts";
import { etlMapStats, pickEtlPlayer, searchEtlPlayers } from "@/kv/etl/search.ts";
import type { EtlPlayer } from "@/kv/etl/types.ts";
import { etlPeople, type EtlShownPlayer, EtlWho } from "@/kv/etl/people.ts";
import { kvReader } from "@/kv/reader.ts";
import { getPlayerView, leaderboard, type Period, PERIODS, sessionView } from "@/kv/etl/views.ts";
import { UTC_ZONE, type ZoneOf } from "@/kv/etl/zones.ts";
import { MAX_PAGES, pageLabel, pageOf, pager } from "@/discord/pages.ts";
import { discordName, fitLines, leaderboardEmbed, playerEmbed, sessionEmbed } from "@/discord/et/embeds.ts";

/** An answer (with page buttons when it has pages), or one sentence for the user. */
export type EtReply =
  | { ok: true; embeds: APIEmbed[]; components?: ActionRows }
  | { ok: false; error: string };

type ActionRows = ReturnType<typeof pager>;

/** Rows of `/et top` a page, and maps of `/et stats` a page. */
export const TOP_PAGE = 10, MAPS_PAGE = 8;

/** Maps a page of `/et maps`. */
export const MAPS_LIST_PAGE = 20;

const fail = (error: string): EtReply => ({ ok: false, error });

/**
 * A typed player option as one player, or one sentence saying why not. `who`: who is who, when the
 * caller has it already (else one list of the grouped GUIDs).
 */
export async function resolve(kv: Deno.Kv, query: string, who?: EtlWho): Promise<EtlPlayer | string> {
  // A person (GUIDs an admin merged, kv/etl/people.ts) is one player under the person's name,
  // named by that name, any of their GUIDs or any name a GUID played under.
  const pick = await pickEtlPlayer(kv, query, who?.people ?? await etlPeople(kvReader(kv)));
  if (pick.kind === "one") {
    const typed = (pick.player as EtlShownPlayer).guids?.find((g) =>
      g.toLowerCase() === query.trim().toLowerCase()
    );
    const { guids: _, personId: __, ...player } = pick.player as EtlShownPlayer;
    return { ...player, guid: typed ?? player.guid };
  }
  if (pick.kind === "none") return `No ET:Legacy player matches "${echo(query)}"`;
  const names = pick.players.slice(0, 5).map((p) => discordName(p.name)).join(", ");
  return `"${echo(query)}" matches several players (${names}); pick one from the list`;
}

/**
 * `/et stats [player]`: the player, or the caller's linked player when none is given; their maps
 * 8 a page (`page`, clamped), with page buttons (`ets:<GUID>|<page>`).
 */
export async function etStats(
  kv: Deno.Kv,
  player: string | undefined,
  linkedGuid: string | null,
  page = 0,
): Promise<EtReply> {
  const query = player ?? linkedGuid;
  if (!query) return fail("Name a player, or link yourself first with /et link");
  const p = await resolve(kv, query);
  if (typeof p === "string") return fail(p);
  const view = await getPlayerView(kv, p.guid);
  if (!view) return fail(`No stats for "${echo(query)}" yet`);
  const maps = pageOf(view.maps, page, MAPS_PAGE);
  return {
    ok: true,
    embeds: [playerEmbed({ ...view, maps: maps.items }, maps)],
    components: pager("ets", (n) => `${view.guid}|${n}`, maps.page, maps.pages),
  };
}

/** `/et last_session`. */
export async function etLastSession(kv: Deno.Kv, zoneOf: ZoneOf = UTC_ZONE): Promise<EtReply> {
  const last = (await listSessions(kv)).at(-1);
  if (!last) return fail("No ET:Legacy rounds have been imported yet");
  return {
    ok: true,
    embeds: [sessionEmbed(sessionView(await loadSession(kv, last), zoneOf, await EtlWho.load(kvReader(kv))))],
  };
}

/** `/et session <date>`: the first session that started on that day (server time). */
export async function etSession(kv: Deno.Kv, date: string, zoneOf: ZoneOf = UTC_ZONE): Promise<EtReply> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    return fail(`"${echo(date)}" is not a date; use YYYY-MM-DD, e.g. 2025-10-19`);
  }
  const s = (await listSessions(kv)).find((x) => x.id.startsWith(date));
  if (!s) return fail(`No session started on ${date}`);
  return {
    ok: true,
    embeds: [sessionEmbed(sessionView(await loadSession(kv, s), zoneOf, await EtlWho.load(kvReader(kv))))],
  };
}

/**
 * `/et top <metric> [period]`: the leaderboard 10 a page (`page`, clamped; at most MAX_PAGES),
 * with page buttons (`ett:<metric>|<period>|<page>`).
 */
export async function etTop(
  kv: Deno.Kv,
  metric: string,
  period: string | undefined,
  now: Date,
  page = 0,
  zoneOf: ZoneOf = UTC_ZONE,
): Promise<EtReply> {
  if (!metricById(metric)) return fail(`Unknown metric "${echo(metric)}"; pick one from the list`);
  const p = (period ?? "all") as Period;
  if (!(p in PERIODS)) return fail(`Unknown period "${echo(period)}"; use all, 7d, 30d, 90d or 365d`);
  const lb = await leaderboard(kv, metric, { period: p, now, limit: MAX_PAGES * TOP_PAGE, zoneOf });
  const shown = pageOf(lb.rows, page, TOP_PAGE);
  return {
    ok: true,
    embeds: [leaderboardEmbed({ ...lb, rows: shown.items }, shown)],
    components: pager("ett", (n) => `${metric}|${p}|${n}`, shown.page, shown.pages),
  };
}

const COMPARED = [
  "rounds",
  "kills",
  "kd",
  "dpm",
  "accuracy",
  "headshot_pct",
  "efficiency",
  "revives",
  "objectives",
  "gibs",
];

/** `/et compare <p1> <p2>`: the headline metrics side by side. */
export async function etCompare(kv: Deno.Kv, q1: string, q2: string): Promise<EtReply> {
  const a = await resolve(kv, q1), b = await resolve(kv, q2);
  if (typeof a === "string") return fail(a);
  if (typeof b === "string") return fail(b);
  if (a.guid === b.guid) return fail("Pick two different players");
  const [va, vb] = [await getPlayerView(kv, a.guid), await getPlayerView(kv, b.guid)];
  if (!va || !vb) return fail("No stats for one of the players yet");
  if (va.guid === vb.guid) {
    return fail("Those two are one person (merged by an admin); pick two different players");
  }
  const lines = COMPARED.map((id) => {
    const m = metricById(id)!;
    const x = va.metrics[id] ?? 0, y = vb.metrics[id] ?? 0;
    const mark = x > y ? "◀" : y > x ? "▶" : "=";
    return `\`${m.label.padEnd(12)}\` ${m.format(x)} ${mark} ${m.format(y)}`;
  });
  return {
    ok: true,
    embeds: [{
      title: `${discordName(va.name)} vs ${discordName(vb.name)}`,
      color: 0x8b5cf6,
      description: fitLines(lines, 4096),
      footer: { text: `${va.guid} vs ${vb.guid}` },
    }],
  };
}

/** `/et maps`: maps by rounds played, and how stopwatch went on them; 20 a page (`etm:<page>`). */
export async function etMaps(kv: Deno.Kv, page = 0): Promise<EtReply> {
  const maps = await etlMapStats(kv);
  if (maps.length === 0) return fail("No ET:Legacy rounds have been imported yet");
  const shown = pageOf(maps.sort((a, b) => b.rounds - a.rounds), page, MAPS_LIST_PAGE);
  const lines = shown.items.map((m) => {
    const extra = m.maps
      ? ` · ${plural(m.maps, "map")}, R2 attack won ${m.r2AttackWins}, double holds ${m.doubleHolds}`
      : "";
    return `${code(m.map)} ${plural(m.rounds, "round")}${extra}`;
  });
  return {
    ok: true,
    embeds: [{
      title: "🗺️ Maps",
      color: 0x0ea5e9,
      description: fitLines(lines, 4096),
      ...(shown.pages > 1 ? { footer: { text: `${plural(maps.length, "map")}, ${pageLabel(shown)}` } } : {}),
    }],
    components: pager("etm", String, shown.page, shown.pages),
  };
}

/** `/et link <player>`: the player to link (the framework stores it with kv/links.ts). */
export async function etLinkTarget(
  kv: Deno.Kv,
  player: string,
): Promise<{ guid: string; name: string } | { error: string }> {
  const p = await resolve(kv, player);
  return typeof p === "string" ? { error: p } : { guid: p.guid, name: p.name };
}

/** Autocomplete: players by name (value: the GUID), a person once under the person's name. */
export async function playerChoices(kv: Deno.Kv, typed: string): Promise<{ name: string; value: string }[]> {
  return (await searchEtlPlayers(kv, typed, 25, await etlPeople(kvReader(kv)))).map((p) => {
    const more = ((p as EtlShownPlayer).guids?.length ?? 1) - 1;
    return {
      name: `${p.name || "(no name)"} · ${p.guid}${more ? ` +${plural(more, "GUID")}` : ""}`.slice(0, 100),
      value: p.guid,
    };
  });
}

/** Autocomplete: metrics by id or label. */
export function metricChoices(typed: string): { name: string; value: string }[] {
  const q = typed.trim().toLowerCase();
  return METRICS.filter((m) => !q || m.id.includes(q) || m.label.toLowerCase().includes(q)).slice(0, 25)
    .map((m) => ({ name: clipWords(`${m.label}: ${m.definition}`, LIMITS.choiceName), value: m.id }));
}
