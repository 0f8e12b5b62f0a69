/**
 * The fake Discord's rate limits: fixed-window buckets per route and major parameter, and the
 * bot's global limit, answered with Discord's headers (docs/discord.md section 7).
 */

/** A limit: requests per window. */
export interface Limit {
  limit: number;
  windowMs: number;
}

/** What one request's bucket says: the headers, and when over a limit, how long to wait. */
export interface BucketAnswer {
  headers: Record<string, string>;
  /** Seconds to wait, when this request is over a limit. */
  retryAfter: number | null;
  global: boolean;
}

/** Counts requests per bucket against the route and global limits. */
export class RateLimiter {
  readonly #buckets = new Map<string, { count: number; resetAt: number }>();

  constructor(readonly route: Limit, readonly global: Limit, readonly now: () => number) {}

  #take(key: string, lim: Limit, t: number) {
    let b = this.#buckets.get(key);
    if (!b || b.resetAt <= t) this.#buckets.set(key, b = { count: 0, resetAt: t + lim.windowMs });
    b.count++;
    return b;
  }

  /** Counts one request against `bucketId` (shared by routes, as on Discord) for `major` (channel id...). */
  take(bucketId: string, major: string): BucketAnswer {
    const t = this.now();
    const g = this.#take("global", this.global, t);
    const b = this.#take(`${bucketId}:${major}`, this.route, t);
    const resetAfter = (b.resetAt - t) / 1000;
    const headers: Record<string, string> = {
      "x-ratelimit-limit": String(this.route.limit),
      "x-ratelimit-remaining": String(Math.max(0, this.route.limit - b.count)),
      "x-ratelimit-reset": (b.resetAt / 1000).toFixed(3),
      "x-ratelimit-reset-after": resetAfter.toFixed(3),
      "x-ratelimit-bucket": bucketId,
    };
    if (g.count > this.global.limit) return { headers, retryAfter: (g.resetAt - t) / 1000, global: true };
    if (b.count > this.route.limit) return { headers, retryAfter: resetAfter, global: false };
    return { headers, retryAfter: null, global: false };
  }
}

/** Discord's 429: the body with `retry_after` (seconds, float) and `global`, `Retry-After` in whole seconds. */
export function tooManyRequests(
  retryAfter: number,
  global: boolean,
  headers: Record<string, string>,
): Response {
  return new Response(
    JSON.stringify({ message: "You are being rate limited.", retry_after: retryAfter, global }),
    {
      status: 429,
      headers: {
        "content-type": "application/json",
        ...headers,
        "retry-after": String(Math.max(1, Math.ceil(retryAfter))),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset-after": retryAfter.toFixed(3),
        "x-ratelimit-scope": global ? "global" : "user",
        ...(global ? { "x-ratelimit-global": "true" } : {}),
      },
    },
  );
}
