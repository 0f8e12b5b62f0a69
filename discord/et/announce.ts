/**
 * ET:Legacy's announcement renderers (registered in discord/announcements.ts): a round post after
 * every round, the map result after round 2, the session summary when the evening is over, all to
 * `discord.channels.etl`. Each reads the stored data when it is delivered, so a post shows the
 * round as stored then. A channel's posts are ordered by when the rounds were played.
 */
import type { AnnouncementRenderer } from "@/discord/announcements.ts";
import type { EtlAnnouncement } from "@/kv/etl/types.ts";
import { mapResult } from "@/games/etl/stopwatch.ts";
import { stampOfId } from "@/kv/etl/sessions.ts";
import { getRoundView, getSessionView } from "@/kv/etl/views.ts";
import { mapResultEmbed, roundEmbed, sessionEmbed } from "@/discord/et/embeds.ts";
import { awardsEmbed } from "@/discord/et/awards_embed.ts";
import {
  chartText,
  SESSION_CHART,
  sessionChartsSvg,
  sessionDpmChart,
  sessionKdChart,
} from "@/discord/et/session_chart.ts";
import { CHART_PNG } from "@/lib/chart_png.ts";
import { getRoundAwards } from "@/kv/etl/endstats.ts";
import { kvReader } from "@/kv/reader.ts";
import { type Config, etlZones } from "@/config.ts";
import { fitEmbed } from "@/discord/text.ts";

type Ann<T extends EtlAnnouncement["type"]> = Extract<EtlAnnouncement, { type: T }>;

const channel = (deps: { config: Pick<Config, "discord"> }) => deps.config.discord.channels.etl ?? null;

/** The round post. */
export const etlRoundRenderer: AnnouncementRenderer<Ann<"etl_round">> = {
  type: "etl_round",
  channel,
  async render(deps, a) {
    const r = await getRoundView(deps.kv, a.roundId, etlZones(deps.config));
    if (!r) throw new Error(`ET:Legacy round "${a.roundId}" is not stored`);
    return { embeds: [roundEmbed(r)] };
  },
  orderKey: (a) => `${stampOfId(a.roundId)}-1`,
  editable: true,
};

/** The map result, after round 2. */
export const etlMapResultRenderer: AnnouncementRenderer<Ann<"etl_map_result">> = {
  type: "etl_map_result",
  channel,
  async render(deps, a) {
    const zoneOf = etlZones(deps.config);
    const [r1, r2] = await Promise.all([
      getRoundView(deps.kv, a.r1Id, zoneOf),
      getRoundView(deps.kv, a.r2Id, zoneOf),
    ]);
    if (!r1 || !r2) throw new Error(`ET:Legacy map "${a.r1Id}" + "${a.r2Id}" is not stored`);
    const res = mapResult(r1, r2);
    return { embeds: [mapResultEmbed(r1, r2, res.summary, [res.r1AttackersPoints, res.r2AttackersPoints])] };
  },
  orderKey: (a) => `${stampOfId(a.r2Id)}-2`,
  editable: true,
};

/** The awards post, right after its round's post (queued once both files are stored). */
export const etlAwardsRenderer: AnnouncementRenderer<Ann<"etl_awards">> = {
  type: "etl_awards",
  channel,
  async render(deps, a) {
    const aw = await getRoundAwards(kvReader(deps.kv), a.roundId);
    if (!aw) throw new Error(`ET:Legacy endstats of "${a.roundId}" are not stored`);
    return { embeds: [awardsEmbed(aw, a.roundId)] };
  },
  orderKey: (a) => `${stampOfId(a.roundId)}-1a`,
  editable: true,
};

/** The session summary, once the evening is over. */
export const etlSessionRenderer: AnnouncementRenderer<Ann<"etl_session">> = {
  type: "etl_session",
  channel,
  async render(deps, a) {
    const s = await getSessionView(deps.kv, a.sessionId, etlZones(deps.config));
    if (!s) {
      throw new Error(`ET:Legacy session "${a.sessionId}" is not stored (an earlier round arrived since?)`);
    }
    // The evening's charts (DPM and K/D, side by side) ride along; a chart that cannot be drawn
    // never costs the summary: where the renderer cannot load (lib/chart_png.ts) they come as text.
    // Loaded on first use: the renderer's WebAssembly is not worth compiling at every cold start.
    const png = s.players.length ? await CHART_PNG.render(sessionChartsSvg(s)) : null;
    const embed = sessionEmbed(s);
    if (!png) {
      if (!s.players.length) return { embeds: [embed] };
      const text = (c: Parameters<typeof chartText>[0]) => "```\n" + chartText(c) + "\n```";
      const fields = [...(embed.fields ?? [])];
      fields.push({ name: "DPM", value: text(sessionDpmChart(s)), inline: false });
      fields.push({ name: "K/D", value: text(sessionKdChart(s)), inline: false });
      return { embeds: [fitEmbed({ ...embed, fields: fields.slice(0, 25) })] };
    }
    return {
      embeds: [{ ...embed, image: { url: `attachment://${SESSION_CHART}` } }],
      files: [{ name: SESSION_CHART, data: png, contentType: "image/png" }],
    };
  },
  orderKey: (a) => `${stampOfId(a.lastRoundId)}-3`,
  // A round of the evening completed after the summary was posted edits it (kv/etl/apply.ts); the
  // edit keeps the chart first drawn (an edit sends no files) and updates the text.
  editable: true,
};

/** ET:Legacy's renderers. */
export const ETL_ANNOUNCEMENTS: readonly AnnouncementRenderer[] = [
  etlRoundRenderer,
  etlAwardsRenderer,
  etlMapResultRenderer,
  etlSessionRenderer,
];
