/**
 * The Slomix comparisons of tests/etl/slomix_test.ts and store_test.ts on a generated month
 * (fixtures/etl_month.ts), whose generator prints what Slomix's parser would (doc §4-5, §7) for
 * every file: rounds, R1/R2 pairs, orphans, per-player counts and stopwatch scores, with the
 * real files' quirks (33/36/37 TAB fields, ^/ and ^? colour codes, orphan R2s, a reconnect).
 */
import assert from "node:assert/strict";
import { etlFormat } from "@/games/etl/parser.ts";
import { Importer } from "@/ingest/importer.ts";
import { allRounds } from "@/kv/etl/rounds.ts";
import type { SlomixFile } from "@/fixtures/etl_month.ts";
import { MONTH } from "@/tests/etl/_month.ts";
import { shuffled } from "@/tests/etl/_etl.ts";
import { checkStopwatch, compareWithSlomix } from "@/tests/etl/_slomix.ts";

const te = new TextEncoder();

async function imported(seed: number): Promise<Deno.Kv> {
  const kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
  for (const f of shuffled(MONTH.files, seed)) {
    await imp.importOne({ name: f.name, bytes: te.encode(f.text) });
  }
  return kv;
}

Deno.test("every generated month file against Slomix's rules: same rounds, pairs, orphans and per-player counts", async () => {
  using kv = await imported(2024);
  const ref: Record<string, SlomixFile> = Object.fromEntries(MONTH.files.map((f) => [f.name, f.slomix]));
  const rawOf = (file: string) => {
    const f = MONTH.files.find((x) => x.name === file)!;
    const out = etlFormat.parse(f.text, { name: f.name });
    if (out.status !== "etl") throw new Error(`${file}: ${out.status}`);
    return out.round;
  };
  const { players, timeOffByOne, renamed } = await compareWithSlomix(kv, ref, rawOf);
  const rows = MONTH.files.flatMap((f) => (f.slomix.success ? Object.entries(f.slomix.players) : []));
  assert.equal(players, rows.length);
  // Slomix truncates f22*60: a time that is not a multiple of 6 s is one second short.
  assert.equal(timeOffByOne, rows.filter(([, p]) => p.time_played_seconds % 6 !== 0).length);
  assert.ok(timeOffByOne > 0, "the generated month shows the truncation");
  const names = MONTH.files.flatMap((f) =>
    f.slomix.success ? Object.entries(f.slomix.players).map(([g, p]) => p.name !== f.names[g]) : []
  );
  assert.equal(renamed, names.filter(Boolean).length);
  assert.ok(renamed > 0, "the ^/ and ^? names differ");
  // The quirks are all there: old Lua builds, orphans (one bogus 71:05), a reset fallback, an R2-only player.
  assert.deepEqual([...new Set(MONTH.files.map((f) => f.tabFields))].sort(), [33, 36, 37, 38]);
  const stored = await allRounds(kv);
  assert.equal(stored.length, MONTH.files.length - 1, "all but the header-only file");
  assert.equal(stored.filter((r) => r.status === "orphan").length, 2);
  assert.ok(stored.some((r) => r.players.some((p) => p.resetFallback)));
  assert.ok(stored.some((r) => r.players.some((p) => p.onlyInR2)));
  assert.ok(MONTH.files.some((f) => f.text.includes("\\12:00\\71:05\n")));
});

Deno.test("stopwatch map results of the generated month match Slomix's rules on every scored pair (0-2, 2-0, double full holds)", async () => {
  using kv = await imported(11);
  const want = new Map(MONTH.files.filter((f) => f.score).map((f) => [f.name, f.score!]));
  const tally = await checkStopwatch(kv, want);
  const expected: Record<string, number> = {};
  for (const s of want.values()) expected[s.join("-")] = (expected[s.join("-")] ?? 0) + 1;
  assert.deepEqual(tally, expected);
  assert.equal(Object.values(tally).reduce((a, b) => a + b, 0), want.size, "every pair scored");
  assert.ok(tally["0-2"]! > 0 && tally["2-0"]! > 0 && tally["1-1"]! >= 2, JSON.stringify(tally));
});
