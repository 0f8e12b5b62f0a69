/**
 * The contract every command set is written against (docs/discord.md): a set is a list of
 * slash commands and button handlers; handlers return a Reply and the dispatcher does the rest
 * (signatures, deadlines, deferral, mentions, files, crashes).
 */
import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import type { Config } from "@/config.ts";
import type { DiscordDeps } from "@/discord/deps.ts";

/** A message as handlers build it; the dispatcher adds `allowed_mentions` and sends `files` as multipart. */
export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files?: { name: string; data: Uint8Array; contentType?: string }[];
}

/** What a handler answers. */
export type Reply =
  /** Response type 4. */
  | { kind: "message"; message: MessagePayload; ephemeral?: boolean }
  /** Type 7: replaces the message the clicked button is on (components only). */
  | { kind: "update"; message: MessagePayload }
  /** Type 5 (6 for components) at once, then `work()`'s message PATCHed onto @original. */
  | { kind: "defer"; ephemeral?: boolean; work: () => Promise<MessagePayload> }
  /** Autocomplete (type 8); at most 25 are sent. */
  | { kind: "choices"; choices: { name: string; value: string }[] };

/** What a handler knows about the interaction. */
export interface CommandContext {
  deps: DiscordDeps;
  /** The verified, zod-parsed body. */
  interaction: APIInteraction;
  userId: string;
  guildId: string | null;
  /** Administrator, Manage Guild, or a config admin role; computed server-side. */
  isAdmin: boolean;
  /** Subcommand path: ["stats"] for `/et stats`, [] for a plain command. */
  sub: string[];
  /** Options of the invoked (sub)command. */
  options: Record<string, string | number | boolean | undefined>;
}

/** One slash command. */
export interface Command {
  /** The registry adds `default_member_permissions` for admin commands. */
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Also refused server-side for non-admins (one ephemeral sentence). */
  admin?: boolean;
  run(ctx: CommandContext): Promise<Reply>;
  autocomplete?(ctx: CommandContext, focused: { name: string; value: string }): Promise<Reply>;
}

/** Button clicks whose `custom_id` is `${id}:${state}`. */
export interface ComponentHandler {
  id: string;
  run(ctx: CommandContext, state: string): Promise<Reply>;
}

/** One module's commands, registered only when the configuration enables it. */
export interface CommandSet {
  id: "core" | "racing" | "numbers" | "et" | "ta" | "live";
  enabled(config: Config): boolean;
  commands: Command[];
  components?: ComponentHandler[];
}

/**
 * Option types as plain numbers (discord-api-types' `ApplicationCommandOptionType`). Use these in
 * definitions: importing the enum at runtime loads all of discord-api-types, about 150 ms of
 * every cold start; type-only imports cost nothing.
 */
export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

/** Thrown by a handler: its message goes back to the member as one ephemeral sentence. */
export class UserError extends Error {}
