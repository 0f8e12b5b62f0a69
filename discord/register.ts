/**
 * `deno task register [--guild ID]`: bulk-overwrites the application's commands with the ones
 * this configuration enables (the same registry the dispatcher answers from). `/sync-commands`
 * does the same from Discord.
 */
import { parseArgs } from "node:util";
import { type Config, ConfigError, DISCORD_ENV_VARS, loadConfig } from "@/config.ts";
import type { DiscordApi } from "@/discord/_api.ts";
import { commandDefinitions } from "@/discord/registry.ts";

/** Overwrites the commands (of one guild, or global); returns the names Discord now has. */
export async function syncCommands(api: DiscordApi, config: Config, guildId?: string): Promise<string[]> {
  const registered = await api.putCommands(commandDefinitions(config), guildId);
  return registered.map((c) => c.name);
}

/** What the CLI needs from outside, so tests run it against the fake Discord. */
export interface RegisterIo {
  env: (name: string) => string | undefined;
  makeApi: (
    opts: { token: string; applicationId: string; apiBase?: string },
  ) => DiscordApi | Promise<DiscordApi>;
  log: (line: string) => void;
}

/** Runs the CLI; returns the exit code (0 done, 1 Discord refused, 2 bad arguments or configuration). */
export async function runRegister(argv: string[], io: RegisterIo): Promise<number> {
  let guild: string | undefined;
  try {
    const args = parseArgs({ args: argv, options: { guild: { type: "string" }, help: { type: "boolean" } } });
    if (args.values.help) {
      io.log(
        "Usage: deno task register [--guild ID]\n  --guild ID  register in one server (instant); default global\n" +
          "Run it with the hub's environment (PODIUM_CONFIG and the DISCORD_* variables): the commands\n" +
          "registered are the ones that configuration enables (docs/discord.md, step 7).",
      );
      return 0;
    }
    guild = args.values.guild;
  } catch (err) {
    io.log(`${(err as Error).message}\nUsage: deno task register [--guild ID]`);
    return 2;
  }
  if (guild !== undefined && !/^\d{17,20}$/.test(guild)) {
    io.log(
      `Invalid --guild "${guild}": a server id is 17-20 digits (Discord: right-click the server, Copy Server ID)`,
    );
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.log(err.message);
      return 2;
    }
    throw err;
  }
  const creds = config.discord.credentials;
  if (!creds) {
    io.log(
      `Discord is off: set ${DISCORD_ENV_VARS.join(", ")} (docs/discord.md, "Connect Discord, step by step")`,
    );
    return 2;
  }
  const apiBase = io.env("DISCORD_API_BASE");
  const api = await io.makeApi({
    token: creds.botToken,
    applicationId: creds.applicationId,
    ...(apiBase ? { apiBase } : {}),
  });
  try {
    const names = await syncCommands(api, config, guild);
    io.log(
      `Registered ${names.length} commands ${guild ? `in server ${guild}` : "globally"}: ${
        names.map((n) => `/${n}`).join(" ")
      }`,
    );
    if (!guild) io.log("Global commands can take a while to appear; use --guild ID while testing");
    return 0;
  } catch (err) {
    io.log(`Discord refused the commands: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.main) {
  // Loaded here only: the REST client is heavy, and the server imports this module's helpers.
  const { createDiscordApi } = await import("@/discord/rest.ts");
  Deno.exit(
    await runRegister(Deno.args, {
      env: (n) => Deno.env.get(n),
      makeApi: (opts) => createDiscordApi(opts),
      log: (line) => console.log(line),
    }),
  );
}
