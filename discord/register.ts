/**
 * `deno task register [--guild ID]`: bulk-overwrites the application's commands with the ones
 * this configuration enables (the same registry the dispatcher answers from). `/sync-commands`
 * does the same from Discord.
 */
import type { Config } from "@/config.ts";
import type { DiscordApi } from "@/discord/_api.ts";
import { commandDefinitions } from "@/discord/registry.ts";

/** Overwrites the commands (of one guild, or global); returns the names Discord now has. */
export async function syncCommands(api: DiscordApi, config: Config, guildId?: string): Promise<string[]> {
  const registered = await api.putCommands(commandDefinitions(config), guildId);
  return registered.map((c) => c.name);
}
