/**
 * The demo league in Chromium: a crawl from "/" following the links the browser sees, each page
 * answering 200 with no console error under the real CSP. Every kind of page is opened in the
 * browser (the first of each route: /drivers/<id>, /tracks/<game>/<track>?kind=...), every
 * other link is fetched from the browser's context (tests/site/demo_crawl_test.ts opens them all
 * through the app). Skipped, loudly, without /usr/bin/chromium; failing with PODIUM_REQUIRE_BROWSER=1.
 */
import assert from "node:assert/strict";
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";
import { demoConfig, fillDemo } from "@/fixtures/demo_league.ts";
import { hasChromium, launch, serve } from "@/tests/site/_browser.ts";

const REQUIRED = Deno.env.get("PODIUM_REQUIRE_BROWSER") === "1";
const AVAILABLE = hasChromium();
if (!AVAILABLE && !REQUIRED) {
  console.warn(
    "\n!!! SKIPPED: the demo's browser crawl needs Debian's Chromium at /usr/bin/chromium " +
      "(apt-get install -y chromium); set PODIUM_REQUIRE_BROWSER=1 to fail instead !!!\n",
  );
}
const NOW = new Date("2026-03-18T15:30:00Z");

Deno.test({
  name: "the demo in Chromium: every page reached from / by its links answers 200 without console errors",
  ignore: !AVAILABLE && !REQUIRED,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    assert.ok(
      AVAILABLE,
      "PODIUM_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing: apt-get install -y chromium",
    );
    const kv = await Deno.openKv(":memory:");
    const config = demoConfig(loadConfig((n) => (n === "PODIUM_KV" ? ":memory:" : undefined)), NOW);
    await fillDemo(kv, config, NOW, { small: true });
    const { url, server } = serve(createApp({ kv, config, now: () => NOW }).fetch);
    const browser = await launch();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`${page.url()}: ${e}`));
      const seen = new Set<string>([`${url}/`]);
      const queue = [`${url}/`];
      const bad: string[] = [];
      const perRoute = new Map<string, number>();
      let visited = 0, fetched = 0;
      while (queue.length) {
        const target = queue.shift()!;
        const u = new URL(target);
        const route = `${u.pathname.split("/").slice(0, 3).join("/")}?${
          [...u.searchParams.keys()].join("&")
        }`;
        const n = perRoute.get(route) ?? 0;
        perRoute.set(route, n + 1);
        if (n >= 1 || u.pathname.startsWith("/api/") || u.pathname.startsWith("/static/")) {
          const res = await context.request.get(target);
          fetched++;
          if (res.status() !== 200) bad.push(`${target}: ${res.status()}`);
          await res.dispose();
          continue;
        }
        const res = await page.goto(target);
        visited++;
        if (res?.status() !== 200) bad.push(`${target}: ${res?.status()}`);
        if (!(res?.headers()["content-type"] ?? "").startsWith("text/html")) continue;
        // A string: it runs in the page, where the DOM is (Deno's checker has no DOM types).
        const hrefs: string[] = await page.evaluate(
          "[...document.querySelectorAll('a[href], link[href]')].map((a) => a.href)",
        );
        for (const h of hrefs) {
          const u = new URL(h);
          u.hash = "";
          if (u.origin !== url || seen.has(u.href)) continue;
          seen.add(u.href);
          queue.push(u.href);
        }
      }
      assert.deepEqual(bad, [], `every link answers 200 (${visited} opened, ${fetched} fetched)`);
      assert.deepEqual(errors, []);
      assert.ok(visited > 20 && fetched > 100, `${visited} pages opened, ${fetched} fetched`);
      for (const r of ["/etl?", "/ta?", "/numbers?", "/tracks?"]) assert.ok(perRoute.has(r), `${r} opened`);
      await context.close();
    } finally {
      await browser.close();
      await server.shutdown();
      kv.close();
    }
  },
});
