/**
 * The site in a real browser: Debian's Chromium driven by playwright-core. Every page loads with
 * its content visible and no console errors under the real CSP; a hostile driver name renders as
 * text; a 375 px phone viewport has no horizontal scroll; axe-core finds no serious or critical
 * violation. Skipped, loudly, when /usr/bin/chromium is absent; failing instead with
 * PODIUM_REQUIRE_BROWSER=1. With PODIUM_SCREENSHOTS=DIR every page is also saved as PNGs there.
 */
import assert from "node:assert/strict";
import { claimNumber } from "@/kv/numbers/claims.ts";
import { saveSettings } from "@/kv/numbers/settings.ts";
import axe from "axe-core";
import type { Browser, Page } from "playwright-core";
import { hasChromium, launch, serve } from "@/tests/site/_browser.ts";
import { HOSTILE, HOSTILE_NAME, leagueKv } from "@/tests/site/_league.ts";
import { testApp } from "@/tests/_app.ts";

const REQUIRED = Deno.env.get("PODIUM_REQUIRE_BROWSER") === "1";
const AVAILABLE = hasChromium();
const SHOTS = Deno.env.get("PODIUM_SCREENSHOTS");
if (!AVAILABLE && !REQUIRED) {
  console.warn(
    "\n!!! SKIPPED: the site's browser tests need Debian's Chromium at /usr/bin/chromium " +
      "(apt-get install -y chromium); set PODIUM_REQUIRE_BROWSER=1 to fail instead !!!\n",
  );
}

const NUMBERS_GUILD = "100000000000000001";

/** Car numbers for the numbers pages: one claim with a hostile display name. */
async function seedNumbers(kv: Deno.Kv): Promise<void> {
  const at = new Date("2026-01-05T12:00:00Z");
  await saveSettings(kv, NUMBERS_GUILD, { leagueId: 7058, maxPerMember: 2 }, "300000000000000003", at);
  await claimNumber(kv, {
    guildId: NUMBERS_GUILD,
    userId: "400000000000000001",
    number: "07",
    displayName: HOSTILE_NAME,
  }, at);
  await claimNumber(kv, {
    guildId: NUMBERS_GUILD,
    userId: "400000000000000002",
    number: "7",
    displayName: "Seven",
  }, at);
}

interface Target {
  name: string;
  path: string;
  status: number;
  /** Text the page's h1 must show. */
  h1?: string;
}

async function targets(base: string): Promise<Target[]> {
  const json = async (p: string) => await (await fetch(base + p)).json();
  const monzaR = await json("/api/records?game=acc&track=monza&kind=R&limit=1");
  const acTrack = (await json("/api/tracks")).find((t: { game: string }) => t.game === "ac");
  const driver = monzaR.entries[0].driver;
  return [
    { name: "home", path: "/", status: 200 },
    { name: "tracks", path: "/tracks", status: 200, h1: "Tracks" },
    { name: "track", path: "/tracks/acc/monza", status: 200, h1: "Monza" },
    { name: "track-race", path: "/tracks/acc/monza?kind=R", status: 200, h1: "Monza" },
    { name: "track-ac", path: `/tracks/ac/${acTrack.track}`, status: 200, h1: acTrack.name },
    { name: "driver", path: `/drivers/${driver.id}`, status: 200, h1: driver.name },
    { name: "driver-hostile", path: `/drivers/${HOSTILE.id}`, status: 200, h1: HOSTILE_NAME },
    { name: "session", path: `/sessions/${monzaR.entries[0].sessionId}`, status: 200, h1: "Monza: Race" },
    { name: "search", path: "/search?q=smi", status: 200, h1: "Results for" },
    { name: "not-found", path: "/tracks/acc/nowhere", status: 404, h1: "Not found" },
    { name: "numbers", path: "/numbers", status: 200, h1: "Car numbers" },
    {
      name: "numbers-league",
      path: `/numbers/${NUMBERS_GUILD}`,
      status: 200,
      h1: "Car numbers: iRacing league 7058",
    },
  ];
}

