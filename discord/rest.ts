/**
 * Discord's REST API, the calls Podium makes, on npm `@discordjs/rest` (docs/discord.md section
 * 10: it keeps rate limiting on for any base URL, so tests against the fake run the real path).
 * Every call is bounded in time: a per-try timeout, a few retries of 5xx and timeouts, and 429s
 * waited out only while short; a longer 429 comes back as a `DiscordError` with `retryAfterMs` so
 * the caller (a KV queue handler) can come back later instead of holding a request open.
 */
import { DiscordAPIError, HTTPError, RateLimitError, type RawFile, REST } from "@discordjs/rest";
import {
  type APIApplicationCommand,
  type APIMessage,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPutAPIApplicationCommandsJSONBody,
  Routes,
} from "discord-api-types/v10";

export type { RawFile };

/** A message as Podium sends it: what channel messages, edits and interaction webhooks share. */
export type MessageBody =
  & Pick<
    RESTPostAPIChannelMessageJSONBody,
    "content" | "embeds" | "components" | "allowed_mentions" | "flags" | "attachments"
  >
  & Pick<RESTPatchAPIChannelMessageJSONBody, "attachments">;

/** The Discord REST calls Podium makes. `AppDeps.discord` is one of these, or null when Discord is off. */
export interface DiscordApi {
  /** `POST /channels/{id}/messages`; with `nonce` + `enforce_nonce` a retry returns the first message. */
  createMessage(
    channelId: string,
    body: MessageBody & { nonce?: string; enforce_nonce?: boolean },
    files?: RawFile[],
  ): Promise<APIMessage>;
  /** `PATCH /channels/{id}/messages/{id}`. */
  editMessage(channelId: string, messageId: string, body: MessageBody): Promise<APIMessage>;
  /** `GET /channels/{id}/messages`, newest first. */
  getMessages(
    channelId: string,
    query?: { limit?: number; before?: string; after?: string },
  ): Promise<APIMessage[]>;
  /** `GET /channels/{id}/messages/{id}`. */
  getMessage(channelId: string, messageId: string): Promise<APIMessage>;
  /** `DELETE /channels/{id}/messages/{id}`. */
  deleteMessage(channelId: string, messageId: string): Promise<void>;
  /** `PATCH /webhooks/{app}/{token}/messages/@original`: the answer to a deferred interaction. */
  editOriginal(interactionToken: string, body: MessageBody, files?: RawFile[]): Promise<APIMessage>;
  /** `POST /webhooks/{app}/{token}`: a follow-up message to an interaction. */
  followUp(interactionToken: string, body: MessageBody, files?: RawFile[]): Promise<APIMessage>;
  /** Bulk-overwrites the application's global commands, or one guild's. */
  putCommands(
    commands: RESTPutAPIApplicationCommandsJSONBody,
    guildId?: string,
  ): Promise<APIApplicationCommand[]>;
}

/** Discord said no, or could not be reached. */
export class DiscordError extends Error {
  /** HTTP status; 0 when no response arrived (timeout, connection lost). */
  status: number;
  /** Discord's JSON error code (50001 missing access, 10003 unknown channel, 50035 invalid form...). */
  code?: number;
  /** For a 429 not waited out here: how long to wait before trying again. */
  retryAfterMs?: number;
  /** For a 429: whether it was the bot's global limit. */
  global?: boolean;

  constructor(
    message: string,
    init: { status: number; code?: number; retryAfterMs?: number; global?: boolean; cause?: unknown },
  ) {
    super(message, { cause: init.cause });
    this.name = "DiscordError";
    this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.global !== undefined) this.global = init.global;
  }

  /** True when the request may have taken effect although no answer says so (timeout, 5xx, lost connection). */
  get outcomeUnknown(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/** Discord's public API, without the version. */
export const DEFAULT_DISCORD_API_BASE = "https://discord.com/api";

/** Normalizes `DISCORD_API_BASE`: `https://discord.com`, `.../api` and a trailing slash all work. */
export function apiRoot(base: string): string {
  const b = base.replace(/\/+$/, "");
  return b.endsWith("/api") ? b : `${b}/api`;
}

/** Options of `createDiscordApi`. */
export interface DiscordApiOptions {
  token: string;
  applicationId: string;
  /** Default `DISCORD_API_BASE`, else Discord's. */
  apiBase?: string;
  /** Per try, in ms (default 5000). */
  timeoutMs?: number;
  /** Retries of a 5xx or a timeout within one call (default 2). */
  retries?: number;
  /** A 429 whose wait is longer than this (ms) is returned as a DiscordError instead of waited out (default 5000). */
  maxRateLimitWaitMs?: number;
}

function toDiscordError(err: unknown, what: string): DiscordError {
  if (err instanceof DiscordError) return err;
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === "number" ? err.code : undefined;
    return new DiscordError(`${what}: Discord answered ${err.status}: ${err.message}`, {
      status: err.status,
      ...(code !== undefined ? { code } : {}),
      cause: err,
    });
  }
  if (err instanceof RateLimitError) {
    return new DiscordError(`${what}: rate limited for ${Math.ceil(err.retryAfter)} ms`, {
      status: 429,
      retryAfterMs: Math.max(err.retryAfter, err.timeToReset, 0),
      global: err.global,
      cause: err,
    });
  }
  if (err instanceof HTTPError) {
    return new DiscordError(`${what}: Discord answered ${err.status} ${err.message}`, {
      status: err.status,
      cause: err,
    });
  }
  const e = err as Error;
  const msg = e?.name === "AbortError" || e?.name === "TimeoutError"
    ? "no answer in time"
    : e?.message ?? String(err);
  return new DiscordError(`${what}: ${msg}`, { status: 0, cause: err });
}

