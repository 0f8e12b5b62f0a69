import assert from "node:assert/strict";
import { barChartSize, barChartSvg } from "@/lib/bar_chart.ts";
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
