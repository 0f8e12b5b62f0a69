/**
 * Response headers. Pages get Hono's full set of security headers. The JSON API, public and read
 * by any origin, gets the two that matter for JSON: `nosniff` and open CORS (with a cached
 * preflight). Each header is an allocation on every request, and the API is the hot path (see
 * README, Performance).
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

// Pages run no script at all: the CSP allows none, and styles and images only from this origin.
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

const apiHeaders: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "OPTIONS") {
    return c.body(null, 204, {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": c.req.header("access-control-request-headers") ?? "",
      "Access-Control-Max-Age": "86400",
    });
  }
  await next();
  c.res.headers.set("Access-Control-Allow-Origin", "*");
  c.res.headers.set("X-Content-Type-Options", "nosniff");
};

/** The headers middleware for every route. */
export const responseHeaders: MiddlewareHandler = (c, next) =>
  c.req.path.startsWith("/api/") ? apiHeaders(c, next) : pageHeaders(c, next);