/** Builds the REST client. The base URL defaults to `DISCORD_API_BASE`, else Discord's. */
export function createDiscordApi(opts: DiscordApiOptions): DiscordApi {
  const timeout = opts.timeoutMs ?? 5000;
  const retries = opts.retries ?? 2;
  const maxWait = opts.maxRateLimitWaitMs ?? 5000;
  let envBase: string | undefined;
  try {
    envBase = Deno.env.get("DISCORD_API_BASE");
  } catch {
    envBase = undefined; // no env permission: Discord's own
  }
  const rest = new REST({
    version: "10",
    api: apiRoot(opts.apiBase ?? envBase ?? DEFAULT_DISCORD_API_BASE),
    timeout,
    retries,
    makeRequest: fetch as never,
    // Long 429s go back to the caller; short ones are waited out here.
    rejectOnRateLimit: (d) => Math.max(d.retryAfter, d.timeToReset) > maxWait,
    // No sweeper timers: a handful of routes, and nothing left running after close.
    hashSweepInterval: Number.POSITIVE_INFINITY,
    handlerSweepInterval: Number.POSITIVE_INFINITY,
  }).setToken(opts.token);
  // The whole call, tries and short rate-limit waits included, is bounded.
  const budget = timeout * (retries + 1) + maxWait + 1000;

  async function call<T>(what: string, run: (signal: AbortSignal) => Promise<unknown>): Promise<T> {
    const signal = AbortSignal.timeout(budget);
    try {
      return await run(signal) as T;
    } catch (err) {
      throw toDiscordError(err, what);
    }
  }
  const app = opts.applicationId;
  return {
    createMessage: (channelId, body, files) =>
      call(
        `Cannot post to channel ${channelId}`,
        (signal) => rest.post(Routes.channelMessages(channelId), { body, files, signal }),
      ),
    editMessage: (channelId, messageId, body) =>
      call(
        `Cannot edit message ${messageId} in channel ${channelId}`,
        (signal) => rest.patch(Routes.channelMessage(channelId, messageId), { body, signal }),
      ),
    getMessages: (channelId, query = {}) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
      return call(
        `Cannot read messages of channel ${channelId}`,
        (signal) => rest.get(Routes.channelMessages(channelId), { query: q, signal }),
      );
    },
    getMessage: (channelId, messageId) =>
      call(
        `Cannot read message ${messageId} in channel ${channelId}`,
        (signal) => rest.get(Routes.channelMessage(channelId, messageId), { signal }),
      ),
    deleteMessage: async (channelId, messageId) => {
      await call(
        `Cannot delete message ${messageId} in channel ${channelId}`,
        (signal) => rest.delete(Routes.channelMessage(channelId, messageId), { signal }),
      );
    },
    editOriginal: (token, body, files) =>
      call(
        "Cannot edit the interaction's answer",
        (signal) =>
          rest.patch(Routes.webhookMessage(app, token, "@original"), { body, files, auth: false, signal }),
      ),
    followUp: (token, body, files) =>
      call(
        "Cannot send a follow-up to the interaction",
        (signal) => rest.post(Routes.webhook(app, token), { body, files, auth: false, signal }),
      ),
    putCommands: (commands, guildId) =>
      call(
        guildId ? `Cannot register commands in guild ${guildId}` : "Cannot register global commands",
        (signal) =>
          rest.put(
            guildId ? Routes.applicationGuildCommands(app, guildId) : Routes.applicationCommands(app),
            { body: commands, signal },
          ),
      ),
  };
}
