/** Visiting every page a site links to, from "/": for the demo's crawl tests (app and browser). */

/** Every same-site link target in an HTML page (a/link href), resolved against `from`, without fragment. */
export function linksOf(html: string, from: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<(?:a|link)\b[^>]*?\shref="([^"]*)"/g)) {
    const raw = m[1]!.replaceAll("&amp;", "&").replaceAll("&#39;", "'").replaceAll("&quot;", '"');
    const url = new URL(raw, `http://site${from}`);
    if (url.origin !== "http://site") continue;
    out.add(url.pathname + url.search);
  }
  return [...out];
}

/** One visited page. */
export interface Visit {
  path: string;
  status: number;
  /** The first page that linked here. */
  from: string;
}

/**
 * Breadth-first from "/": `fetchPage` answers a path with its status, content type and body.
 * Follows links of HTML pages only; stops after `limit` pages (an error: the crawl must end).
 */
export async function crawl(
  fetchPage: (path: string) => Promise<{ status: number; type: string; body: string }>,
  limit = 5000,
): Promise<Visit[]> {
  const seen = new Map<string, string>([["/", "(start)"]]);
  const queue = ["/"];
  const visits: Visit[] = [];
  while (queue.length) {
    const path = queue.shift()!;
    const res = await fetchPage(path);
    visits.push({ path, status: res.status, from: seen.get(path)! });
    if (visits.length > limit) throw new Error(`The crawl passed ${limit} pages: links never end?`);
    if (res.status !== 200 || !res.type.startsWith("text/html")) continue;
    for (const link of linksOf(res.body, path)) {
      if (seen.has(link)) continue;
      seen.set(link, path);
      queue.push(link);
    }
  }
  return visits;
}
