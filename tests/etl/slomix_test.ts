/**
 * Podium against Slomix's own parser output on every real sample (tests/etl/slomix_reference.json:
 * the fields these tests compare, as Slomix's parser printed them when run on our machine the way
 * shared/docs/etl-format.md section 11 describes; no Slomix code is kept here). Where Podium deliberately differs, the test says
 * so and checks that the difference is exactly the documented one.
 */
import assert from "node:assert/strict";
import type { SlomixFile } from "@/fixtures/etl_month.ts";
import { compareWithSlomix } from "@/tests/etl/_slomix.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { etlSampleNames, importSamples, parseSample, shuffled } from "@/tests/etl/_etl.ts";

const REF: Record<string, SlomixFile> = JSON.parse(
  Deno.readTextFileSync(new URL("./slomix_reference.json", import.meta.url)),
);

sampleTest(
  "every sample against Slomix's parser: same rounds, pairs, orphans and per-player counts",
  async () => {
    const kv = await Deno.openKv(":memory:");
    try {
      // Imported in a random order: Slomix reads the files with all R1s beside them.
      await importSamples(kv, shuffled(etlSampleNames(), 2024));
      assert.equal(Object.keys(REF).length, 97);
      const { players, timeOffByOne, renamed } = await compareWithSlomix(kv, REF, parseSample);
      assert.ok(players > 500, String(players));
      // Every player of 8 differentials (the doc counts the rounds): 47 player-rounds.
      assert.equal(timeOffByOne, 47);
      assert.ok(renamed > 0, "the ^/ names differ");
    } finally {
      kv.close();
    }
  },
);
