/**
 * The time-attack pages in Debian's Chromium: visible content, no console errors under the real
 * CSP, no horizontal scroll on a 375 px phone, no serious or critical axe-core violation. Skipped,
 * loudly, without /usr/bin/chromium; failing instead with PODIUM_REQUIRE_BROWSER=1. Over the real
 * samples when they are there, else over the generated files of the same season (a fresh clone).
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Browser } from "playwright-core";
import { createApp } from "@/app.ts";
import { hasChromium, launch, serve } from "@/tests/site/_browser.ts";
import { samplesAvailable } from "@/tests/_samples.ts";
import { importFiles, seasonFixtures, seasonSamples, taConfig } from "@/tests/ta/_ta.ts";

const REQUIRED = Deno.env.get("PODIUM_REQUIRE_BROWSER") === "1";
const AVAILABLE = hasChromium();
if (!AVAILABLE && !REQUIRED) {
  console.warn(
    "\n!!! SKIPPED: the time-attack browser test needs /usr/bin/chromium; PODIUM_REQUIRE_BROWSER=1 fails instead !!!\n",
  );
}

const PAGES = ["/ta", "/ta/1/events/event2", "/ta/1/events/event5", "/ta/1/standings"];

async function open(browser: Browser, url: string, width: number, bypassCSP = false) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  const res = await page.goto(url);
  return { page, errors, status: res?.status() ?? 0, close: () => context.close() };
}

Deno.test({
  name: "The time-attack pages in Chromium: content, no console errors, phones, axe-core",
  // Over the real samples where they are, else over the same season's generated files.
  ignore: !AVAILABLE && !REQUIRED,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    assert.ok(
      AVAILABLE,
      "PODIUM_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing: apt-get install -y chromium",
    );
    const kv = await Deno.openKv(":memory:");
    const config = taConfig();
    await importFiles(kv, config, samplesAvailable ? seasonSamples() : seasonFixtures());
    const app = createApp({
      kv,
      config,
      now: () => new Date("2019-03-05T12:00:00Z"),
      discord: null,
      delivery: null,
    });
    const { url, server } = serve(app.fetch);
    const browser = await launch();
    try {
      for (const path of PAGES) {
        const desk = await open(browser, url + path, 1280);
        assert.equal(desk.status, 200, path);
        assert.ok(await desk.page.locator("h1").isVisible(), path);
        assert.deepEqual(desk.errors, [], `${path}: console errors`);
        await desk.close();
        const phone = await open(browser, url + path, 375);
        const { scroll, width } = await phone.page.evaluate(
          "({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })",
        ) as { scroll: number; width: number };
        assert.ok(scroll <= width, `${path}: ${scroll} px wide in a ${width} px viewport`);
        await phone.close();
        const a11y = await open(browser, url + path, 1280, true);
        await a11y.page.addScriptTag({ content: axe.source });
        const violations = await a11y.page.evaluate(`axe.run(document).then((r) => r.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => v.id + ": " + v.help + " (" + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ") + ")"))`);
        assert.deepEqual(violations, [], path);
        await a11y.close();
      }
    } finally {
      await browser.close();
      await server.shutdown();
      kv.close();
    }
  },
});
