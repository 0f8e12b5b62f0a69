/**
 * A fake Discord REST API on loopback, speaking the real protocol for the routes Podium calls:
 * channel messages (create, edit, get, list, delete), the interaction webhook (`@original` PATCH,
 * follow-up POST) and command bulk overwrites. It sends Discord's rate-limit headers, answers
 * 429s with `retry_after` and `Retry-After`, honours `nonce` + `enforce_nonce`, enforces the
 * message limits (400 50035) and bot auth, and takes injected failures: 5xx, hangs, lost
 * responses (the message is created, then the connection drops), permanent errors. Every issue's
 * tests reuse it: `const discord = await startFakeDiscord(); ... await discord.close()`.
 */
import { formErrors, messageLimitError } from "@/tests/fakes/_discord_limits.ts";
import { RateLimiter, tooManyRequests as tooMany } from "@/tests/fakes/_discord_ratelimit.ts";

/** One message the fake holds (channel message, interaction answer or follow-up). */
export interface FakeMessage {
  id: string;
  /** Null for interaction answers and follow-ups. */
  channelId: string | null;
  kind: "message" | "original" | "followup";
  interactionToken?: string;
  /** The JSON body as last set (multipart: `payload_json`). */
  body: Record<string, unknown>;
  files: { name: string; size: number; contentType: string }[];
  nonce?: string;
  createdAt: number;
  editedAt?: number;
  edits: number;
  deleted: boolean;
  /** What Discord would have pinged: true only when `@everyone`/`@here` was allowed to parse. */
  mentionEveryone: boolean;
}

/** A failure to inject, for the next `times` matching requests. */
export type FakeFailure =
  /** Any status; with `code`, Discord's JSON error body (permanent errors: see `DISCORD_ERRORS`). */
  | { kind: "status"; status: number; code?: number; message?: string }
  /** A 429: per route by default, the bot's global limit with `global`. */
  | { kind: "rate_limit"; retryAfter: number; global?: boolean }
  /** No answer until the client gives up; `afterCreate` creates the message first. */
  | { kind: "hang"; afterCreate?: boolean }
  /** The message is created, then the connection drops before the answer's body. */
  | { kind: "drop" };

/** Where a failure applies. */
export interface FailureRule {
  failure: FakeFailure;
  method?: string;
  /** Matched against the path after `/api/v10` (`/channels/1/messages`); a string matches a substring. */
  path?: string | RegExp;
  /** How many requests it hits (default 1; Infinity for all). */
  times?: number;
}

/** Discord's permanent errors, ready for `injectFailure`. */
export const DISCORD_ERRORS = {
  missingAccess: { kind: "status", status: 403, code: 50001, message: "Missing Access" },
  missingPermissions: { kind: "status", status: 403, code: 50013, message: "Missing Permissions" },
  unknownChannel: { kind: "status", status: 404, code: 10003, message: "Unknown Channel" },
  unknownMessage: { kind: "status", status: 404, code: 10008, message: "Unknown Message" },
  invalidForm: { kind: "status", status: 400, code: 50035, message: "Invalid Form Body" },
  serverError: { kind: "status", status: 500, message: "Internal Server Error" },
  badGateway: { kind: "status", status: 502, message: "Bad Gateway" },
} as const satisfies Record<string, FakeFailure>;

/** Options of the fake. */
export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  /** When given, other channel ids answer 404 10003. */
  channels?: string[];
  /** Per route and major parameter: requests per window (default 50 per 1000 ms). */
  routeLimit?: { limit: number; windowMs: number };
  /** The bot's global limit (default 50 per 1000 ms). */
  globalLimit?: { limit: number; windowMs: number };
  /** How long `enforce_nonce` remembers a nonce (default 5 minutes; Discord says "a few minutes"). */
  nonceWindowMs?: number;
  /** The fake's clock (ms), for nonce windows and timestamps; default Date.now. */
  now?: () => number;
  /** Called as each message is created (benchmarks time arrivals with it). */
  onMessage?: (m: FakeMessage) => void;
}

/** A running fake. */
export interface FakeDiscord {
  /** Base URL for `DISCORD_API_BASE` / `createDiscordApi({ apiBase })`. */
  apiBase: string;
  applicationId: string;
  token: string;
  /** Every message ever created, in order (deleted ones flagged). */
  messages: FakeMessage[];
  /** Every request: method, path (after /api/v10), status answered, when it was answered (Date.now()). */
  requests: { method: string; path: string; status: number; at: number }[];
  /** Commands as last overwritten: `global`, and per guild id. */
  commands: { global: unknown[] | null; guilds: Map<string, unknown[]> };
  /** Live (not deleted) channel messages of a channel, oldest first. */
  channelMessages(channelId: string): FakeMessage[];
  injectFailure(rule: FailureRule): void;
  /** Deletes a message as a moderator would. */
  deleteMessage(id: string): void;
  close(): Promise<void>;
}

