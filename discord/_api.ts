/**
 * The Discord REST interface the interaction side uses, as the brief fixes it. Stands in for
 * `discord/rest.ts` (owned by delivery) until that lands; then this file re-exports it.
 */
import type {
  APIApplicationCommand,
  APIMessage,
  RESTPostAPIChannelMessageJSONBody,
  RESTPutAPIApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import type { RawFile } from "@discordjs/rest";

/** A message body as sent to Discord. */
export type MessageBody = RESTPostAPIChannelMessageJSONBody;

/** See the brief: Discord REST behind a small interface. */
export interface DiscordApi {
  createMessage(
    channelId: string,
    body: MessageBody & { nonce?: string; enforce_nonce?: boolean },
    files?: RawFile[],
  ): Promise<APIMessage>;
  editMessage(channelId: string, messageId: string, body: MessageBody): Promise<APIMessage>;
  getMessages(
    channelId: string,
    query?: { limit?: number; before?: string; after?: string },
  ): Promise<APIMessage[]>;
  editOriginal(interactionToken: string, body: MessageBody, files?: RawFile[]): Promise<APIMessage>;
  followUp(interactionToken: string, body: MessageBody, files?: RawFile[]): Promise<APIMessage>;
  putCommands(
    commands: RESTPutAPIApplicationCommandsJSONBody,
    guildId?: string,
  ): Promise<APIApplicationCommand[]>;
}
