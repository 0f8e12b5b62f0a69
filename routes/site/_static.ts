/**
 * The site's static files, read once at start and served under names that carry a hash of their
 * content, so they can be cached for a year: a new stylesheet gets a new URL.
 */
import { sha256Hex } from "@/lib/hash.ts";

interface Asset {
  href: string;
  body: Uint8Array;
  type: string;
}

function asset(file: string, type: string): Asset {
  const body = Deno.readFileSync(new URL(`../../static/${file}`, import.meta.url));
  const hash = sha256Hex(body).slice(0, 10);
  const dot = file.lastIndexOf(".");
  return { href: `/static/${file.slice(0, dot)}.${hash}${file.slice(dot)}`, body, type };
}

/** The stylesheet, the icon and the live page's script. */
export const ASSETS = {
  css: asset("site.css", "text/css; charset=utf-8"),
  icon: asset("favicon.svg", "image/svg+xml"),
  live: asset("live.js", "text/javascript; charset=utf-8"),
};

/** The assets by URL path. */
export const ASSET_BY_PATH = new Map(Object.values(ASSETS).map((a) => [a.href, a]));

/** Changes whenever the stylesheet does or the server restarts (templates may have changed). */
export const BUILD_VERSION = `${ASSETS.css.href.split(".")[1]}-${
  (Deno.env.get("DENO_DEPLOYMENT_ID") ?? Date.now().toString(36)).replace(/[^A-Za-z0-9]/g, "")
}`;