const DISCORD_EPOCH = 1420070400000n;
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
const discordError = (status: number, code: number, message: string, errors?: unknown) =>
  json({ message, code, ...(errors ? { errors } : {}) }, status);

/**
 * The hub's Discord variables pointing at `fake` (a hub started as a process under test): its
 * application, a public key (nothing is verified against it unless a test signs), its token and
 * its API base.
 */
export function discordEnvFor(fake: FakeDiscord, publicKeyHex = "a".repeat(64)): Record<string, string> {
  return {
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_PUBLIC_KEY: publicKeyHex,
    DISCORD_BOT_TOKEN: fake.token,
    DISCORD_API_BASE: fake.apiBase,
  };
}

/** Starts the fake on a free loopback port. */
export function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const now = opts.now ?? Date.now;
  const token = opts.token ?? "fake-bot-token";
  const applicationId = opts.applicationId ?? "1100000000000000001";
  const botUser = {
    id: "1100000000000000002",
    username: "Podium",
    discriminator: "0",
    bot: true,
    avatar: null,
  };
  const routeLimit = opts.routeLimit ?? { limit: 50, windowMs: 1000 };
  const globalLimit = opts.globalLimit ?? { limit: 50, windowMs: 1000 };
  const nonceWindow = opts.nonceWindowMs ?? 5 * 60_000;
  const messages: FakeMessage[] = [];
  const byId = new Map<string, FakeMessage>();
  const nonces = new Map<string, { id: string; at: number }>();
  const originals = new Map<string, FakeMessage>();
  const requests: FakeDiscord["requests"] = [];
  const commands: FakeDiscord["commands"] = { global: null, guilds: new Map() };
  const rules: (FailureRule & { left: number })[] = [];
  const limiter = new RateLimiter(routeLimit, globalLimit, now);
  const hung = new Set<() => void>();
  let seq = 0n;

  const snowflake = () => String(((BigInt(now()) - DISCORD_EPOCH) << 22n) | (seq++ & 0xfffn));

  function toApi(m: FakeMessage) {
    const b = m.body;
    return {
      id: m.id,
      type: 0,
      channel_id: m.channelId ?? "0",
      author: botUser,
      content: b.content ?? "",
      embeds: b.embeds ?? [],
      components: b.components ?? [],
      attachments: m.files.map((f, i) => ({
        id: `${m.id}${i}`,
        filename: f.name,
        size: f.size,
        content_type: f.contentType,
        url: `https://cdn.invalid/${m.id}/${f.name}`,
        proxy_url: `https://cdn.invalid/${m.id}/${f.name}`,
      })),
      mentions: [],
      mention_roles: [],
      mention_everyone: m.mentionEveryone,
      pinned: false,
      tts: false,
      flags: b.flags ?? 0,
      timestamp: new Date(m.createdAt).toISOString(),
      edited_timestamp: m.editedAt ? new Date(m.editedAt).toISOString() : null,
      ...(m.nonce !== undefined ? { nonce: m.nonce } : {}),
      ...(m.kind !== "message" ? { webhook_id: applicationId, application_id: applicationId } : {}),
    };
  }

  async function readBody(
    req: Request,
  ): Promise<{ body: Record<string, unknown>; files: FakeMessage["files"] }> {
    const type = req.headers.get("content-type") ?? "";
    if (type.startsWith("multipart/form-data")) {
      const form = await req.formData();
      const files: FakeMessage["files"] = [];
      let body: Record<string, unknown> = {};
      for (const [k, v] of form.entries()) {
        if (k === "payload_json") body = JSON.parse(String(v));
        else if (v instanceof File) files.push({ name: v.name, size: v.size, contentType: v.type });
      }
      return { body, files };
    }
    const text = await req.text();
    return { body: text ? JSON.parse(text) : {}, files: [] };
  }

  function mentionsEveryone(body: Record<string, unknown>): boolean {
    const am = body.allowed_mentions as { parse?: string[] } | undefined;
    const parse = am ? am.parse ?? [] : ["everyone", "users", "roles"];
    return parse.includes("everyone") && /@(everyone|here)/.test(String(body.content ?? ""));
  }

  function create(
    kind: FakeMessage["kind"],
    channelId: string | null,
    body: Record<string, unknown>,
    files: FakeMessage["files"],
    interactionToken?: string,
  ): FakeMessage {
    const m: FakeMessage = {
      id: snowflake(),
      channelId,
      kind,
      body,
      files,
      createdAt: now(),
      edits: 0,
      deleted: false,
      mentionEveryone: mentionsEveryone(body),
    };
    if (typeof body.nonce === "string" || typeof body.nonce === "number") m.nonce = String(body.nonce);
    if (interactionToken !== undefined) m.interactionToken = interactionToken;
    messages.push(m);
    byId.set(m.id, m);
    opts.onMessage?.(m);
    return m;
  }

  function edit(m: FakeMessage, body: Record<string, unknown>, files: FakeMessage["files"]): void {
    m.body = { ...m.body, ...body };
    if (files.length) m.files = files;
    m.editedAt = now();
    m.edits++;
    m.mentionEveryone = mentionsEveryone(m.body);
  }

  function takeFailure(method: string, path: string): FakeFailure | null {
    const i = rules.findIndex((r) =>
      (!r.method || r.method === method) &&
      (!r.path || (typeof r.path === "string" ? path.includes(r.path) : r.path.test(path)))
    );
    if (i < 0) return null;
    const r = rules[i]!;
    if (--r.left <= 0) rules.splice(i, 1);
    return r.failure;
  }

  // Held until close(): the client's own timeout is what ends it.
  const hang = () =>
    new Promise<Response>((resolve) => {
      hung.add(() => resolve(new Response(null, { status: 499 })));
    });

  /** A 200 whose body breaks off: the client saw the message created and never learns it. */
  const DROPPED = "connection lost (the fake's deliberate drop)";
  const dropped = () =>
    new Response(
      new ReadableStream({
        start(c) {
          c.error(new Error(DROPPED));
        },
      }),
      { status: 200, headers: { "content-type": "application/json" } },
    );

  async function route(req: Request, path: string, headers: Record<string, string>): Promise<Response> {
    const m = req.method;
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    const isBot = parts[0] === "channels" || parts[0] === "applications";
    if (isBot && req.headers.get("authorization") !== `Bot ${token}`) {
      return json({ message: "401: Unauthorized", code: 0 }, 401);
    }
    if (parts[0] === "channels" && opts.channels && !opts.channels.includes(parts[1]!)) {
      return discordError(404, 10003, "Unknown Channel");
    }
    const failure = takeFailure(m, path);
    if (failure?.kind === "status") {
      return failure.code !== undefined
        ? discordError(failure.status, failure.code, failure.message ?? "Error")
        : new Response(failure.message ?? "Server error", { status: failure.status });
    }
    if (failure?.kind === "rate_limit") return tooMany(failure.retryAfter, !!failure.global, headers);
    if (failure?.kind === "hang" && !failure.afterCreate) return await hang();
    const lost = failure?.kind === "drop" || failure?.kind === "hang";
    const answer = async (r: () => Promise<Response> | Response) => {
      const res = await r();
      if (!lost || res.status >= 300) return res;
      return failure.kind === "drop" ? dropped() : await hang();
    };

    // /channels/{c}/messages[/{m}]
    if (parts[0] === "channels" && parts[2] === "messages") {
      const channelId = parts[1]!;
      const mid = parts[3];
      if (!mid && m === "POST") {
        const { body, files } = await readBody(req);
        const bad = messageLimitError(body);
        if (bad) return discordError(400, 50035, "Invalid Form Body", formErrors(bad.path, bad.message));
        return await answer(() => {
          if (body.enforce_nonce === true && body.nonce !== undefined) {
            const key = `${channelId}\u0000${body.nonce}`;
            const seen = nonces.get(key);
            if (seen && now() - seen.at < nonceWindow) {
              const earlier = byId.get(seen.id)!;
              return earlier.deleted ? discordError(404, 10008, "Unknown Message") : json(toApi(earlier));
            }
            const created = create("message", channelId, body, files);
            nonces.set(key, { id: created.id, at: now() });
            return json(toApi(created));
          }
          return json(toApi(create("message", channelId, body, files)));
        });
      }
      if (!mid && m === "GET") {
        const q = new URL(req.url).searchParams;
        const limit = Math.min(100, Math.max(1, Number(q.get("limit") ?? 50)));
        const before = q.get("before"), after = q.get("after");
        let list = messages.filter((x) => x.channelId === channelId && !x.deleted);
        if (before) list = list.filter((x) => BigInt(x.id) < BigInt(before));
        if (after) {
          list = list.filter((x) => BigInt(x.id) > BigInt(after)).slice(0, limit);
        } else list = list.slice(-limit);
        return json(list.reverse().map(toApi));
      }
      const msg = mid ? byId.get(mid) : undefined;
      if (!msg || msg.deleted || msg.channelId !== channelId) {
        return discordError(404, 10008, "Unknown Message");
      }
      if (m === "GET") return json(toApi(msg));
      if (m === "DELETE") {
        msg.deleted = true;
        return new Response(null, { status: 204 });
      }
      if (m === "PATCH") {
        const { body, files } = await readBody(req);
        const bad = messageLimitError({ ...msg.body, ...body, nonce: undefined });
        if (bad) return discordError(400, 50035, "Invalid Form Body", formErrors(bad.path, bad.message));
        return await answer(() => (edit(msg, body, files), json(toApi(msg))));
      }
    }
    // /webhooks/{app}/{token}[/messages/@original]
    if (parts[0] === "webhooks" && parts[1] === applicationId && parts[2]) {
      const tok = parts[2];
      const { body, files } = m === "POST" || m === "PATCH" ? await readBody(req) : { body: {}, files: [] };
      const bad = messageLimitError(body);
      if (bad) return discordError(400, 50035, "Invalid Form Body", formErrors(bad.path, bad.message));
      if (parts.length === 3 && m === "POST") {
        return await answer(() => json(toApi(create("followup", null, body, files, tok))));
      }
      if (parts[3] === "messages" && parts[4] === "@original" && m === "PATCH") {
        return await answer(() => {
          const existing = originals.get(tok);
          if (existing) edit(existing, body, files);
          else originals.set(tok, create("original", null, body, files, tok));
          return json(toApi(originals.get(tok)!));
        });
      }
    }
    if (parts[0] === "webhooks") return discordError(404, 10015, "Unknown Webhook");
    // /applications/{app}/commands, /applications/{app}/guilds/{g}/commands
    if (parts[0] === "applications" && parts[1] === applicationId && m === "PUT") {
      const guild = parts[2] === "guilds" ? parts[3] : undefined;
      if (parts.at(-1) === "commands") {
        const { body } = await readBody(req);
        if (!Array.isArray(body)) return discordError(400, 50035, "Invalid Form Body");
        const list = (body as Record<string, unknown>[]).map((c) => ({
          id: snowflake(),
          application_id: applicationId,
          version: snowflake(),
          type: 1,
          ...(guild ? { guild_id: guild } : {}),
          ...c,
        }));
        if (guild) commands.guilds.set(guild, list);
        else commands.global = list;
        return json(list);
      }
    }
    return discordError(404, 0, `404: Not Found (${m} ${path})`);
  }

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
    // The dropped connection above is on purpose: it is no error of the fake's to print.
    onError: (err) => {
      if ((err as Error)?.message !== DROPPED) console.error("Fake Discord failed:", err);
      return new Response(null, { status: 500 });
    },
  }, async (req) => {
    const url = new URL(req.url);
    const path = url.pathname.replace(/^\/api\/v10/, "");
    if (path === url.pathname) return discordError(404, 0, "404: Not Found (use /api/v10)");
    const parts = path.split("/").filter(Boolean);
    // Bucket per route template; the message routes of a channel share one, as on Discord.
    const bucketId = parts[0] === "channels" ? "channel-messages" : parts.slice(0, 1).join("/");
    const { headers, retryAfter, global } = limiter.take(bucketId, parts[1] ?? "");
    let res: Response;
    if (retryAfter !== null) {
      res = tooMany(retryAfter, global, headers);
    } else {
      res = await route(req, path, headers);
      for (const [k, v] of Object.entries(headers)) if (!res.headers.has(k)) res.headers.set(k, v);
    }
    requests.push({ method: req.method, path, status: res.status, at: Date.now() });
    return res;
  });

  return Promise.resolve({
    apiBase: `http://127.0.0.1:${server.addr.port}`,
    applicationId,
    token,
    messages,
    requests,
    commands,
    channelMessages: (channelId) => messages.filter((x) => x.channelId === channelId && !x.deleted),
    injectFailure: (rule) => rules.push({ ...rule, left: rule.times ?? 1 }),
    deleteMessage: (id) => {
      const msg = byId.get(id);
      if (msg) msg.deleted = true;
    },
    async close() {
      for (const release of hung) release();
      hung.clear();
      await server.shutdown();
    },
  });
}
