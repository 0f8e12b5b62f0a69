/**
 * A client for the iRacing Data API as it works since December 2025 (docs/racing-formats.md D1-D3):
 * OAuth2 `password_limited` login with the password and client secret masked, tokens kept in KV
 * and refreshed (a refresh token works once; a full login is rate-limited, so never one per
 * request), `link` and `data_url` answers followed without the Authorization header,
 * `x-ratelimit-*` honoured, and every error shape (401/403/503 JSON, CloudFront's 504 HTML, OAuth
 * errors, network) turned into an `IracingError` with a sentence an admin can act on.
 */
import { z } from "zod";
import { readTokens, type StoredTokens, writeTokens } from "@/kv/numbers/tokens.ts";

/** Credentials and endpoints (config.ts reads them from IRACING_* variables). */
export interface IracingConfig {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Default https://oauth.iracing.com/oauth2 (IRACING_OAUTH_BASE). */
  oauthBase: string;
  /** Default https://members-ng.iracing.com (IRACING_DATA_BASE). */
  dataBase: string;
}

/** What went wrong, for callers that branch on it. */
export type IracingErrorKind =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "maintenance"
  | "unavailable"
  | "rate_limited"
  | "login_failed"
  | "login_limited"
  | "invalid_grant"
  | "bad_response"
  | "network";

/** A failed iRacing call, with a sentence that says what to do. */
export class IracingError extends Error {
  constructor(
    readonly kind: IracingErrorKind,
    message: string,
    readonly status?: number,
    /** When a rate limit lifts, if known. */
    readonly retryAt?: Date,
  ) {
    super(message);
    this.name = "IracingError";
  }
}

/** One league member as the roster lists them; `carNumber` is text ("07" is not "7"). */
export interface RosterMember {
  custId: number;
  displayName: string;
  carNumber: string | null;
  nickName: string | null;
}

/** A league and its roster. */
export interface League {
  leagueId: number;
  name: string;
  roster: RosterMember[];
}

/** What the numbers domain needs from iRacing (the sync takes this, tests may pass their own). */
export interface IracingApi {
  /** `/data/league/get`: the league with its roster inline. */
  getLeague(leagueId: number): Promise<League>;
  /** Any `/data/...` GET, envelopes followed; the final JSON. */
  get(path: string, params?: Record<string, string | number | boolean>): Promise<unknown>;
}

/** The client's options. */
export interface IracingClientOptions {
  now?: () => Date;
  /** Per HTTP request. Default 15 s. */
  timeoutMs?: number;
  /** Full logins this client allows itself per hour (iRacing's limit is about 12). Default 10. */
  loginsPerHour?: number;
}

const RosterRow = z.object({
  cust_id: z.number().int(),
  display_name: z.string(),
  car_number: z.union([z.string(), z.number().transform(String)]).nullable().optional(),
  nick_name: z.string().nullable().optional(),
});
const LeagueGet = z.object({
  league_id: z.number().int(),
  league_name: z.string(),
  roster: z.array(RosterRow).default([]),
});
const TokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().positive().optional(),
});
const OAuthErrorBody = z.object({ error: z.string(), error_description: z.string().optional() });
const DataErrorBody = z.object({ error: z.string().optional(), note: z.string().optional() });

/** base64(sha256(secret + id.toLowerCase())): how iRacing wants the password and client secret sent. */
export async function maskSecret(secret: string, id: string): Promise<string> {
  const bytes = new TextEncoder().encode(secret + id.trim().toLowerCase());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return btoa(String.fromCharCode(...digest));
}

const HOUR = 3600_000;
/** Access tokens are renewed this long before they expire. */
const EARLY_MS = 30_000;

/** Builds a client whose tokens live in `kv`. */
export function createIracingClient(
  kv: Deno.Kv,
  config: IracingConfig,
  opts: IracingClientOptions = {},
): IracingApi {
  return new IracingClient(kv, config, opts);
}

class IracingClient implements IracingApi {
  readonly #now: () => Date;
  readonly #timeoutMs: number;
  readonly #loginsPerHour: number;
  #pending: Promise<string> | null = null;
  /** The last `x-ratelimit-*` seen. */
  #rate: { limit: number; remaining: number; resetAt: number } | null = null;

