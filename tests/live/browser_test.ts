/**
 * The live page in Debian's Chromium under the real CSP: its script refreshes the table from
 * /api/live (a lap applied after the page loaded shows up without a reload), no console errors.
 * Skipped, loudly, without /usr/bin/chromium; failing instead with PODIUM_REQUIRE_BROWSER=1.
 */
import assert from "node:assert/strict";
import { createApp } from "@/app.ts";
import { applyLiveBatch } from "@/kv/live/state.ts";
import { hasChromium, launch, serve } from "@/tests/site/_browser.ts";
import { taConfig } from "@/tests/ta/_ta.ts";

const REQUIRED = Deno.env.get("PODIUM_REQUIRE_BROWSER") === "1";
const AVAILABLE = hasChromium();
if (!AVAILABLE && !REQUIRED) {
  console.warn("\n!!! SKIPPED: the live page browser test needs /usr/bin/chromium !!!\n");
}

Deno.test({
  name: "The live page updates itself in Chromium under the page's CSP",
  ignore: !AVAILABLE && !REQUIRED,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    assert.ok(AVAILABLE, "PODIUM_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing");
    const kv = await Deno.openKv(":memory:");
    const { url, server } = serve(createApp({ kv, config: taConfig(), now: () => new Date() }).fetch);
    const browser = await launch();
    try {
      const at = Date.now();
      const batch = (events: Record<string, unknown>[]) =>
        applyLiveBatch(kv, "ac-ta", {
          stream: "s",
          sentAt: at,
          done: [],
          events: events as { seq: number; at: number; type: string }[],
        }, { now: new Date(), announce: false });
      await batch([
        {
          seq: 1,
          at,
          type: "session",
          isNew: true,
          track: "ks_vallelunga",
          layout: "club_circuit",
          name: "Practice",
          sessionType: 1,
          elapsedMs: 0,
        },
        {
          seq: 2,
          at,
          type: "connect",
          carId: 0,
          driver: "<img src=x onerror=alert(1)>",
          guid: "g1",
          model: "m",
        },
      ]);
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${url}/live/ac-ta`);
      assert.equal(await page.locator("#live-table tbody tr").count(), 1);
      await batch([{ seq: 3, at: at + 1, type: "lap", carId: 0, lapMs: 88_888, cuts: 0, board: [] }]);
      await page.locator("#live-table tbody td", { hasText: "1:28.888" }).first().waitFor({
        timeout: 10_000,
      });
      assert.match(await page.locator("#live-updated").innerText(), /Updates by itself/);
      assert.equal(await page.locator("#live-table tbody a").innerText(), "<img src=x onerror=alert(1)>");
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await browser.close();
      await server.shutdown();
      kv.close();
    }
  },
});
