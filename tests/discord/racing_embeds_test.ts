import assert from "node:assert/strict";
import { pager, pbEmbed, recordLine, recordsEmbed, sectorBreakdown } from "@/discord/racing/embeds.ts";
import type { RecordLine } from "@/kv/racing/records.ts";

const line = (rank: number, lapMs: number, name: string): RecordLine => ({
  rank,
  lapMs,
  lap: "",
  driver: { id: `d${rank}`, name },
  car: { model: "30", name: "BMW M4 GT3", class: "GT3" },
  sessionId: "s",
  setAt: "2026-01-05T12:00:00.000Z",
  splitsMs: [],
});

Deno.test("sectorBreakdown() gaps each sector to the record and names strongest and weakest", () => {
  const s = sectorBreakdown([23_005, 35_987, 51_180], [23_050, 35_864, 51_091]);
  assert.deepEqual(s.lines, ["S1: 23.005 (-0.045) ✅", "S2: 35.987 (+0.123)", "S3: 51.180 (+0.089)"]);
  assert.deepEqual(s.strongest, { sector: 1, gapMs: -45 });
  assert.deepEqual(s.weakest, { sector: 2, gapMs: 123 });
  assert.deepEqual(sectorBreakdown([], [1]).strongest, null);
});

Deno.test("recordLine(): medal, bold leader, gap, escaped name, Discord timestamp", () => {
  assert.equal(
    recordLine(line(1, 102_123, "Mokey_Bytes"), 102_123),
    "🥇 **1:42.123** — Mokey\\_Bytes (BMW M4 GT3) • <t:1767614400:f>",
  );
  assert.equal(
    recordLine(line(4, 102_456, "@here"), 102_123),
    "4. 1:42.456 (+0.333) — @here (BMW M4 GT3) • <t:1767614400:f>",
  );
});

Deno.test("pager() carries the state in custom_ids, unique, disabled at the ends", () => {
  assert.deepEqual(pager("rec", (p) => `x|${p}`, 0, 1), []);
  const [row] = pager("rec", (p) => `x|${p}`, 0, 3);
  const ids = row!.components.map((c) => "custom_id" in c ? c.custom_id : "");
  assert.deepEqual(ids, ["rec:x|-1", "rec:x|0#", "rec:x|1"]);
  assert.equal(new Set(ids).size, 3);
  assert.equal((row!.components[0] as { disabled: boolean }).disabled, true);
  assert.deepEqual(pager("rec", (p) => `${"x".repeat(95)}|${p}`, 0, 3), []);
});

Deno.test("recordsEmbed() and pbEmbed() build plain embeds", () => {
  const m = recordsEmbed({
    name: "Barcelona",
    game: "acc",
    cls: "GT3",
    boards: [{ kind: "Q", entries: [line(1, 102_123, "A")], of: 1 }, { kind: "R", entries: [], of: 0 }],
  });
  assert.equal(m.embeds![0]!.title, "🏆 Track Records: Barcelona (ACC, GT3)");
  assert.equal(m.embeds![0]!.fields![1]!.value, "No laps yet");
  const pb = pbEmbed({ driverName: "*A*", trackName: "Spa", game: "ac", views: [] });
  assert.equal(pb.embeds![0]!.title, "🎯 Personal Best: \\*A\\*");
});