  constructor(readonly kv: Deno.Kv, readonly config: IracingConfig, opts: IracingClientOptions) {
    this.#now = opts.now ?? (() => new Date());
    this.#timeoutMs = opts.timeoutMs ?? 15_000;
    this.#loginsPerHour = opts.loginsPerHour ?? 10;
  }

  async getLeague(leagueId: number): Promise<League> {
    const body = await this.get("/data/league/get", { league_id: leagueId });
    const res = LeagueGet.safeParse(body);
    if (!res.success) {
      const i = res.error.issues[0]!;
      throw new IracingError(
        "bad_response",
        `Unexpected answer from iRacing /data/league/get for league ${leagueId}: ${
          i.path.join(".")
        }: ${i.message}`,
      );
    }
    return {
      leagueId: res.data.league_id,
      name: res.data.league_name,
      roster: res.data.roster.map((r) => ({
        custId: r.cust_id,
        displayName: r.display_name,
        carNumber: r.car_number ?? null,
        nickName: r.nick_name ?? null,
      })),
    };
  }

  async get(path: string, params: Record<string, string | number | boolean> = {}): Promise<unknown> {
    const url = new URL(path, this.config.dataBase);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
    let stale: string | undefined;
    for (let attempt = 0;; attempt++) {
      this.#checkRate(path);
      const token = await this.#accessToken(stale);
      const res = await this.#fetch(url, { headers: { authorization: `Bearer ${token}` } }, path);
      this.#noteRate(res.headers);
      if (res.status === 401 && attempt === 0) {
        // Revoked or expired early: renew once, then give up.
        await res.body?.cancel();
        stale = token;
        continue;
      }
      const body = await this.#answer(res, path);
      try {
        return await this.#follow(body, path);
      } catch (err) {
        // A link that expired before we fetched it: ask for a fresh one, once.
        if (err instanceof IracingError && err.status === 403 && attempt === 0) continue;
        throw err;
      }
    }
  }

