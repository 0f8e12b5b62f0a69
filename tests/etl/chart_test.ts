import assert from "node:assert/strict";
import { barChartSize, barChartSvg, sideBySideSize } from "@/lib/bar_chart.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { listSessions } from "@/kv/etl/sessions.ts";
import { getSessionView } from "@/kv/etl/views.ts";
import { sessionChartsSvg, sessionDpmChart, sessionKdChart } from "@/discord/et/session_chart.ts";
import { trendsChartSvg } from "@/discord/et/more.ts";
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
