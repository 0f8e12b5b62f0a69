import assert from "node:assert/strict";
import { barChartSize, barChartSvg, escapeXml, sideBySideSize } from "@/lib/bar_chart.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { listSessions } from "@/kv/etl/sessions.ts";
import { getSessionView } from "@/kv/etl/views.ts";
import { sessionChartsSvg, sessionDpmChart, sessionKdChart } from "@/discord/et/session_chart.ts";
import { etTrendsWithChart, trendsChartSvg } from "@/discord/et/more.ts";
import { svgToPng } from "@/lib/png.ts";

/** Decodes a PNG far enough to prove it is one: signature, chunks with CRCs, IHDR, inflated pixel rows. */
async function decodePng(
  png: Uint8Array,
): Promise<{ width: number; height: number; depth: number; color: number }> {
  assert.deepEqual([...png.slice(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8, ihdr: { width: number; height: number; depth: number; color: number } | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (at < png.length) {
    const len = view.getUint32(at), type = new TextDecoder().decode(png.slice(at + 4, at + 8));
    const data = png.slice(at + 8, at + 8 + len);
    if (type === "IHDR") {
      ihdr = {
        width: view.getUint32(at + 8),
        height: view.getUint32(at + 12),
        depth: data[8]!,
        color: data[9]!,
      };
    }
    if (type === "IDAT") idat.push(data);
    if (type === "IEND") ended = true;
    at += 12 + len;
  }
  assert.ok(ihdr && ended, "IHDR and IEND");
  const joined = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of idat) joined.set(c, (o += c.length) - c.length);
  const raw = new Uint8Array(
    await new Response(new Blob([joined]).stream().pipeThrough(new DecompressionStream("deflate")))
      .arrayBuffer(),
  );
  const channels = ({ 2: 3, 6: 4, 0: 1, 4: 2 } as Record<number, number>)[ihdr.color]!;
  assert.equal(
    raw.length,
    ihdr.height * (1 + (ihdr.width * channels * ihdr.depth) / 8),
    "one filter byte + pixels per row",
  );
  return ihdr;
}

Deno.test("svgToPng() renders the session chart's SVG to a PNG of the chart's size, names escaped", async () => {
  const bars = [
    { label: "bronze.", value: 412.3 },
    { label: "<script>alert(1)</script>", value: 301 },
    { label: "^1Super^7Boyy & co", value: 120 },
  ];
  const svg = barChartSvg({ title: "DPM · 2025-10-20", bars });
  assert.ok(!svg.includes("<script>"));
  assert.match(svg, /&lt;script&gt;/);
  const png = await svgToPng(svg);
  const { width, height } = barChartSize(bars.length);
  const ihdr = await decodePng(png);
  assert.deepEqual([ihdr.width, ihdr.height], [width, height]);
  assert.deepEqual([width, height], [640, 130]);
  // The font is loaded: text makes the image larger than the same chart without labels.
  const blank = await svgToPng(barChartSvg({ title: "", bars: bars.map((b) => ({ ...b, label: "" })) }));
  assert.ok(png.length > blank.length + 500, `${png.length} vs ${blank.length}`);
});

Deno.test("the session summary's image: DPM and K/D side by side, one PNG of both charts' size", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
    for (const f of generateEtlFiles(6, { seed: 3, players: 8, perRound: 4 })) {
      await imp.importOne({ name: f.name, bytes: new TextEncoder().encode(f.text) });
    }
    const s = (await getSessionView(kv, (await listSessions(kv)).at(-1)!.id))!;
    const n = Math.min(16, s.players.length);
    const svg = sessionChartsSvg(s);
    assert.match(svg, /DPM per player/);
    assert.match(svg, /K\/D per player/);
    const ihdr = await decodePng(await svgToPng(svg));
    const one = barChartSize(n);
    assert.deepEqual([ihdr.width, ihdr.height], [one.width * 2, one.height]);
    assert.deepEqual(sideBySideSize([sessionDpmChart(s), sessionKdChart(s)]), {
      width: one.width * 2,
      height: one.height,
    });
    // The K/D chart writes two decimals; its best bar is the session's best K/D.
    const best = Math.max(...s.players.map((p) => p.metrics.kd ?? 0));
    assert.ok(svg.includes(`>${best.toFixed(2)}</text>`), "best K/D written");
    // The trends chart too: two charts, one image.
    const pts = [{ sessionId: "2025-10-20-1", dpm: 300, kd: 1.5 }, {
      sessionId: "2025-10-21-1",
      dpm: 250,
      kd: 0.9,
    }];
    const t = await decodePng(await svgToPng(trendsChartSvg("<b>x</b>", pts)));
    assert.deepEqual([t.width, t.height], [barChartSize(2).width * 2, barChartSize(2).height]);
  } finally {
    kv.close();
  }
});

