import assert from "node:assert/strict";
import { LineChart, niceStep, ticks } from "@/routes/site/_svg_chart.tsx";
import { gap, lapTick, lapTime, raceTime, trackHref } from "@/routes/site/_format.ts";

Deno.test("lapTime() is always m:ss.mmm; gap() signs; lapTick() shortens to the step", () => {
  assert.equal(lapTime(102_123), "1:42.123");
  assert.equal(lapTime(59_999), "0:59.999");
  assert.equal(lapTime(600_005), "10:00.005");
  assert.equal(raceTime(3_723_004), "1:02:03.004");
  assert.equal(gap(234), "+0.234");
  assert.equal(gap(61_234), "+1:01.234");
  assert.equal(gap(-45), "-0.045");
  assert.equal(gap(0), "+0.000");
  assert.equal(lapTick(114_000, 2000), "1:54");
  assert.equal(lapTick(114_500, 500), "1:54.5");
  assert.equal(lapTick(114_250, 250), "1:54.25");
});

Deno.test("trackHref() keeps AC layouts readable and encodes the rest", () => {
  assert.equal(trackHref("acc", "monza"), "/tracks/acc/monza");
  assert.equal(trackHref("ac", "ks_vallelunga@club_circuit"), "/tracks/ac/ks_vallelunga@club_circuit");
  assert.equal(trackHref("ac", "a b/c"), "/tracks/ac/a%20b%2Fc");
  assert.equal(trackHref("acc", "spa", { kind: "R", cls: "GT4" }), "/tracks/acc/spa?kind=R&class=GT4");
});

Deno.test("niceStep() and ticks() give round steps", () => {
  assert.equal(niceStep(10, 5), 2);
  assert.equal(niceStep(7300, 5), 2000);
  assert.equal(niceStep(900, 5, [100, 250, 500]), 250);
  assert.deepEqual(ticks(105_300, 112_100, 2000), [106_000, 108_000, 110_000, 112_000]);
});

Deno.test("LineChart() draws a titled, labelled SVG with a line per series and marked points", async () => {
  const svg = await LineChart({
    id: "c",
    title: "Lap <times>",
    description: "Two drivers",
    series: [
      { name: "A <b>", points: [{ x: 1, y: 150_000, marked: true, note: "lap 1" }, { x: 2, y: 101_000 }] },
      { name: "B", points: [{ x: 1, y: 102_000 }, { x: 2, y: 100_500 }] },
    ],
    x: { label: "Lap", format: String, steps: [1, 2, 5] },
    y: { label: "Lap time", format: lapTime, tick: lapTick },
    yCap: 110_000,
  })!.toString();
  assert.match(svg, /<svg viewBox="0 0 720 300" role="img" aria-labelledby="c-title c-desc"/);
  assert.match(svg, /<title id="c-title">Lap &lt;times&gt;<\/title>/);
  assert.equal(svg.match(/<path d="M/g)?.length, 2);
  assert.match(svg, /<circle[^>]*class="marked"><title>A &lt;b&gt;, lap 1: 2:30\.000 \(lap 1\)<\/title>/);
  assert.match(svg, />1:41.0<\/text>/, "ticks in lap-time format, to the step");
  assert.match(svg, /<li><span class="swatch s1" aria-hidden="true"><\/span>B<\/li>/);
  assert.doesNotMatch(svg, /style=/, "colours come from the stylesheet (CSP)");
});
