import assert from "node:assert/strict";
import { createApp } from "@/app.ts";
import { applyLiveBatch } from "@/kv/live/state.ts";
import { taConfig } from "@/tests/ta/_ta.ts";

const NOW = new Date("2026-01-05T12:00:00Z");

async function withLive(kv: Deno.Kv, endedAt = false): Promise<void> {
  const at = NOW.getTime() - 60_000;
  const events = [
    {
      seq: 1,
      at,
      type: "session",
      isNew: true,
      track: "ks_vallelunga",
      layout: "club_circuit",
      name: "Qualify",
      sessionType: 2,
      serverName: "Podium TA",
      elapsedMs: 0,
    },
    {
      seq: 2,
      at,
      type: "connect",
      carId: 0,
      driver: "Al <b>\u202E",
      guid: "7656",
      model: "ks_mazda_mx5_cup",
    },
    { seq: 3, at: at + 1000, type: "lap", carId: 0, lapMs: 95_123, cuts: 0, board: [] },
    { seq: 4, at: at + 2000, type: "lap", carId: 0, lapMs: 94_000, cuts: 3, board: [] },
  ];
  if (endedAt) events.push({ seq: 5, at: at + 3000, type: "end", resultsFile: "x.json" } as never);
  await applyLiveBatch(kv, "ac-ta", { stream: "s", sentAt: at, events, done: [] }, {
    now: NOW,
    announce: false,
  });
}

Deno.test("/live/<server> shows the running session and the cars, escaped, with its script allowed by the CSP", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const app = createApp({ kv, config: taConfig(), now: () => NOW });
    const empty = await app.request("/live/ac-ta");
    assert.equal(empty.status, 200);
    assert.match(await empty.text(), /No session seen yet/);
    assert.equal((await app.request("/live/nobody")).status, 404);
    await withLive(kv);
    const res = await app.request("/live/ac-ta");
    const html = await res.text();
    assert.match(html, /Qualifying \(Qualify\) at Vallelunga Club/);
    assert.match(html, /Al &lt;b&gt;<\/a>/); // escaped, and the bidi override is gone
    assert.ok(!html.includes("\u202E"));
    assert.match(html, /1:35\.123/);
    assert.match(html, /Mazda MX-5 Cup/); // the content's display name
    assert.match(html, /1:34\.000 \(3 cuts\)/);
    const src = /<script src="(\/static\/live\.[0-9a-f]+\.js)" defer><\/script>/.exec(html)?.[1];
    assert.ok(src, "the live script is linked");
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /default-src 'none'/);
    const other = (await app.request("/tracks")).headers.get("content-security-policy") ?? "";
    assert.doesNotMatch(other, /script-src/);
    const js = await app.request(src);
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type") ?? "", /javascript/);
    assert.match(await js.text(), /\/api\/live\//);
  } finally {
    kv.close();
  }
});

Deno.test("the home page links the live page while a session runs, not after it ends", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const app = createApp({ kv, config: taConfig(), now: () => NOW });
    assert.doesNotMatch(await (await app.request("/")).text(), /Live now/);
    await withLive(kv);
    const home = await (await app.request("/")).text();
    assert.match(home, /<a href="\/live\/ac-ta">Podium TA: Qualifying at Vallelunga Club<\/a>/);
    await kv.delete(["live", "ac-ta"]);
    await withLive(kv, true);
    assert.doesNotMatch(await (await app.request("/")).text(), /Live now/);
  } finally {
    kv.close();
  }
});
