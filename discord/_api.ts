/** The Discord REST interface, as types only: importing it loads nothing (discord/rest.ts is heavy to load). */
export type { DiscordApi, MessageBody } from "@/discord/rest.ts";
