/**
 * Racing's announcement renderers (registered in discord/announcements.ts): track records and
 * personal bests go to `discord.channels.records`, race results to `discord.channels.results`
 * (else the records channel). A channel's posts are ordered by when the lap or race happened.
 */
import type { AnnouncementRenderer } from "@/discord/announcements.ts";
import type {
  PersonalBestAnnouncement,
  RaceResultAnnouncement,
  TrackRecordAnnouncement,
} from "@/kv/racing/announcements.ts";
import { getSession } from "@/kv/racing/sessions.ts";
import { kvReader } from "@/kv/reader.ts";
import { personalBestEmbed, raceResultEmbed, trackRecordEmbed } from "@/discord/racing/announce_embeds.ts";

const trackRecord: AnnouncementRenderer<TrackRecordAnnouncement> = {
  type: "track_record",
  channel: (deps) => deps.config.discord.channels.records ?? null,
  render: (_deps, a) => Promise.resolve({ embeds: [trackRecordEmbed(a)] }),
  orderKey: (a) => a.setAt,
};

const personalBest: AnnouncementRenderer<PersonalBestAnnouncement> = {
  type: "personal_best",
  channel: (deps) => deps.config.discord.channels.records ?? null,
  render: (_deps, a) => Promise.resolve({ embeds: [personalBestEmbed(a)] }),
  orderKey: (a) => a.setAt,
};

const raceResult: AnnouncementRenderer<RaceResultAnnouncement> = {
  type: "race_result",
  channel: (deps) => deps.config.discord.channels.results ?? deps.config.discord.channels.records ?? null,
  async render(deps, a) {
    const session = await getSession(kvReader(deps.kv), a.sessionId);
    if (!session) throw new Error(`session "${a.sessionId}" is not stored`);
    const s: Parameters<typeof raceResultEmbed>[1] = { cars: session.cars, wet: session.wet };
    if (session.serverName !== undefined) s.serverName = session.serverName;
    return { embeds: [raceResultEmbed(a, s)] };
  },
  orderKey: (a) => a.finishedAt,
};

/** Racing's renderers. */
export const RACING_ANNOUNCEMENTS: readonly AnnouncementRenderer[] = [trackRecord, personalBest, raceResult];
