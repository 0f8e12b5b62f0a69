/**
 * Charts as PNG where the renderer can run, nothing where it cannot. lib/png.ts imports resvg's
 * WebAssembly (`import source`) and its font (`with { type: "bytes" }`); a runtime without those
 * imports (a Deno without `raw-imports`, a host that refuses them) fails when the module loads.
 * The module is loaded here dynamically, inside a try: a failure gives null (the caller posts text
 * instead of the image) and is logged once per process, with the reason.
 */

/** What lib/png.ts exports, as the loader gives it. */
export interface PngModule {
  svgToPng(svg: string): Promise<Uint8Array>;
}

/** A renderer with its own loader and its own "logged once" memory. */
export interface ChartPng {
  /** The SVG as PNG bytes, or null when the renderer cannot load or render here. */
  render(svg: string): Promise<Uint8Array | null>;
}

/** A renderer loading lib/png.ts through `load` (tests pass a failing one). */
export function chartPng(
  load: () => Promise<PngModule> = () => import("./png.ts"),
  log: (msg: string) => void = console.warn,
): ChartPng {
  let logged = false;
  return {
    async render(svg) {
      try {
        return await (await load()).svgToPng(svg);
      } catch (err) {
        if (!logged) {
          logged = true;
          log(
            `Charts: cannot render PNG here (${(err as Error).message.split("\n")[0]}); ` +
              "posts carry the chart as text instead",
          );
        }
        return null;
      }
    },
  };
}

/** The app's renderer (logs once per process). */
export const CHART_PNG: ChartPng = chartPng();
