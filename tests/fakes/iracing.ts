/**
 * A fake iRacing on loopback: the OAuth2 token endpoint (oauth.iracing.com/oauth2/token), the Data
 * API (members-ng.iracing.com/data/...) and the S3 bucket its `link` and `data_url` answers point
 * at, on one port. It serves the real sample responses (shared/samples/iracing) with their
 * envelopes when the samples are there, and the generated answers of the same shapes
 * (fixtures/iracing.ts) when they are not or when a test asks (`answers`); it keeps the rules a client must follow (docs/racing-formats.md D1-D3):
 *
 * - `password_limited` needs the password and the client secret masked as
 *   base64(sha256(secret + id.toLowerCase())), percent-encoded form data, scope `iracing.auth`;
 * - access tokens expire (`expires_in`), each refresh token works once, full logins are limited
 *   per hour (429);
 * - data calls need `Authorization: Bearer`, carry `x-ratelimit-*` headers and answer 429 when the
 *   budget is spent; the S3 hop refuses an Authorization header (as presigned S3 URLs do) and
 *   expired links;
 * - injectable failures: the 401/403/503 JSON bodies and the CloudFront 504 HTML page (of the
 *   samples or generated), 500s and connections dropped mid-body.
 *
 * Credentials are generated per instance; nothing here is a real secret. Time comes from the
 * `now` the test passes, so token expiry is tested without sleeping.
 */
import { generatedIracingAnswers, type IracingAnswers } from "@/fixtures/iracing.ts";
import { S3_EXPIRED, S3_TWO_AUTHS, sampleIracingAnswers } from "@/tests/fakes/_iracing_samples.ts";
import { samplesAvailable } from "@/tests/_samples.ts";

/** A request the fake saw. */
export interface FakeRequest {
  method: string;
  path: string;
  authorization: string | null;
  grant?: string;
}

/** What to break, and how often. */
export interface FakeFailure {
  /** Which endpoint: a token grant, a /data call, or the S3 hop. */
  on: "login" | "refresh" | "data" | "s3";
  /** Only requests whose path starts with this (data and s3). */
  path?: string;
  kind: "401" | "403" | "503" | "504" | "500" | "429" | "invalid_grant" | "drop";
  /** How many requests fail; default 1. */
  times?: number;
}

/** A running fake. */
export interface FakeIracing {
  /** Base of the OAuth2 server, as IRACING_OAUTH_BASE (".../oauth2"). */
  oauthBase: string;
  /** Base of the Data API, as IRACING_DATA_BASE (paths start with /data). */
  dataBase: string;
  /** The credentials this instance accepts (generated, not real). */
  credentials: { clientId: string; clientSecret: string; username: string; password: string };
  /** Every request, in order. */
  requests: FakeRequest[];
  /** Counters: successful logins and refreshes, data calls answered. */
  stats: { logins: number; refreshes: number; dataCalls: number };
  /** Replaces a league's `/data/league/get` payload. */
  setLeague(leagueId: number, payload: Record<string, unknown>): void;
  /** Replaces a league's roster (members as `/data/league/get` lists them). */
  setRoster(leagueId: number, roster: FakeRosterMember[]): void;
  /** Makes the next matching request(s) fail. */
  fail(failure: FakeFailure): void;
  /** Invalidates every access token (as a server-side revocation would). */
  revokeAccessTokens(): void;
  /** Sets the rate-limit budget left in the current window. */
  setRateLimitRemaining(n: number): void;
  close(): Promise<void>;
}

/** One roster member as `/data/league/get` has it (the fields a number bot reads). */
export interface FakeRosterMember {
  cust_id: number;
  display_name: string;
  car_number: string | null;
  nick_name?: string | null;
  owner?: boolean;
  admin?: boolean;
  league_member_since?: string;
}

/** The fake's options. */
export interface FakeIracingOptions {
  /** The fake's clock in ms (tests advance it). Default Date.now. */
  now?: () => number;
  /** Access token lifetime, seconds (iRacing: 600). */
  accessTtlS?: number;
  /** Refresh token lifetime, seconds. */
  refreshTtlS?: number;
  /** Full logins allowed per rolling hour (about 12 at iRacing). */
  loginsPerHour?: number;
  /** Data calls per rate-limit window (100 or 240 seen). */
  rateLimit?: number;
  /** Rate-limit window, seconds. */
  rateWindowS?: number;
  /** How long an S3 link stays valid, seconds. */
  linkTtlS?: number;
  /** The client secret this instance accepts (default: generated). */
  clientSecret?: string;
  /** What to serve: the samples' answers or generated ones (default: the samples when present). */
  answers?: IracingAnswers;
}

