/**
 * Podium against Slomix's own parser output on every real sample (tests/etl/slomix_reference.json:
 * the fields these tests compare, as Slomix's parser printed them when run on our machine the way
 * shared/docs/etl-format.md section 11 describes; no Slomix code is kept here). Where Podium deliberately differs, the test says
 * so and checks that the difference is exactly the documented one.
 */
import assert from "node:assert/strict";
import type { EtlPlayerRound } from "@/games/etl/stats.ts";
import { allRounds } from "@/kv/etl/rounds.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { etlSampleNames, importSamples, parseSample, shuffled } from "@/tests/etl/_etl.ts";

interface RefPlayer {
  name: string;
  kills: number;
  deaths: number;
  damage_given: number;
  damage_received: number;
  headshots: number;
  time_played_seconds: number;
  shots_total: number;
  hits_total: number;
  gibs: number;
  xp: number;
  revives_given: number;
  tank_meatshield: number;
  reset_fallback: boolean;
}
type RefFile =
  | { success: false; error: string }
  | {
    success: true;
    round: number;
    orphan: boolean;
    differential: boolean;
    r1: string | null;
    players: Record<string, RefPlayer>;
  };

const REF: Record<string, RefFile> = JSON.parse(
  Deno.readTextFileSync(new URL("./slomix_reference.json", import.meta.url)),
);

sampleTest(
  "every sample against Slomix's parser: same rounds, pairs, orphans and per-player counts",
  async () => {
    const kv = await Deno.openKv(":memory:");
    try {
      // Imported in a random order: Slomix reads the files with all R1s beside them.
      await importSamples(kv, shuffled(etlSampleNames(), 2024));
      const byFile = new Map((await allRounds(kv)).map((r) => [r.fileName, r]));
      assert.equal(Object.keys(REF).length, 97);
      let players = 0, timeOffByOne = 0, renamed = 0;
      for (const [file, ref] of Object.entries(REF)) {
        const r = byFile.get(file);
        if (!ref.success) {
          assert.equal(ref.error, "insufficient lines");
          assert.equal(r, undefined, `${file}: Slomix fails it, Podium rejects it`);
          continue;
        }
        assert.ok(r, file);
        assert.equal(r.round, ref.round, file);
        assert.equal(r.status === "orphan", ref.orphan, `${file} orphan`);
        assert.equal(r.status === "paired", ref.differential, `${file} differential`);
        if (ref.differential) assert.equal(byFile.get(ref.r1!)?.id, r.r1Id!, `${file} pairs with ${ref.r1}`);
        const mine = new Map<string, EtlPlayerRound>(r.players.map((p) => [p.guid, p]));
        assert.equal(mine.size, Object.keys(ref.players).length, file);
        const raw = new Map(parseSample(file).players.map((p) => [p.guid, p]));
        for (const [guid, want] of Object.entries(ref.players)) {
          const got = mine.get(guid)!;
          players++;
          const at = `${file} ${guid}`;
          assert.ok(got, at);
          assert.equal(got.kills, want.kills, `${at} kills`);
          assert.equal(got.deaths, want.deaths, `${at} deaths`);
          assert.equal(got.damageGiven, want.damage_given, `${at} damage given`);
          assert.equal(got.damageReceived, want.damage_received, `${at} damage received`);
          assert.equal(got.headshots, want.headshots, `${at} head hits`);
          assert.equal(got.gibs, want.gibs, `${at} gibs`);
          assert.equal(got.xp, want.xp, `${at} xp`);
          assert.equal(got.revivesGiven, want.revives_given, `${at} revives`);
          assert.equal(!!got.resetFallback, want.reset_fallback, `${at} reset fallback`);
          const hits = got.weapons.reduce((n, w) => n + w[1], 0),
            shots = got.weapons.reduce((n, w) => n + w[2], 0);
          assert.deepEqual([hits, shots], [want.hits_total, want.shots_total], `${at} hits/shots`);
          // Deliberate difference 1: time played is rounded; Slomix truncates the float (4.1*60 = 245.99… → 245).
          if (got.timePlayedS !== want.time_played_seconds) {
            assert.equal(got.timePlayedS, want.time_played_seconds + 1, `${at} time played`);
            // f22 has 0.1-minute resolution: a true time is a multiple of 6 s, Slomix's is not.
            assert.equal(got.timePlayedS % 6, 0, at);
            timeOffByOne++;
          }
          // Deliberate difference 2: f23 is per round; Slomix subtracts R1's in a differential (its bug).
          if (r.status !== "paired" || got.resetFallback || got.onlyInR2) {
            assert.equal(got.tankMeatshield, want.tank_meatshield, `${at} f23`);
          } else assert.equal(got.tankMeatshield, raw.get(guid)!.f[23], `${at} f23 copied from R2`);
          // Deliberate difference 3: colour codes by ET's rule; Slomix leaves ^/, ^? and friends.
          if (got.name !== want.name) {
            assert.equal(want.name.replace(/\^[^^]/g, ""), got.name, `${at} name`);
            renamed++;
          }
        }
      }
      assert.ok(players > 500, String(players));
      // Every player of 8 differentials (the doc counts the rounds): 47 player-rounds.
      assert.equal(timeOffByOne, 47);
      assert.ok(renamed > 0, "the ^/ names differ");
    } finally {
      kv.close();
    }
  },
);
