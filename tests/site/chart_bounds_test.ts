import assert from "node:assert/strict";
import { LineChart, MAX_TICKS, niceStep, ticks } from "@/routes/site/_svg_chart.tsx";
import { lapTick, lapTime } from "@/routes/site/_format.ts";

Deno.test("ticks() draws at most MAX_TICKS whatever the span and step", () => {
  assert.ok(ticks(-1_530_494_976, 2 ** 31, 500).length <= MAX_TICKS + 1);
  assert.deepEqual(ticks(0, Infinity, 100), []);
  assert.deepEqual(ticks(0, 100, 0), []);
  assert.equal(niceStep(2 ** 31, 5, [100, 250, 500, 1000]) >= 2 ** 31 / 5, true, "past the listed steps");
});

Deno.test("LineChart() of a 2^31 ms lap draws a bounded number of grid lines", async () => {
  const svg = String(
    await LineChart({
      id: "c",
      title: "Lap times",
      description: "One impossible lap",
      series: [{ name: "A", points: [{ x: 1, y: 100_000 }, { x: 2, y: 2 ** 31 }, { x: 3, y: -5000 }] }],
      x: { label: "Lap", format: String },
      y: { label: "Time", format: lapTime, tick: lapTick, steps: [100, 250, 500, 1000, 2000, 5000] },
    }),
  );
  const grid = /<g class="grid">(.*?)<\/g>/s.exec(svg)![1]!;
  const lines = grid.match(/<line/g)?.length ?? 0;
  assert.ok(lines > 0 && lines <= MAX_TICKS + 1, `${lines} grid lines`);
  assert.ok(svg.length < 20_000, `${svg.length} bytes`);
});