/** A name as a game file may hold it: markup, an entity, a bidi override, NUL and a bell. */
const HOSTILE = "<b>&amp; x</b>\u202Eevil\u0000nul\u0007";
/** The same without the NUL and the bell, which the importer refuses in a file. */
const HOSTILE_FILE = "<b>&amp; x</b>\u202Eevil";

Deno.test("the trends chart draws a hostile player name cleaned and escaped, and still renders", async () => {
  const pts = [{ sessionId: "2025-10-20-1", dpm: 300, kd: 1.5 }, {
    sessionId: "2025-10-21-1",
    dpm: 250,
    kd: 0.9,
  }];
  const svg = trendsChartSvg(HOSTILE, pts);
  // deno-lint-ignore no-control-regex
  assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u202E]/.test(svg), "no NUL, control or bidi character");
  assert.ok(!svg.includes("<b>"), "markup escaped");
  assert.ok(svg.includes(">&lt;b&gt;&amp;amp; x&lt;/b&gt;evilnul: DPM per session</text>"), "title drawn");
  assert.ok(svg.includes('aria-label="&lt;b&gt;&amp;amp; x&lt;/b&gt;evilnul: DPM'), "attribute escaped");
  const t = await decodePng(await svgToPng(svg));
  assert.deepEqual([t.width, t.height], [barChartSize(2).width * 2, barChartSize(2).height]);
  // Labels and the value text of any chart go the same way.
  const bar = barChartSvg({
    title: HOSTILE,
    bars: [{ label: HOSTILE, value: 1 }],
    format: () => "\u0000<1>",
  });
  assert.ok(!bar.includes("\u0000") && !bar.includes("\u202E") && bar.includes(">&lt;1&gt;</text>"));
  await decodePng(await svgToPng(bar));
  // escapeXml() alone: always well-formed, lone surrogates and U+FFFF dropped.
  assert.equal(escapeXml("a\u0000<\uD800'\"\uFFFF>\t"), "a&lt;&#39;&quot;&gt;\t");
});

Deno.test("/et trends: the PNG of a player with a hostile name from the files", async () => {
  await using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
  const files = [...generateEtlFiles(4, { seed: 3, players: 6, perRound: 6 })];
  const guid = /\n([0-9A-F]{8})\\/.exec(files[0]!.text)![1]!;
  for (const f of files) {
    const text = f.text.replaceAll(new RegExp(`(\n${guid}\\\\)[^\\\\]*`, "g"), `$1${HOSTILE_FILE}`);
    const r = await imp.importOne({ name: f.name, bytes: new TextEncoder().encode(text) });
    assert.equal(r.status, "imported", r.reason);
  }
  const m = await etTrendsWithChart(kv, guid);
  assert.ok(m.embeds?.[0]?.title?.includes("evil"), JSON.stringify(m.embeds));
  const png = m.files?.[0];
  assert.ok(png, "the chart is attached");
  assert.equal(png.name, "trends.png");
  await decodePng(png.data);
});
