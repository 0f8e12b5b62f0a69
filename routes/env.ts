/** What every route can reach through the Hono context. */
import type { Config } from "@/config.ts";
import type { RankCache } from "@/kv/racing/rank_cache.ts";
import type { ViewCache } from "@/kv/view_cache.ts";
import type { DiscordApi } from "@/discord/_api.ts";

/** The app's dependencies, injected once (tests pass their own). */
export interface AppDeps {
  kv: Deno.Kv;
  config: Config;
  now: () => Date;
  /** Board counts per track for rank reads, validated on every use. */
  rankCache: RankCache;
  /** Answers of read routes, kept until the next import. */
  viewCache: ViewCache;
  /** Discord REST, or null/absent when Discord is off. */
  discord?: DiscordApi | null;
  /** Wakes announcement delivery after a commit that added announcements; null/absent when off. */
  delivery?: { kick(): void } | null;
}

/** Hono environment: `c.var.deps`. */
export interface AppEnv {
  Variables: { deps: AppDeps };
}
