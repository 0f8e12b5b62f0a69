/**
 * What the ingest pipeline receives of the app's dependencies. The app's bag (`AppDeps` in
 * deps.ts) is one of these; ingest/ never imports the layers above it for the type.
 */
import type { Config } from "@/config.ts";

/** The store, the configuration, the clock and the delivery kick: all an import needs. */
export interface IngestDeps {
  kv: Deno.Kv;
  config: Config;
  now: () => Date;
  /** Announcement delivery: `kick()` after a commit that added announcements posts them at once. */
  delivery: { kick(): void } | null;
}