  #checkRate(path: string): void {
    const r = this.#rate;
    if (r && r.remaining <= 0 && this.#now().getTime() < r.resetAt) {
      const at = new Date(r.resetAt);
      throw new IracingError(
        "rate_limited",
        `Not calling iRacing ${path}: its rate limit (${r.limit} calls) is spent until ${at.toISOString()}`,
        429,
        at,
      );
    }
  }

  #noteRate(h: Headers): void {
    const limit = Number(h.get("x-ratelimit-limit"));
    const remaining = Number(h.get("x-ratelimit-remaining"));
    const reset = Number(h.get("x-ratelimit-reset"));
    if (h.has("x-ratelimit-remaining") && Number.isFinite(remaining) && Number.isFinite(reset)) {
      this.#rate = { limit: Number.isFinite(limit) ? limit : 0, remaining, resetAt: reset * 1000 };
    }
  }

  async #fetch(url: URL | string, init: RequestInit, what: string): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (err) {
      const e = err as Error;
      const why = e.name === "TimeoutError" ? `no answer within ${this.#timeoutMs} ms` : e.message;
      throw new IracingError("network", `Cannot reach iRacing (${what}): ${why}`);
    }
  }

  async #readJson(res: Response, what: string): Promise<unknown> {
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new IracingError("network", `iRacing's answer to ${what} broke off: ${(err as Error).message}`);
    }
    try {
      return JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch {
      throw new IracingError("bad_response", `iRacing answered ${what} with ${res.status} and no valid JSON`);
    }
  }

  /** The JSON body of a data answer, or the error it means. */
  async #answer(res: Response, path: string): Promise<unknown> {
    const type = res.headers.get("content-type") ?? "";
    if (!type.includes("json")) {
      const text = await res.text().catch(() => "");
      const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
      const page = title ? ` ("${title}")` : "";
      const via = /cloudfront/i.test(text) || /cloudfront/i.test(res.headers.get("server") ?? "")
        ? " from CloudFront"
        : "";
      throw new IracingError(
        res.status >= 500 ? "unavailable" : "bad_response",
        `iRacing answered ${path} with ${res.status} and an HTML page${via}${page}: the service is unreachable, try again later`,
        res.status,
      );
    }
    const body = await this.#readJson(res, path);
    if (res.ok) return body;
    const err = DataErrorBody.safeParse(body);
    const said = err.success ? [err.data.error, err.data.note].filter(Boolean).join(": ") : "";
    switch (res.status) {
      case 401:
        throw new IracingError(
          "unauthorized",
          `iRacing refused ${path} (401 ${
            said || "Unauthorized"
          }) even with a fresh token: check the client's access`,
          401,
        );
      case 403:
        throw new IracingError(
          "forbidden",
          `iRacing refused ${path} (403 ${
            said || "Forbidden"
          }): the bot's iRacing account may not see this (is it a member of the league?)`,
          403,
        );
      case 404:
        throw new IracingError(
          "not_found",
          `iRacing has nothing at ${path} (404${said ? ` ${said}` : ""})`,
          404,
        );
      case 429: {
        const at = this.#rate ? new Date(this.#rate.resetAt) : undefined;
        throw new IracingError(
          "rate_limited",
          `iRacing's rate limit is spent (429)${at ? `; it resets at ${at.toISOString()}` : ""}`,
          429,
          at,
        );
      }
      case 503:
        throw new IracingError(
          "maintenance",
          `iRacing is unavailable (503 ${said || "Service Unavailable"}); the next sync will try again`,
          503,
        );
      default:
        throw new IracingError(
          res.status >= 500 ? "unavailable" : "bad_response",
          `iRacing answered ${path} with ${res.status}${said ? ` (${said})` : ""}`,
          res.status,
        );
    }
  }

  /** Follows `link` (S3, no Authorization header) and then `data_url`. */
  async #follow(body: unknown, path: string): Promise<unknown> {
    let out = body;
    if (isObject(out) && typeof out.link === "string") out = await this.#hop(out.link, path);
    if (isObject(out) && typeof out.data_url === "string") out = await this.#hop(out.data_url, path);
    return out;
  }

  async #hop(url: string, path: string): Promise<unknown> {
    // Presigned S3 URLs refuse a second auth mechanism: never send the bearer token here.
    const res = await this.#fetch(url, {}, `${path} (link)`);
    if (!res.ok) {
      const text = await res.text().catch(() => "");
      const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
      const msg = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
      throw new IracingError(
        res.status >= 500 ? "unavailable" : "bad_response",
        `Cannot fetch the data iRacing linked for ${path}: ${res.status}${code ? ` ${code}` : ""}${
          msg ? ` (${msg})` : ""
        }`,
        res.status,
      );
    }
    return await this.#readJson(res, `${path} (link)`);
  }

  /** A valid access token; one renewal at a time per process. `stale` is one iRacing just refused. */
  #accessToken(stale?: string): Promise<string> {
    if (!this.#pending) {
      this.#pending = this.#obtain(stale).finally(() => {
        this.#pending = null;
      });
    }
    return this.#pending;
  }

  async #obtain(stale?: string): Promise<string> {
    const { username } = this.config;
    let entry = await readTokens(this.kv, username);
    const now = this.#now().getTime();
    const t = entry.tokens;
    if (t && t.accessToken !== stale && t.accessExpiresAt - EARLY_MS > now) return t.accessToken;
    if (t?.refreshToken && (t.refreshExpiresAt ?? Infinity) > now) {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const fresh = await this.#tokenRequest({
            grant_type: "refresh_token",
            refresh_token: t.refreshToken,
          });
          return await this.#store(fresh, t.logins, entry.versionstamp);
        } catch (err) {
          if (!(err instanceof IracingError)) throw err;
          if (err.kind === "invalid_grant") break;
          if (err.kind !== "unavailable" && err.kind !== "network") throw err;
          // A lost answer may have spent the token: the second try then gets invalid_grant.
        }
      }
      // Spent or refused. Another process may have refreshed in between: use its tokens.
      const again = await readTokens(this.kv, username);
      const a = again.tokens;
      if (again.versionstamp !== entry.versionstamp && a && a.accessExpiresAt - EARLY_MS > now) {
        return a.accessToken;
      }
      entry = again;
    }
    return await this.#login(entry.tokens?.logins ?? [], entry.versionstamp);
  }

  async #login(previous: number[], versionstamp: string | null): Promise<string> {
    const now = this.#now().getTime();
    const logins = previous.filter((t) => t > now - HOUR);
    if (logins.length >= this.#loginsPerHour) {
      const at = new Date(logins[0]! + HOUR);
      throw new IracingError(
        "login_limited",
        `Not logging in to iRacing again: ${logins.length} logins in the last hour (iRacing allows about 12); the next is possible at ${at.toISOString()}`,
        undefined,
        at,
      );
    }
    const { username, password } = this.config;
    const fresh = await this.#tokenRequest({
      grant_type: "password_limited",
      username,
      password: await maskSecret(password, username),
      scope: "iracing.auth",
    });
    return await this.#store(fresh, [...logins, now], versionstamp);
  }

  async #store(
    fresh: z.infer<typeof TokenAnswer>,
    logins: number[],
    versionstamp: string | null,
  ): Promise<string> {
    const now = this.#now().getTime();
    const tokens: StoredTokens = {
      accessToken: fresh.access_token,
      accessExpiresAt: now + fresh.expires_in * 1000,
      refreshToken: fresh.refresh_token ?? null,
      refreshExpiresAt: fresh.refresh_token && fresh.refresh_token_expires_in
        ? now + fresh.refresh_token_expires_in * 1000
        : null,
      logins,
    };
    // If another process stored tokens meanwhile, ours are still valid: use them, keep theirs.
    await writeTokens(this.kv, this.config.username, tokens, versionstamp);
    return tokens.accessToken;
  }

  /** POSTs a grant to /token: form data, every value percent-encoded, secret masked. */
  async #tokenRequest(fields: Record<string, string>): Promise<z.infer<typeof TokenAnswer>> {
    const { clientId, clientSecret } = this.config;
    const form = new URLSearchParams({
      ...fields,
      client_id: clientId,
      client_secret: await maskSecret(clientSecret, clientId),
    });
    const grant = fields.grant_type!;
    const res = await this.#fetch(`${this.config.oauthBase}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    }, `token (${grant})`);
    const type = res.headers.get("content-type") ?? "";
    if (!type.includes("json")) {
      await res.body?.cancel();
      throw new IracingError(
        "unavailable",
        `iRacing's login service answered ${res.status} without JSON; try again later`,
        res.status,
      );
    }
    const body = await this.#readJson(res, `token (${grant})`);
    if (res.ok) {
      const ok = TokenAnswer.safeParse(body);
      if (ok.success) return ok.data;
      throw new IracingError("bad_response", `iRacing's token answer has no usable access_token`);
    }
    const e = OAuthErrorBody.safeParse(body);
    const code = e.success ? e.data.error : "unknown";
    const desc = e.success && e.data.error_description ? `: ${e.data.error_description}` : "";
    if (res.status === 429) {
      const after = Number(res.headers.get("retry-after"));
      const at = Number.isFinite(after) && after > 0
        ? new Date(this.#now().getTime() + after * 1000)
        : undefined;
      throw new IracingError(
        "login_limited",
        `iRacing refused the ${grant} grant: too many logins${at ? `; try after ${at.toISOString()}` : ""}`,
        429,
        at,
      );
    }
    if (res.status >= 500) {
      throw new IracingError(
        "unavailable",
        `iRacing's login service failed (${res.status} ${code})`,
        res.status,
      );
    }
    if (code === "invalid_grant" && grant === "refresh_token") {
      throw new IracingError("invalid_grant", `iRacing refused the refresh token${desc}`, res.status);
    }
    const hint = code === "unauthorized_client" || code === "invalid_client"
      ? "check IRACING_CLIENT_ID and IRACING_CLIENT_SECRET"
      : "check IRACING_USERNAME and IRACING_PASSWORD (the account must be on the client's access list)";
    throw new IracingError(
      "login_failed",
      `iRacing refused the ${grant} grant (${code}${desc}): ${hint}`,
      res.status,
    );
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
