/** A delivery under test: the fake Discord, a KV, the config's channels, a movable clock. */
import { loadConfig } from "@/config.ts";
import { createDiscordApi } from "@/discord/rest.ts";
import { type Delivery, type DeliveryOptions, startDelivery } from "@/discord/delivery.ts";
import { RankCache } from "@/kv/racing/rank_cache.ts";
import { ViewCache } from "@/kv/view_cache.ts";
import { applySession } from "@/kv/racing/apply.ts";
import { KvTxn } from "@/kv/txn.ts";
import type { NormalizedSession } from "@/games/racing/types.ts";
import type { AppDeps } from "@/deps.ts";
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from "@/tests/fakes/discord.ts";
import { QUEUES } from "@/tests/_queues.ts";

export const RECORDS = "400000000000000001";
export const RESULTS = "400000000000000002";

/** Everything a delivery test needs; `close()` stops it all. */
export interface DeliveryEnv {
  discord: FakeDiscord;
  kv: Deno.Kv;
  deps: AppDeps;
  delivery: Delivery;
  /** The shared clock of delivery and the fake (ms); tests move it forward. */
  clock: { t: number };
  logs: string[];
  /** Stores sessions as one import commit would (announcements included) and kicks delivery. */
  store(...sessions: NormalizedSession[]): Promise<void>;
  /** Stops this delivery, closes the KV file, opens it again and starts another (needs `kvPath`). */
  restart(opts?: DeliveryOptions): Promise<void>;
  close(): Promise<void>;
}

let sha = 0;

/** Starts a delivery against a fresh fake Discord. */
export async function deliveryEnv(opts: {
  fake?: FakeDiscordOptions;
  delivery?: DeliveryOptions;
  kvPath?: string;
  api?: { timeoutMs?: number; retries?: number; maxRateLimitWaitMs?: number };
  start?: boolean;
} = {}): Promise<DeliveryEnv> {
  const clock = { t: Date.now() };
  const discord = await startFakeDiscord({ now: () => clock.t, ...opts.fake });
  let kv = await Deno.openKv(opts.kvPath ?? ":memory:");
  const base = loadConfig(() => undefined);
  const config = {
    ...base,
    discord: { channels: { records: RECORDS, results: RESULTS }, credentials: null },
    queues: QUEUES,
  };
  const api = createDiscordApi({
    token: discord.token,
    applicationId: discord.applicationId,
    apiBase: discord.apiBase,
    timeoutMs: opts.api?.timeoutMs ?? 1000,
    retries: opts.api?.retries ?? 0,
    maxRateLimitWaitMs: opts.api?.maxRateLimitWaitMs ?? 100,
  });
  const deps: AppDeps = {
    kv,
    config,
    now: () => new Date(clock.t),
    rankCache: new RankCache(),
    viewCache: new ViewCache(),
    discord: api,
    delivery: null,
  };
  const logs: string[] = [];
  const base_opts: DeliveryOptions = { pollMs: 50, retryBaseMs: 50, log: (l) => logs.push(l) };
  let delivery = startDelivery(deps, { ...base_opts, ...opts.delivery });
  deps.delivery = delivery;
  const env: DeliveryEnv = {
    discord,
    get kv() {
      return kv;
    },
    deps,
    get delivery() {
      return delivery;
    },
    clock,
    logs,
    async store(...sessions) {
      const txn = new KvTxn(kv);
      const at = new Date(clock.t);
      for (const s of sessions) {
        await applySession(txn, s, {
          fileName: "f.json",
          sha256: `sha${sha++}`.padEnd(64, "0"),
          importedAt: at,
        }, { announce: true, now: at });
      }
      await txn.commit();
      deps.delivery?.kick();
    },
    async restart(more) {
      if (!opts.kvPath) throw new Error("restart() needs a KV file (kvPath)");
      await delivery.close();
      kv.close();
      kv = await Deno.openKv(opts.kvPath);
      deps.kv = kv;
      delivery = startDelivery(deps, { ...base_opts, ...opts.delivery, ...more });
      deps.delivery = delivery;
    },
    async close() {
      await delivery.close();
      kv.close();
      await discord.close();
    },
  };
  return env;
}

/** Waits (polling every 10 ms) until `cond` holds; fails after `ms`. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  ms = 5000,
  what = "the condition",
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
