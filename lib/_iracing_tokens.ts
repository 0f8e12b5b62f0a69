/**
 * The iRacing client's OAuth2 side: a valid access token on demand. Tokens live in a
 * `TokenStore` the caller passes in (KV's is kv/numbers/tokens.ts) so restarts and other processes
 * reuse them; a token about to expire is
 * refreshed (each refresh token works once), and a full `password_limited` login happens only when
 * no refresh works, within a budget per hour (iRacing allows about 12).
 */
import { z } from "zod";
import { fetchIracing, IracingError, maskSecret, readIracingJson } from "@/lib/_iracing_http.ts";
import type { IracingConfig } from "@/lib/iracing.ts";

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().positive().optional(),
});
const OAuthErrorBody = z.object({ error: z.string(), error_description: z.string().optional() });

/** What is stored per iRacing account. Times are epoch milliseconds. */
export interface StoredTokens {
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string | null;
  refreshExpiresAt: number | null;
  /** Full logins in the last hour, oldest first: the client refuses to exceed its own budget. */
  logins: number[];
}

/** The stored tokens and the entry's versionstamp (null when none are stored). */
export interface TokenEntry {
  tokens: StoredTokens | null;
  versionstamp: string | null;
}

/** Where an account's tokens are kept, shared by every process (kv/numbers/tokens.ts: `kvTokenStore`). */
export interface TokenStore {
  /** The stored tokens of an account; damaged ones read as none. */
  read(username: string): Promise<TokenEntry>;
  /** Stores tokens if the entry is still the one read (`expected`); false when another process wrote. */
  write(username: string, tokens: StoredTokens, expected: string | null): Promise<boolean>;
}

const HOUR = 3600_000;
/** Access tokens are renewed this long before they expire. */
const EARLY_MS = 30_000;

/** Hands out access tokens for one iRacing account. */
export class IracingTokens {
  #pending: Promise<string> | null = null;

  constructor(
    readonly store: TokenStore,
    readonly config: IracingConfig,
    readonly now: () => Date,
    readonly timeoutMs: number,
    readonly loginsPerHour: number,
  ) {}

  /** A valid access token; one renewal at a time per process. `stale` is one iRacing just refused. */
  accessToken(stale?: string): Promise<string> {
    if (!this.#pending) {
      this.#pending = this.#obtain(stale).finally(() => {
        this.#pending = null;
      });
    }
    return this.#pending;
  }

  async #obtain(stale?: string): Promise<string> {
    const { username } = this.config;
    let entry = await this.store.read(username);
    const now = this.now().getTime();
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
      const again = await this.store.read(username);
      const a = again.tokens;
      if (again.versionstamp !== entry.versionstamp && a && a.accessExpiresAt - EARLY_MS > now) {
        return a.accessToken;
      }
      entry = again;
    }
    return await this.#login(entry.tokens?.logins ?? [], entry.versionstamp);
  }

  async #login(previous: number[], versionstamp: string | null): Promise<string> {
    const now = this.now().getTime();
    const logins = previous.filter((t) => t > now - HOUR);
    if (logins.length >= this.loginsPerHour) {
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
    const now = this.now().getTime();
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
    await this.store.write(this.config.username, tokens, versionstamp);
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
    const res = await fetchIracing(
      `${this.config.oauthBase}/token`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      },
      `token (${grant})`,
      this.timeoutMs,
    );
    const type = res.headers.get("content-type") ?? "";
    if (!type.includes("json")) {
      await res.body?.cancel();
      throw new IracingError(
        "unavailable",
        `iRacing's login service answered ${res.status} without JSON; try again later`,
        res.status,
      );
    }
    const body = await readIracingJson(res, `token (${grant})`);
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
        ? new Date(this.now().getTime() + after * 1000)
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
