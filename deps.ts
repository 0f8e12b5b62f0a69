/** What every route can reach through the Hono context. */
import type { Config } from "@/config.ts";
import type { RankCache } from "@/kv/racing/rank_cache.ts";
import type { ViewCache } from "@/kv/view_cache.ts";
import type { IracingApi } from "@/lib/iracing.ts";
import type { DiscordApi } from "@/discord/rest.ts";

/** The app's dependencies, injected once (tests pass their own). */
export interface AppDeps {
  kv: Deno.Kv;
  config: Config;
  now: () => Date;
  /** Board counts per track for rank reads, validated on every use. */
  rankCache: RankCache;
  /** Answers of read routes, kept until the next import. */
  viewCache: ViewCache;
  /** The iRacing Data API client when IRACING_* are set (numbers sync), else null. */
  iracing?: IracingApi | null;
  /** Discord's REST API, or null when Discord is off. */
  discord: DiscordApi | null;
  /** Announcement delivery: `kick()` after a commit that added announcements posts them at once. */
  delivery: { kick(): void } | null;
}

/** Hono environment: `c.var.deps`. */
export interface AppEnv {
  Variables: { deps: AppDeps };
}
