/**
 * Renderers for the ET:Legacy announcements the import and the session-end cron write to the
 * outbox: a round post after every round, the map result after round 2, the session summary.
 * Each reads the stored data when it is delivered, so a post shows the round as stored then
 * (an R2 whose R1 arrived later is already the differential). Channel: `discord.channels.etl`.
 */
import type { APIEmbed } from "discord-api-types/v10";
import { mapResult } from "@/ingest/etl_stopwatch.ts";
import type { EtlAnnouncement } from "@/kv/etl/types.ts";
import { getRoundView, getSessionView } from "@/kv/etl/views.ts";
import { mapResultEmbed, roundEmbed, sessionEmbed } from "@/discord/et/embeds.ts";
import type { Config } from "@/config.ts";

/** What a renderer needs. */
export interface EtAnnounceDeps {
  kv: Deno.Kv;
  config: { discord: { channels: Pick<Config["discord"]["channels"], "etl"> } };
}

/** A message to post (no mentions, ever). */
export interface EtMessage {
  embeds: APIEmbed[];
  allowed_mentions: { parse: [] };
}

/** One renderer per announcement type. */
export interface EtRenderer<T extends EtlAnnouncement["type"]> {
  type: T;
  channel(deps: EtAnnounceDeps, ann: Extract<EtlAnnouncement, { type: T }>): string | null;
  render(deps: EtAnnounceDeps, ann: Extract<EtlAnnouncement, { type: T }>): Promise<EtMessage>;
}

const channel = (deps: EtAnnounceDeps) => deps.config.discord.channels.etl ?? null;
const message = (embeds: APIEmbed[]): EtMessage => ({ embeds, allowed_mentions: { parse: [] } });
const gone = (what: string): EtMessage => message([{ description: `${what} is no longer stored.` }]);

/** The round post. */
export const etlRoundRenderer: EtRenderer<"etl_round"> = {
  type: "etl_round",
  channel,
  async render(deps, ann) {
    const r = await getRoundView(deps.kv, ann.roundId);
    return r ? message([roundEmbed(r)]) : gone(`Round ${ann.roundId}`);
  },
};

/** The map result, after round 2. */
export const etlMapResultRenderer: EtRenderer<"etl_map_result"> = {
  type: "etl_map_result",
  channel,
  async render(deps, ann) {
    const [r1, r2] = await Promise.all([getRoundView(deps.kv, ann.r1Id), getRoundView(deps.kv, ann.r2Id)]);
    if (!r1 || !r2) return gone(`Map ${ann.r1Id}`);
    const res = mapResult(r1, r2);
    return message([mapResultEmbed(r1, r2, res.summary, [res.r1AttackersPoints, res.r2AttackersPoints])]);
  },
};

/** The session summary, once the evening is over. */
export const etlSessionRenderer: EtRenderer<"etl_session"> = {
  type: "etl_session",
  channel,
  async render(deps, ann) {
    const s = await getSessionView(deps.kv, ann.sessionId);
    return s ? message([sessionEmbed(s)]) : gone(`Session ${ann.sessionId}`);
  },
};

/** All ET:Legacy renderers (discord/announcements.ts registers them). */
export const ETL_RENDERERS = [etlRoundRenderer, etlMapResultRenderer, etlSessionRenderer] as const;
