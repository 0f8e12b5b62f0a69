/** Apps with Discord switched on, for interaction tests. */
import { Hono } from "hono";
import { type Config, loadConfig } from "@/config.ts";
import type { CommandSet } from "@/discord/command.ts";
import type { DiscordApi } from "@/discord/_api.ts";
import { RankCache } from "@/kv/racing/rank_cache.ts";
import { ViewCache } from "@/kv/view_cache.ts";
import type { AppDeps, AppEnv } from "@/deps.ts";
import { interactionRoutes } from "@/routes/interactions.ts";

/** The fixed clock of these tests. */
export const NOW = new Date("2026-01-05T12:00:00Z");

/** A configuration with Discord credentials for `publicKeyHex`; `file` overrides config-file fields. */
export function discordConfig(publicKeyHex: string, file: Partial<Config> = {}): Config {
  const env: Record<string, string> = {
    PODIUM_KV: ":memory:",
    DISCORD_APPLICATION_ID: "100000000000000001",
    DISCORD_PUBLIC_KEY: publicKeyHex,
    DISCORD_BOT_TOKEN: "test-token",
  };
  const base = loadConfig((n) => env[n]);
  return {
    ...base,
    ...file,
    discord: { ...base.discord, ...file.discord, credentials: base.discord.credentials },
  };
}

/** Deps for a test app. */
export function testDeps(kv: Deno.Kv, config: Config, extra: Partial<AppDeps> = {}): AppDeps {
  return {
    kv,
    config,
    now: () => NOW,
    rankCache: new RankCache(),
    viewCache: new ViewCache(),
    discord: null,
    delivery: null,
    ...extra,
  };
}

/** Just the interactions endpoint over the given command sets. */
export function interactionsApp(deps: AppDeps, sets: CommandSet[], opts: { deferAfterMs?: number } = {}) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.route(
    "/interactions",
    interactionRoutes({ publicKey: deps.config.discord.credentials!.publicKey, sets, ...opts }),
  );
  return app;
}

/** A DiscordApi that records the calls (only the interaction webhook calls are answered). */
export function recordingDiscord(): DiscordApi & {
  edits: { token: string; body: unknown; files?: unknown[] }[];
} {
  const edits: { token: string; body: unknown; files?: unknown[] }[] = [];
  const message = (body: unknown) => ({ id: "700000000000000001", ...(body as object) }) as never;
  const unsupported = () => Promise.reject(new Error("not used by interaction tests"));
  return {
    edits,
    editOriginal(token, body, files) {
      edits.push(files ? { token, body, files } : { token, body });
      return Promise.resolve(message(body));
    },
    followUp: (_t, body) => Promise.resolve(message(body)),
    createMessage: unsupported,
    editMessage: unsupported,
    getMessages: unsupported,
    getMessage: unsupported,
    deleteMessage: unsupported,
    putCommands: unsupported,
  };
}
