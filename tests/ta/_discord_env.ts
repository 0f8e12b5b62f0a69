/**
 * Time attack against the fake Discord (tests/fakes/discord.ts) with the real delivery and kept
 * messages: a KV, the league config with time-attack channels, and the rotation's deps.
 */
import type { Config } from "@/config.ts";
import type { TaDeps } from "@/crons/ta_rotation.ts";
import { QUEUES } from "@/tests/_queues.ts";
import { type Delivery, startDelivery } from "@/discord/delivery.ts";
import { createDiscordApi } from "@/discord/rest.ts";
import { taOutputOf } from "@/discord/ta/announce.ts";
import { RankCache } from "@/kv/racing/rank_cache.ts";
import { ViewCache } from "@/kv/view_cache.ts";
import type { AppDeps } from "@/deps.ts";
import { type FakeDiscord, type FakeMessage, startFakeDiscord } from "@/tests/fakes/discord.ts";
import { SEASON_1, taConfig } from "@/tests/ta/_ta.ts";

export const CHANNELS = {
  events: "600000000000000001",
  leaderboard: "600000000000000002",
  standings: "600000000000000003",
  schedule: "600000000000000004",
};

/** What a time-attack Discord test needs; `close()` stops it all. */
export interface TaDiscordEnv {
  discord: FakeDiscord;
  kv: Deno.Kv;
  config: Config;
  deps: AppDeps;
  delivery: Delivery;
  /** The rotation's deps (a second one gives a second "instance" on the same store). */
  ta: TaDeps;
  /** Live (not deleted) messages of one of CHANNELS. */
  in(channel: keyof typeof CHANNELS): FakeMessage[];
  /** Every message ever posted to it, deleted ones included. */
  everIn(channel: keyof typeof CHANNELS): FakeMessage[];
  /** Waits until delivery has posted what the outbox holds. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake Discord and delivery over a fresh KV (in memory, or the file `kvPath`). */
export async function taDiscordEnv(
  seasons: unknown[] = [SEASON_1],
  opts: { kvPath?: string } = {},
): Promise<TaDiscordEnv> {
  const discord = await startFakeDiscord();
  const kv = await Deno.openKv(opts.kvPath ?? ":memory:");
  const config = taConfig(seasons, { channels: CHANNELS });
  const api = createDiscordApi({
    token: discord.token,
    applicationId: discord.applicationId,
    apiBase: discord.apiBase,
    timeoutMs: 2000,
    retries: 0,
  });
  const deps: AppDeps = {
    kv,
    config,
    now: () => new Date(),
    rankCache: new RankCache(),
    viewCache: new ViewCache(),
    discord: api,
    delivery: null,
  };
  const delivery = startDelivery(deps, { pollMs: 50, retryBaseMs: 50, queues: QUEUES, log: () => {} });
  deps.delivery = delivery;
  return {
    discord,
    kv,
    config,
    deps,
    delivery,
    ta: { kv, config, taOutput: taOutputOf(deps) },
    in: (channel) => discord.channelMessages(CHANNELS[channel]),
    everIn: (channel) => discord.messages.filter((m) => m.channelId === CHANNELS[channel]),
    async settle() {
      delivery.kick();
      await delivery.idle();
    },
    async close() {
      await delivery.close();
      kv.close();
      await discord.close();
    },
  };
}

/** The embed description of a fake message. */
export function textOf(m: FakeMessage | undefined): string {
  const embeds = m?.body.embeds as { title?: string; description?: string }[] | undefined;
  return `${embeds?.[0]?.title ?? ""}\n${embeds?.[0]?.description ?? ""}`;
}
