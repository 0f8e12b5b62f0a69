/**
 * A DiscordApi that builds the real one on first use. `@discordjs/rest` (with undici and
 * discord-api-types) takes 0.4-0.5 s to load on our machine: loaded at start it would push a
 * fresh process's first interaction answer past a second, though answering needs no REST call.
 */
import type { DiscordApi } from "@/discord/_api.ts";

/** Wraps `load` so it runs once, when the first REST call is made. */
export function lazyDiscordApi(load: () => Promise<DiscordApi>): DiscordApi {
  let api: Promise<DiscordApi> | null = null;
  const get = () =>
    api ??= load().catch((err) => {
      api = null; // a failed load is tried again on the next call
      throw err;
    });
  return {
    createMessage: async (...a) => (await get()).createMessage(...a),
    editMessage: async (...a) => (await get()).editMessage(...a),
    getMessages: async (...a) => (await get()).getMessages(...a),
    getMessage: async (...a) => (await get()).getMessage(...a),
    deleteMessage: async (...a) => (await get()).deleteMessage(...a),
    editOriginal: async (...a) => (await get()).editOriginal(...a),
    followUp: async (...a) => (await get()).followUp(...a),
    putCommands: async (...a) => (await get()).putCommands(...a),
  };
}
