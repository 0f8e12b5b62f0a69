/**
 * The ET:Legacy pages in Debian's Chromium: each loads with its h1 and no console errors under the
 * real CSP, has no horizontal scroll at 375 px, and axe-core finds no serious or critical
 * violation (coloured names included). Skipped loudly without /usr/bin/chromium; failing instead
 * with PODIUM_REQUIRE_BROWSER=1. Over the real samples when they are there, else over the
 * generated month (fixtures/etl_month.ts), as on a fresh clone.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Browser } from "playwright-core";
import { hasChromium, launch, serve } from "@/tests/site/_browser.ts";
import { testApp } from "@/tests/_app.ts";
import { samplesAvailable } from "@/tests/_samples.ts";
import { etlSampleNames, importSamples } from "@/tests/etl/_etl.ts";
import { biggestSession, importMonth, MONTH, pairedR2, roundIdOf } from "@/tests/etl/_month.ts";

const REQUIRED = Deno.env.get("PODIUM_REQUIRE_BROWSER") === "1";
const AVAILABLE = hasChromium();
if (!AVAILABLE && !REQUIRED) {
  console.warn(
    "\n!!! SKIPPED: the ET:Legacy browser test needs /usr/bin/chromium; PODIUM_REQUIRE_BROWSER=1 fails instead !!!\n",
  );
}

const PAGES = samplesAvailable
  ? [
    { path: "/etl", h1: "Sessions" },
    { path: "/etl/sessions/2025-10-19-212643", h1: "Session 2025-10-19" },
    { path: "/etl/rounds/2025-10-20-214539-etl_adlernest-r2", h1: "etl_adlernest, round 2" },
    { path: "/etl/players/2B5938F5", h1: "bronze." },
    { path: "/etl/leaderboards?metric=dpm", h1: "DPM" },
  ]
  : [
    { path: "/etl", h1: "Sessions" },
    { path: `/etl/sessions/${biggestSession().id}`, h1: `Session ${biggestSession().id.slice(0, 10)}` },
    {
      path: `/etl/rounds/${roundIdOf(pairedR2())}`,
      h1: `${pairedR2().name.slice(18).replace(/-round-2\.txt$/, "")}, round 2`,
    },
    { path: `/etl/players/${MONTH.regulars[1]!.guid}`, h1: MONTH.regulars[1]!.name },
    { path: "/etl/leaderboards?metric=dpm", h1: "DPM" },
  ];

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
  name: "The ET:Legacy pages in Chromium: content, no console errors, phones, axe-core",
  ignore: !AVAILABLE && !REQUIRED,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    assert.ok(
      AVAILABLE,
      "PODIUM_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing: apt-get install -y chromium",
    );
    const kv = await Deno.openKv(":memory:");
    if (samplesAvailable) await importSamples(kv, etlSampleNames());
    else await importMonth(kv);
    const { url, server } = serve(testApp(kv).fetch);
    const browser = await launch();
    try {
      for (const p of PAGES) {
        const desk = await open(browser, url + p.path, 1280);
        assert.equal(desk.status, 200, p.path);
        assert.match(
          (await desk.page.locator("h1").textContent()) ?? "",
          new RegExp(p.h1.replace(".", "\\.")),
          p.path,
        );
        assert.deepEqual(desk.errors, [], `${p.path}: console errors`);
        await desk.close();
        const phone = await open(browser, url + p.path, 375);
        const { scroll, width } = await phone.page.evaluate(
          "({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })",
        ) as { scroll: number; width: number };
        assert.ok(scroll <= width, `${p.path}: ${scroll} px wide in a ${width} px viewport`);
        await phone.close();
        const a = await open(browser, url + p.path, 1280, true);
        await a.page.addScriptTag({ content: axe.source });
        const violations = await a.page.evaluate(`axe.run(document).then((r) => r.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => v.id + ": " + v.help + " (" + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ") + ")"))`);
        assert.deepEqual(violations, [], p.path);
        await a.close();
      }
    } finally {
      await browser.close();
      await server.shutdown();
      kv.close();
    }
  },
});
