/**
 * What Discord commands, announcements and delivery receive of the app's dependencies (and what
 * crons/ and routes/ hand on to them). The app's bag (`AppDeps` in deps.ts) is one of these;
 * discord/ never imports the layers above it for the type.
 */
import type { IngestDeps } from "@/ingest/deps.ts";
import type { RankCache } from "@/kv/racing/rank_cache.ts";
import type { ViewCache } from "@/kv/view_cache.ts";
import type { IracingApi } from "@/lib/iracing.ts";
import type { DiscordApi } from "@/discord/rest.ts";

/** Everything a command may reach: what an import needs, plus the caches and the two APIs. */
export interface DiscordDeps extends IngestDeps {
  /** Board counts per track for rank reads, validated on every use. */
  rankCache: RankCache;
  /** Answers of read routes, kept until the next import. */
  viewCache: ViewCache;
  /** The iRacing Data API client when IRACING_* are set (numbers sync), else null. */
  iracing?: IracingApi | null;
  /** Discord's REST API, or null when Discord is off. */
  discord: DiscordApi | null;
}
