/**
 * `deno task demo`: the hub on a throwaway in-memory KV filled with a generated league (a season
 * of ACC and AC sessions with rivals, records falling and penalties), so every page can be seen
 * working in one command. Nothing is written to disk and Discord stays off.
 */
import { createApp } from "@/app.ts";
import { ConfigError, loadConfig } from "@/config.ts";
import { Importer } from "@/ingest/importer.ts";
import { leagueFiles } from "@/fixtures/gen_league.ts";

let config;
try {
  // The demo never touches the configured store or Discord.
  config = loadConfig((name) =>
    name === "PODIUM_KV" ? ":memory:" : name.startsWith("DISCORD_") ? undefined : Deno.env.get(name)
  );
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    Deno.exit(1);
  }
  throw err;
}
if (config.league.name === "Podium") config = { ...config, league: { name: "Podium Demo League" } };

const kv = await Deno.openKv(":memory:");
const started = performance.now();
const summary = await new Importer(kv, { announce: false }).importMany(leagueFiles(), () => {});
console.log(
  `Demo league: ${summary.imported} sessions imported into an in-memory KV in ${
    ((performance.now() - started) / 1000).toFixed(1)
  } s (gone when this process stops)`,
);

const app = createApp({ kv, config, now: () => new Date() });
Deno.serve({
  port: config.port,
  onListen: ({ port }) => console.log(`Podium demo on http://localhost:${port}/`),
}, app.fetch);
