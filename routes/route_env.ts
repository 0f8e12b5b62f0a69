/** What every route can reach through the Hono context (deps.ts's `AppDeps` is set there). */
import type { DiscordDeps } from "@/discord/deps.ts";

/** Hono environment of the routes: `c.var.deps`. */
export interface RouteEnv {
  Variables: { deps: DiscordDeps };
}
