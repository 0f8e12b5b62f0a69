/**
 * `deno task demo`: the hub on a throwaway in-memory KV filled with a generated league of every
 * game and section Podium has (fixtures/demo_league.ts): ACC and AC racing, an ET:Legacy month, a
 * time-attack season with an event live now, an iRacing numbers league. Nothing is written to
 * disk and Discord stays off.
 */
import { createApp } from "@/app.ts";
import { ConfigError, loadConfig, portTakenMessage } from "@/config.ts";
import { demoConfig, fillDemo } from "@/fixtures/demo_league.ts";

let base;
try {
  // The demo never touches the configured store or Discord.
  base = loadConfig((name) =>
    name === "PODIUM_KV" ? ":memory:" : name.startsWith("DISCORD_") ? undefined : Deno.env.get(name)
  );
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    Deno.exit(1);
  }
  throw err;
}
const now = new Date();
const config = demoConfig(base, now);

const kv = await Deno.openKv(":memory:");
const started = performance.now();
const summary = await fillDemo(kv, config, now);
console.log(
  `Demo league: ${summary.imported} sessions and rounds imported into an in-memory KV in ${
    ((performance.now() - started) / 1000).toFixed(1)
  } s (gone when this process stops)`,
);

const app = createApp({ kv, config, now: () => new Date() });
try {
  Deno.serve({
    port: config.port,
    onListen: ({ port }) => console.log(`Podium demo on http://localhost:${port}/`),
  }, app.fetch);
} catch (err) {
  if (!(err instanceof Deno.errors.AddrInUse)) throw err;
  console.error(portTakenMessage(config.port));
  Deno.exit(3);
}
