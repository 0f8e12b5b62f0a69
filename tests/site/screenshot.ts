/**
 * `deno run -A tests/site/screenshot.ts OUT.png`: the demo league's home page in Debian's Chromium,
 * 1100 × 760 px, for README's picture (docs/img/home.png).
 */
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";
import { demoConfig, fillDemo } from "@/fixtures/demo_league.ts";
import { launch, serve } from "@/tests/site/_browser.ts";

const out = Deno.args[0];
if (!out) {
  console.error("Usage: deno run -A tests/site/screenshot.ts OUT.png");
  Deno.exit(2);
}
const now = new Date();
await using kv = await Deno.openKv(":memory:");
const config = demoConfig(loadConfig((n) => (n === "PODIUM_KV" ? ":memory:" : undefined)), now);
await fillDemo(kv, config, now);
const { url, server } = serve(createApp({ kv, config, now: () => now }).fetch);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await page.goto(`${url}/`);
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
  await server.shutdown();
}
