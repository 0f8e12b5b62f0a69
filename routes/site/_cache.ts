/**
 * Conditional GETs and kept pages. Every page is a function of the store's data, so the changes
 * key's versionstamp (rewritten by every import, kv/changes.ts) is its version: the ETag is that
 * stamp plus the build's, Last-Modified is the last import's time. A browser's repeat visit gets
 * a 304 for one KV read; a first visit to a page already rendered since the last import is
 * answered from memory, also for one read. Correct across processes and Deploy isolates, because
 * every answer is checked against the store.
 */
import type { MiddlewareHandler } from "hono";
import { changesKey } from "@/kv/keys.ts";
import type { RouteEnv } from "@/routes/route_env.ts";

interface Kept {
  stamp: string;
  /** The page's UTF-8 bytes: kept encoded, so that a hit costs no encoding. */
  html: Uint8Array;
}

const HTML_TYPE = "text/html; charset=UTF-8";

/** What the middleware needs: the build's version (part of every ETag) and how many pages to keep. */
export interface PageCacheOptions {
  version: string;
  maxPages?: number;
}

/** See the module doc. Only GET and HEAD with a 200 HTML answer are kept. */
export function pageCache(opts: PageCacheOptions): MiddlewareHandler<RouteEnv> {
  const kept = new Map<string, Kept>();
  const max = opts.maxPages ?? 500;
  // The headers of the store's current version, made once per import rather than per request.
  let current = versionOf("", undefined, opts.version);
  return async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return await next();
    const entry = await c.var.deps.kv.get<{ lastImportAt?: string }>(changesKey());
    const stamp = entry.versionstamp;
    if (stamp === null) {
      // An empty store: the welcome page, which must change as soon as anything is imported.
      await next();
      c.res.headers.set("Cache-Control", "no-cache");
      return;
    }
    if (stamp !== current.stamp) current = versionOf(stamp, entry.value?.lastImportAt, opts.version);
    const { etag, at, headers } = current;
    const since = c.req.header("if-modified-since");
    if (notModified(c.req.header("if-none-match"), since, etag, at, c.var.deps.now().getTime())) {
      return c.body(null, 304, headers);
    }
    const url = c.req.url;
    const hit = kept.get(url);
    if (hit && hit.stamp === stamp) {
      kept.delete(url);
      kept.set(url, hit);
      return c.body(hit.html.slice(), 200, { ...headers, "Content-Type": HTML_TYPE });
    }
    await next();
    if (c.res.status !== 200 || !c.res.headers.get("content-type")?.startsWith("text/html")) return;
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
    const html = new Uint8Array(await c.res.clone().arrayBuffer());
    kept.delete(url);
    kept.set(url, { stamp, html });
    if (kept.size > max) kept.delete(kept.keys().next().value!);
  };
}

interface Version {
  stamp: string;
  etag: string;
  /** The last import's time in ms (NaN when unknown). */
  at: number;
  headers: Record<string, string>;
}

function versionOf(stamp: string, lastImportAt: string | undefined, build: string): Version {
  const etag = `"${stamp}-${build}"`;
  const at = Date.parse(lastImportAt ?? "");
  const headers: Record<string, string> = { ETag: etag, "Cache-Control": "public, no-cache" };
  if (Number.isFinite(at)) headers["Last-Modified"] = new Date(at).toUTCString();
  return { stamp, etag, at, headers };
}

/**
 * RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since (whole seconds). A date later than
 * `nowMs` is ignored (§13.1.3): a client cannot pin a page by claiming to have it from the future.
 */
export function notModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  etag: string,
  lastModifiedMs: number,
  nowMs = Date.now(),
): boolean {
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(",").some((t) => {
      const tag = t.trim().replace(/^W\//, "");
      return tag === "*" || tag === etag;
    });
  }
  if (ifModifiedSince === undefined || !Number.isFinite(lastModifiedMs)) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && since <= nowMs && Math.floor(lastModifiedMs / 1000) * 1000 <= since;
}
