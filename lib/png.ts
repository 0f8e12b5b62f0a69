/**
 * SVG to PNG, server-side, with resvg (WebAssembly): the module and the font are imported, not
 * fetched, so it runs the same on Deno Deploy as here. Text is drawn in Noto Sans (the only font
 * loaded; system fonts are never read).
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";
// @ts-types="./_resvg_wasm.d.ts"
import wasm from "./_resvg_wasm.js";
import font from "@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf" with { type: "bytes" };

let ready: Promise<void> | null = null;

/** Renders an SVG document to PNG bytes at its own size. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  ready ??= initWasm(wasm).catch((err) => {
    ready = null;
    throw err;
  });
  await ready;
  const r = new Resvg(svg, {
    fitTo: { mode: "original" },
    font: { fontBuffers: [font], defaultFontFamily: "Noto Sans", loadSystemFonts: false },
  });
  const img = r.render();
  const png = img.asPng();
  img.free();
  r.free();
  return png;
}
