/**
 * Podium's server: configuration, KV, the Hono app and the crons. Runs locally and on Deno Deploy
 * unchanged: every cron and the KV queue listener (where queues work) are registered here at start-up,
 * before `Deno.serve`, and nothing depends on the process staying up between requests.
 */
import { ConfigError, DISCORD_ENV_VARS, loadConfig, portTakenMessage } from "@/config.ts";
import { createApp } from "@/app.ts";
import { registerCrons } from "@/crons/mod.ts";
import { openKv } from "@/kv/open.ts";
import { RankCache } from "@/kv/racing/rank_cache.ts";
import { ViewCache } from "@/kv/view_cache.ts";
import { createIracingClient } from "@/lib/iracing.ts";
import { kvTokenStore } from "@/kv/numbers/tokens.ts";
import type { AppDeps } from "@/deps.ts";
import { lazyDiscordApi } from "@/discord/lazy_api.ts";
import type { Delivery } from "@/discord/delivery.ts";
import { onQueueMessage } from "@/kv/queue.ts";

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    Deno.exit(1);
  }
  throw err;
}

const kv = await openKv(config.kvPath);
const creds = config.discord.credentials;
// The REST client (and delivery, which needs it) load after the server answers: they cost about
// half a second of start-up that the first interaction should not wait for.
const discord = creds
  ? lazyDiscordApi(async () =>
    (await import("@/discord/rest.ts")).createDiscordApi({
      token: creds.botToken,
      applicationId: creds.applicationId,
      apiBase: config.discord.apiBase,
    })
  )
  : null;
const deps: AppDeps = {
  kv,
  config,
  now: () => new Date(),
  rankCache: new RankCache(),
  viewCache: new ViewCache(),
  iracing: config.iracing ? createIracingClient(kvTokenStore(kv), config.iracing) : null,
  discord,
  // Stands in for delivery until it has loaded (a kick before then is picked up by its first scan).
  delivery: discord ? { kick: () => started?.kick() } : null,
};
let started: { kick(): void } | null = null;

// Delivery loads the REST client (0.4-1 s of module loading that blocks the event loop), so it
// loads on first need: the minute cron, a queue message, or once the first request is answered.
let delivery: Promise<Delivery> | null = null;
function loadDelivery(): Promise<Delivery> {
  delivery ??= import("@/discord/delivery.ts").then((m) => {
    const d = m.startDelivery(deps, { listen: false });
    started = d;
    return d;
  });
  return delivery;
}
registerCrons(deps, discord ? { deliverAll: async () => await (await loadDelivery()).drainAll() } : {});
if (discord && config.queues) {
  onQueueMessage(kv, "podium.delivery", async (msg) => await (await loadDelivery()).onMessage(msg));
}
// People (docs/identities.md): the config's aliases, after any regrouping left half done.
import("@/kv/people/merge.ts").then((m) => m.preparePeople(kv, config.aliases ?? [], new Date()))
  .then((msg) => console.log(msg), (err) => console.error("People: cannot apply the aliases:", err));

// ET:Legacy: a changed etl.exclude applies to the rounds already stored (docs/etl.md).
import("@/kv/etl/rejudge_all.ts").then((m) => m.rejudgeAllRounds(kv, config.etl.exclude))
  .then(
    (r) => r.rounds && console.log(`ET:Legacy: ${r.rounds} round(s) judged again, ${r.changed} changed`),
    (err) => console.error("ET:Legacy: cannot judge the stored rounds again:", err),
  );

if (!config.discord.credentials) {
  console.log(`Discord is off: set ${DISCORD_ENV_VARS.join(", ")} to turn it on`);
}
console.log(`KV: ${config.kvPath ?? "Deno Deploy KV"}; ${config.servers.length} game server(s) configured`);

const app = createApp(deps);
// Announcements: posted from this process, including those a CLI backfill writes meanwhile.
// Delivery starts once the first request has been answered, or after 2 s without one: a cold
// start's first interaction is answered first.
let deliveryLoading = false;
function startDeliverySoon(delayMs: number): void {
  if (deliveryLoading || !discord) return;
  deliveryLoading = true;
  setTimeout(() => void loadDelivery(), delayMs);
}
try {
  Deno.serve({
    port: config.port,
    onListen: ({ hostname, port }) => console.log(`Podium listening on http://${hostname}:${port}/`),
  }, async (req, info) => {
    const res = await app.fetch(req, info);
    if (!deliveryLoading) startDeliverySoon(100);
    return res;
  });
} catch (err) {
  if (!(err instanceof Deno.errors.AddrInUse)) throw err;
  console.error(portTakenMessage(config.port));
  Deno.exit(3);
}
if (discord) setTimeout(() => startDeliverySoon(0), 2000);