async function open(browser: Browser, url: string, opts: { width: number; bypassCSP?: boolean }) {
  const context = await browser.newContext({
    viewport: { width: opts.width, height: 900 },
    bypassCSP: opts.bypassCSP ?? false,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => {
    errors.push(`dialog opened: ${d.message()}`);
    d.dismiss();
  });
  const res = await page.goto(url);
  return { page, errors, status: res?.status() ?? 0, close: () => context.close() };
}

async function noHorizontalScroll(page: Page): Promise<{ scroll: number; width: number }> {
  // Strings: they run in the page, where the DOM is (Deno's type checker has no DOM types).
  return await page.evaluate("({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })");
}

Deno.test({
  name: "The site in Chromium: content, no console errors, escaping, phones, axe-core",
  ignore: !AVAILABLE && !REQUIRED,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    assert.ok(
      AVAILABLE,
      "PODIUM_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing: apt-get install -y chromium",
    );
    const kv = await leagueKv();
    await seedNumbers(kv);
    const empty = await Deno.openKv(":memory:");
    const { url, server } = serve(testApp(kv).fetch);
    const welcome = serve(testApp(empty).fetch);
    const browser = await launch();
    try {
      const pages = await targets(url);
      const all = [...pages, {
        name: "welcome",
        path: "/",
        status: 200,
        h1: "Welcome to Podium",
        base: welcome.url,
      }];
      if (SHOTS) await Deno.mkdir(SHOTS, { recursive: true });

      await t.step("every page loads with its h1 visible and no console errors", async () => {
        for (const p of all) {
          const base = "base" in p ? p.base : url;
          const { page, errors, status, close } = await open(browser, base + p.path, { width: 1280 });
          assert.equal(status, p.status, p.name);
          const h1 = page.locator("h1");
          assert.equal(await h1.count(), 1, `${p.name}: one h1`);
          assert.ok(await h1.isVisible(), `${p.name}: h1 visible`);
          if (p.h1) assert.match((await h1.textContent()) ?? "", new RegExp(escapeRe(p.h1)), p.name);
          assert.ok(await page.locator("main table, main section, main p").first().isVisible(), p.name);
          // A 404 page is reported by Chromium itself as a failed resource; nothing else may be.
          const real = errors.filter((e) => !(p.status === 404 && /status of 404/.test(e)));
          assert.deepEqual(real, [], `${p.name}: console errors`);
          if (SHOTS) await page.screenshot({ path: `${SHOTS}/${p.name}-desktop.png`, fullPage: true });
          await close();
        }
      });

      await t.step("a driver named <script> shows as text and runs nothing", async () => {
        const { page, errors, close } = await open(browser, `${url}/drivers/${HOSTILE.id}`, { width: 1280 });
        assert.equal(await page.locator("h1").textContent(), HOSTILE_NAME);
        assert.equal(await page.evaluate('document.querySelectorAll("script, b, img[src=x]").length'), 0);
        assert.deepEqual(errors, []);
        await close();
        const track = await open(browser, `${url}/tracks/acc/monza`, { width: 1280 });
        assert.ok(await track.page.getByText(HOSTILE_NAME).first().isVisible());
        await track.close();
      });

      await t.step("a 375 px phone viewport has no horizontal scroll", async () => {
        for (const p of all) {
          const base = "base" in p ? p.base : url;
          const { page, close } = await open(browser, base + p.path, { width: 375 });
          const { scroll, width } = await noHorizontalScroll(page);
          assert.ok(scroll <= width, `${p.name}: page is ${scroll} px wide in a ${width} px viewport`);
          if (SHOTS) await page.screenshot({ path: `${SHOTS}/${p.name}-phone.png`, fullPage: true });
          await close();
        }
      });

      await t.step("axe-core finds no serious or critical violation on any page", async () => {
        for (const p of all) {
          const base = "base" in p ? p.base : url;
          // axe is injected as a script, which the page's own CSP rightly forbids.
          const { page, close } = await open(browser, base + p.path, { width: 1280, bypassCSP: true });
          await page.addScriptTag({ content: axe.source });
          const violations = await page.evaluate(`axe.run(document).then((r) => r.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => v.id + ": " + v.help + " (" + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ") + ")"))`);
          assert.deepEqual(violations, [], p.name);
          await close();
        }
      });
    } finally {
      await browser.close();
      await server.shutdown();
      await welcome.server.shutdown();
      kv.close();
      empty.close();
    }
  },
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
