/**
 * Every command set, one import line each. The dispatcher and registration both read this list,
 * so what is registered with Discord is exactly what is handled.
 */
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord-api-types/v10";
import type { Config } from "@/config.ts";
import type { Command, CommandSet } from "@/discord/command.ts";
import { core } from "@/discord/core/commands.ts";
import { racing } from "@/discord/racing/commands.ts";
import { etSet } from "@/discord/et/commands.ts";
import { taCommands } from "@/discord/ta/commands.ts";
import { numbers } from "@/discord/numbers/commands.ts";
import { liveCommands } from "@/discord/live/commands.ts";

/** All command sets, in the order /help lists them. */
export const COMMAND_SETS: CommandSet[] = [
  core,
  racing,
  etSet,
  taCommands,
  numbers,
  liveCommands,
];

/** Manage Guild, as `default_member_permissions` for admin commands (Administrators have it too). */
export const ADMIN_DEFAULT_PERMISSIONS = String(1n << 5n);

/** The sets this configuration enables. */
export function enabledSets(config: Config, sets: CommandSet[] = COMMAND_SETS): CommandSet[] {
  return sets.filter((s) => s.enabled(config));
}

/** A command's definition as registered: admin commands carry `default_member_permissions`. */
export function registeredDefinition(c: Command): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return c.admin ? { ...c.definition, default_member_permissions: ADMIN_DEFAULT_PERMISSIONS } : c.definition;
}

/** The definitions to bulk-overwrite for this configuration. Throws on a name used twice. */
export function commandDefinitions(
  config: Config,
  sets: CommandSet[] = COMMAND_SETS,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const seen = new Map<string, string>();
  const out: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [];
  for (const set of enabledSets(config, sets)) {
    for (const c of set.commands) {
      const other = seen.get(c.definition.name);
      if (other) {
        throw new Error(`Command "/${c.definition.name}" is defined by both "${other}" and "${set.id}"`);
      }
      seen.set(c.definition.name, set.id);
      out.push(registeredDefinition(c));
    }
  }
  return out;
}
