/** What every route can reach through the Hono context. */
import type { Config } from "@/config.ts";

/** The app's dependencies, injected once (tests pass their own). */
export interface AppDeps {
  kv: Deno.Kv;
  config: Config;
  now: () => Date;
}

/** Hono environment: `c.var.deps`. */
export interface AppEnv {
  Variables: { deps: AppDeps };
}
