/** An app over an in-memory KV, for route tests. */
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";

/** Builds the app with a fixed clock and the default configuration. */
export function testApp(kv: Deno.Kv) {
  const config = loadConfig((name) => ({ PODIUM_KV: ":memory:" } as Record<string, string>)[name]);
  return createApp({ kv, config, now: () => new Date("2026-01-05T12:00:00Z") });
}
