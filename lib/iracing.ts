/**
 * A client for the iRacing Data API as it works since December 2025 (docs/racing-formats.md D1-D3):
 * OAuth2 `password_limited` login with the password and client secret masked, tokens kept in KV
 * and refreshed (a refresh token works once; a full login is rate-limited, so never one per
 * request), `link` and `data_url` answers followed without the Authorization header,
 * `x-ratelimit-*` honoured, and every error shape (401/403/503 JSON, CloudFront's 504 HTML, OAuth
 * errors, network) turned into an `IracingError` with a sentence an admin can act on.
 */
import { z } from "zod";
import { fetchIracing, IracingError, readIracingJson } from "@/lib/_iracing_http.ts";
import { IracingTokens, type TokenStore } from "@/lib/_iracing_tokens.ts";

export { IracingError, type IracingErrorKind, maskSecret } from "@/lib/_iracing_http.ts";
export type { StoredTokens, TokenEntry, TokenStore } from "@/lib/_iracing_tokens.ts";

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
const DataErrorBody = z.object({ error: z.string().optional(), note: z.string().optional() });

/** Builds a client whose tokens live in `store` (KV's: `kvTokenStore(kv)`, kv/numbers/tokens.ts). */
export function createIracingClient(
  store: TokenStore,
  config: IracingConfig,
  opts: IracingClientOptions = {},
): IracingApi {
  return new IracingClient(store, config, opts);
}

class IracingClient implements IracingApi {
  readonly #now: () => Date;
  readonly #timeoutMs: number;
  readonly #loginsPerHour: number;
  readonly #tokens: IracingTokens;
  /** The last `x-ratelimit-*` seen. */
  #rate: { limit: number; remaining: number; resetAt: number } | null = null;

  constructor(readonly store: TokenStore, readonly config: IracingConfig, opts: IracingClientOptions) {
    this.#now = opts.now ?? (() => new Date());
    this.#timeoutMs = opts.timeoutMs ?? 15_000;
    this.#loginsPerHour = opts.loginsPerHour ?? 10;
    this.#tokens = new IracingTokens(store, config, this.#now, this.#timeoutMs, this.#loginsPerHour);
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
      const token = await this.#tokens.accessToken(stale);
      const res = await fetchIracing(
        url,
        { headers: { authorization: `Bearer ${token}` } },
        path,
        this.#timeoutMs,
      );
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
    const body = await readIracingJson(res, path);
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
    const res = await fetchIracing(url, {}, `${path} (link)`, this.#timeoutMs);
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
    return await readIracingJson(res, `${path} (link)`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