/** The answers a fake serves by default: the real samples when present, else generated ones. */
export function defaultIracingAnswers(): IracingAnswers {
  return samplesAvailable ? sampleIracingAnswers() : generatedIracingAnswers();
}

/** The masking iRacing requires for the password and the client secret. */
export async function maskSecret(secret: string, id: string): Promise<string> {
  const bytes = new TextEncoder().encode(secret + id.trim().toLowerCase());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return btoa(String.fromCharCode(...digest));
}

/** Starts the fake on 127.0.0.1 (a free port). */
export function startFakeIracing(opts: FakeIracingOptions = {}): FakeIracing {
  const now = opts.now ?? (() => Date.now());
  const accessTtlS = opts.accessTtlS ?? 600;
  const refreshTtlS = opts.refreshTtlS ?? 3600;
  const loginsPerHour = opts.loginsPerHour ?? 12;
  const rateLimit = opts.rateLimit ?? 240;
  const rateWindowS = opts.rateWindowS ?? 60;
  const linkTtlS = opts.linkTtlS ?? 600;

  const credentials = {
    clientId: "podium-fake-client",
    clientSecret: opts.clientSecret ?? `fake-secret-${crypto.randomUUID()}`,
    username: "Fake.Racer@Example.com",
    password: `fake-pass-${crypto.randomUUID()} +/=&`,
  };
  const maskedSecret = maskSecret(credentials.clientSecret, credentials.clientId);
  const maskedPassword = maskSecret(credentials.password, credentials.username);

  const access = new Map<string, number>();
  const refresh = new Map<string, { expiresAt: number; used: boolean }>();
  const loginTimes: number[] = [];
  const s3 = new Map<string, { body: unknown; expiresAt: number }>();
  const failures: (FakeFailure & { left: number })[] = [];
  const requests: FakeRequest[] = [];
  const stats = { logins: 0, refreshes: 0, dataCalls: 0 };
  let window = { start: now(), remaining: rateLimit };

  const answers = opts.answers ?? defaultIracingAnswers();
  const leagues = new Map(answers.leagues);
  const { link: linkSample, errors } = answers;

  function takeFailure(on: FakeFailure["on"], path: string): FakeFailure | null {
    const i = failures.findIndex((f) => f.on === on && (!f.path || path.startsWith(f.path)));
    if (i < 0) return null;
    const f = failures[i]!;
    if (--f.left <= 0) failures.splice(i, 1);
    return f;
  }

  function rateHeaders(): Record<string, string> {
    const t = now();
    if (t >= window.start + rateWindowS * 1000) window = { start: t, remaining: rateLimit };
    return {
      "x-ratelimit-limit": String(rateLimit),
      "x-ratelimit-remaining": String(Math.max(0, window.remaining)),
      "x-ratelimit-reset": String(Math.ceil((window.start + rateWindowS * 1000) / 1000)),
    };
  }

  function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json;charset=utf-8", ...headers },
    });
  }

  function oauthError(status: number, reason: string, error: string, description: string): Response {
    return json({
      status,
      status_reason: reason,
      error,
      error_description: description,
      error_uri: "https://oauth.iracing.com/oauth2/book/errors.html",
    }, status);
  }

  function dataError(kind: "401" | "403" | "503" | "504"): Response {
    const s = errors[kind];
    const headers = { ...s.headers, ...rateHeaders() };
    if (kind === "504") {
      return new Response(s.content as string, {
        status: 504,
        headers: { ...headers, "content-type": s.contentType ?? "text/html", server: "CloudFront" },
      });
    }
    return json(s.content, s.statuscode ?? Number(kind), headers);
  }

  function issueTokens(): Response {
    const a = `fake-access-${crypto.randomUUID()}`;
    const r = `fake-refresh-${crypto.randomUUID()}`;
    access.set(a, now() + accessTtlS * 1000);
    refresh.set(r, { expiresAt: now() + refreshTtlS * 1000, used: false });
    return json({
      access_token: a,
      token_type: "Bearer",
      expires_in: accessTtlS,
      refresh_token: r,
      refresh_token_expires_in: refreshTtlS,
      scope: "iracing.auth",
    });
  }

  async function token(req: Request): Promise<Response> {
    if (!(req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) {
      return oauthError(400, "Bad Request", "invalid_request", "form data expected");
    }
    const form = new URLSearchParams(await req.text());
    const grant = form.get("grant_type") ?? "";
    requests[requests.length - 1]!.grant = grant;
    if (form.get("client_id") !== credentials.clientId) {
      return oauthError(401, "Unauthorized", "unauthorized_client", "client unknown");
    }
    if (form.get("client_secret") !== await maskedSecret) {
      return oauthError(401, "Unauthorized", "unauthorized_client", "client authentication failed");
    }
    if (grant === "password_limited") {
      const f = takeFailure("login", "/oauth2/token");
      if (f) return failToken(f);
      const t = now();
      while (loginTimes.length && loginTimes[0]! <= t - 3600_000) loginTimes.shift();
      if (loginTimes.length >= loginsPerHour) {
        const retry = Math.ceil((loginTimes[0]! + 3600_000 - t) / 1000);
        return new Response(
          JSON.stringify({
            status: 429,
            status_reason: "Too Many Requests",
            error: "rate_limited",
            error_description: "too many password_limited grants",
          }),
          { status: 429, headers: { "content-type": "application/json", "retry-after": String(retry) } },
        );
      }
      const scopes = (form.get("scope") ?? "").split(/\s+/);
      if (!scopes.includes("iracing.auth")) {
        return oauthError(400, "Bad Request", "invalid_scope", "scope iracing.auth required");
      }
      if (
        (form.get("username") ?? "").toLowerCase() !== credentials.username.toLowerCase() ||
        form.get("password") !== await maskedPassword
      ) {
        return oauthError(401, "Unauthorized", "access_denied", "authentication failed");
      }
      loginTimes.push(t);
      stats.logins++;
      return issueTokens();
    }
    if (grant === "refresh_token") {
      const f = takeFailure("refresh", "/oauth2/token");
      const given = form.get("refresh_token") ?? "";
      const r = refresh.get(given);
      // A refresh that fails after the server consumed the token, as a lost answer would.
      if (f && r) r.used = true;
      if (f) return failToken(f);
      if (!r || r.used || r.expiresAt <= now()) {
        return oauthError(400, "Bad Request", "invalid_grant", "refresh token invalid, expired or used");
      }
      r.used = true;
      stats.refreshes++;
      return issueTokens();
    }
    return oauthError(400, "Bad Request", "unsupported_grant_type", `grant ${grant} not supported`);
  }

  function failToken(f: FakeFailure): Response {
    switch (f.kind) {
      case "invalid_grant":
        return oauthError(400, "Bad Request", "invalid_grant", "refresh token invalid, expired or used");
      case "503":
        return oauthError(503, "Service Unavailable", "temporarily_unavailable", "try again later");
      case "429":
        return oauthError(429, "Too Many Requests", "rate_limited", "too many requests");
      case "504":
        return dataError("504");
      default:
        return oauthError(500, "Internal Server Error", "server_error", "injected failure");
    }
  }

  function link(body: unknown): string {
    const id = crypto.randomUUID();
    s3.set(id, { body, expiresAt: now() + linkTtlS * 1000 });
    return `${origin}/s3/production/data-server/cache/${id}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=${linkTtlS}&X-Amz-Signature=fake`;
  }

  function linkAnswer(body: unknown): Response {
    // The envelope's shape is the sample's; its link points at this fake's bucket.
    const content = linkSample.content as { link: string; expires: string };
    return json(
      { ...content, link: link(body), expires: new Date(now() + linkTtlS * 1000).toISOString() },
      200,
      rateHeaders(),
    );
  }

  function data(url: URL, auth: string | null): Response {
    const path = url.pathname;
    const rh = rateHeaders();
    const bearer = /^Bearer (.+)$/i.exec(auth ?? "")?.[1];
    const exp = bearer ? access.get(bearer) : undefined;
    if (exp === undefined || exp <= now()) return dataError("401");
    if (window.remaining <= 0) {
      return json({ error: "Rate limit exceeded" }, 429, { ...rh, "retry-after": "60" });
    }
    window.remaining--;
    const f = takeFailure("data", path);
    if (f) return injected(f);
    stats.dataCalls++;
    const leagueId = Number(url.searchParams.get("league_id"));
    switch (path) {
      case "/data/league/get": {
        const league = leagues.get(leagueId);
        if (!league) {
          return json({ error: "Not Found", note: `league ${leagueId} unknown` }, 404, rateHeaders());
        }
        return linkAnswer(league);
      }
      case "/data/league/roster": {
        const league = leagues.get(leagueId);
        if (!league) return json({ error: "Not Found" }, 404, rateHeaders());
        const env = answers.rosterEnvelope;
        const roster = (league.roster as unknown[]) ?? [];
        // The content behind data_url is in no public sample; the fake serves the roster list.
        return linkAnswer({
          ...env,
          data: { ...(env.data as object), league_id: leagueId, roster_count: roster.length },
          data_url: link({ league_id: leagueId, roster }),
        });
      }
      case "/data/member/info":
        return linkAnswer(answers.memberInfo);
      default:
        return json({ error: "Not Found" }, 404, rateHeaders());
    }
  }

  function injected(f: FakeFailure): Response {
    switch (f.kind) {
      case "401":
      case "403":
      case "503":
      case "504":
        return dataError(f.kind);
      case "429":
        return json({ error: "Rate limit exceeded" }, 429, { ...rateHeaders(), "retry-after": "60" });
      default:
        return json({ error: "Internal Server Error" }, 500, rateHeaders());
    }
  }

  function bucket(url: URL, auth: string | null): Response {
    const xml = { "content-type": "application/xml", server: "AmazonS3" };
    if (auth) return new Response(S3_TWO_AUTHS, { status: 400, headers: xml });
    const f = takeFailure("s3", url.pathname);
    if (f?.kind === "504") return dataError("504");
    if (f) return new Response("<Error><Code>InternalError</Code></Error>", { status: 500, headers: xml });
    const id = url.pathname.split("/").pop() ?? "";
    const obj = s3.get(id);
    if (!obj) return new Response("<Error><Code>NoSuchKey</Code></Error>", { status: 404, headers: xml });
    if (obj.expiresAt <= now()) return new Response(S3_EXPIRED, { status: 403, headers: xml });
    return json(obj.body, 200, { server: "AmazonS3", "cache-control": "max-age=60" });
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const auth = req.headers.get("authorization");
    requests.push({ method: req.method, path: url.pathname, authorization: auth });
    const dropKind = url.pathname === "/oauth2/token"
      ? null
      : takeDrop(url.pathname.startsWith("/s3/") ? "s3" : "data", url.pathname);
    if (dropKind) {
      // Headers promise 4 KB, the body ends after a few bytes and the connection closes: the client
      // sees a network error mid-body (and the server logs nothing, as an erroring stream would).
      const body = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"league_id":'));
          c.close();
        },
      });
      return new Response(body, {
        status: 200,
        headers: { "content-type": "application/json", "content-length": "4096" },
      });
    }
    if (url.pathname === "/oauth2/token" && req.method === "POST") return await token(req);
    if (url.pathname.startsWith("/data/") && req.method === "GET") return data(url, auth);
    if (url.pathname.startsWith("/s3/") && req.method === "GET") return bucket(url, auth);
    return json({ error: "Not Found" }, 404);
  });

  function takeDrop(on: "data" | "s3", path: string): boolean {
    const i = failures.findIndex((f) =>
      f.on === on && f.kind === "drop" && (!f.path || path.startsWith(f.path))
    );
    if (i < 0) return false;
    if (--failures[i]!.left <= 0) failures.splice(i, 1);
    return true;
  }

  const origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    oauthBase: `${origin}/oauth2`,
    dataBase: origin,
    credentials,
    requests,
    stats,
    setLeague(leagueId, payload) {
      leagues.set(leagueId, payload);
    },
    setRoster(leagueId, roster) {
      const base = leagues.get(leagueId) ?? {
        league_id: leagueId,
        owner_id: roster[0]?.cust_id ?? 1,
        league_name: `Fake league ${leagueId}`,
        private_roster: false,
      };
      leagues.set(leagueId, { ...base, roster_count: roster.length, roster });
    },
    fail(failure) {
      failures.push({ ...failure, left: failure.times ?? 1 });
    },
    revokeAccessTokens() {
      access.clear();
    },
    setRateLimitRemaining(n) {
      rateHeaders();
      window.remaining = n;
    },
    async close() {
      await server.shutdown();
    },
  };
}
