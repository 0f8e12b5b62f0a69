/**
 * Response headers. Pages get Hono's full set of security headers. The JSON API, public and read
 * by any origin, gets the two that matter for JSON: `nosniff` and open CORS (with a cached
 * preflight). Each header is an allocation on every request, and the API is the hot path (see
 * README, Performance).
 */
import { Hono, type MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

// Pages run no script at all: the CSP allows none, and styles and images only from this origin.
const secure = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

// The set is fixed (no nonces), so it is computed once and copied onto each page. A 304 gets
// none of it: the browser keeps the headers of the page it revalidated, and the revalidation
// stays as cheap as the API's floor.
const PAGE_HEADERS: [string, string][] = await (async () => {
  const probe = new Hono().use(secure).get("/", (c) => c.body(null, 204));
  return [...(await probe.request("/")).headers];
})();

const CSP = "content-security-policy";

/**
 * The one page that runs a script (the live page, static/live.js) widens the policy by exactly
 * that: scripts and fetches from this origin. It sets this header itself; every other page keeps
 * the policy without scripts.
 */
export const SCRIPTED_PAGE_CSP = PAGE_HEADERS.find(([k]) => k === CSP)![1]
  .replace("default-src 'none'", "default-src 'none'; script-src 'self'; connect-src 'self'");

const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status === 304) return;
  const own = c.res.headers.get(CSP) === SCRIPTED_PAGE_CSP;
  for (const [k, v] of PAGE_HEADERS) if (!(own && k === CSP)) c.res.headers.set(k, v);
};

// JSON is never a page: no framing, no scripts, no referrer, whatever a browser makes of it.
const API_HEADERS: [string, string][] = [
  ["Access-Control-Allow-Origin", "*"],
  ["X-Content-Type-Options", "nosniff"],
  ["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
];

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
  for (const [k, v] of API_HEADERS) c.res.headers.set(k, v);
};

/** The headers middleware for every route. */
export const responseHeaders: MiddlewareHandler = (c, next) =>
  c.req.path.startsWith("/api/") ? apiHeaders(c, next) : pageHeaders(c, next);
