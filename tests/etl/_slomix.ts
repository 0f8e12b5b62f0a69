/**
 * The comparison with Slomix's parser output (the shape of tests/etl/slomix_reference.json), shared
 * by the test on the real samples and its twin on the generated month (fixtures/etl_month.ts).
 * Where Podium deliberately differs, it checks that the difference is exactly the documented one.
 */
import assert from "node:assert/strict";
import type { EtlRound } from "@/games/etl/parser.ts";
import type { EtlPlayerRound } from "@/games/etl/stats.ts";
import { allRounds } from "@/kv/etl/rounds.ts";
import { listSessions, loadSession } from "@/kv/etl/sessions.ts";
import type { SlomixFile } from "@/fixtures/etl_month.ts";

/** What the comparison saw: player rows, and rows differing from Slomix's on purpose. */
export interface SlomixComparison {
  players: number;
  timeOffByOne: number;
  renamed: number;
}

/**
 * Compares every stored round with Slomix's output for its file: round, orphan, pairing, and per
 * player counts. `rawOf` parses a file again (the R2 line as written, for f23).
 */
export async function compareWithSlomix(
  kv: Deno.Kv,
  ref: Record<string, SlomixFile>,
  rawOf: (file: string) => EtlRound,
): Promise<SlomixComparison> {
  const byFile = new Map((await allRounds(kv)).map((r) => [r.fileName, r]));
  let players = 0, timeOffByOne = 0, renamed = 0;
  for (const [file, ref1] of Object.entries(ref)) {
    const r = byFile.get(file);
    if (!ref1.success) {
      assert.equal(ref1.error, "insufficient lines");
      assert.equal(r, undefined, `${file}: Slomix fails it, Podium rejects it`);
      continue;
    }
    assert.ok(r, file);
    assert.equal(r.round, ref1.round, file);
    assert.equal(r.status === "orphan", ref1.orphan, `${file} orphan`);
    assert.equal(r.status === "paired", ref1.differential, `${file} differential`);
    if (ref1.differential) assert.equal(byFile.get(ref1.r1!)?.id, r.r1Id!, `${file} pairs with ${ref1.r1}`);
    const mine = new Map<string, EtlPlayerRound>(r.players.map((p) => [p.guid, p]));
    assert.equal(mine.size, Object.keys(ref1.players).length, file);
    const raw = new Map(rawOf(file).players.map((p) => [p.guid, p]));
    for (const [guid, want] of Object.entries(ref1.players)) {
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
  return { players, timeOffByOne, renamed };
}

/**
 * Checks every scored map of every session against the expected score of its R2 file
 * ([R1 attackers, R2 attackers]) and returns the tally by score ("0-2": n, ...).
 */
export async function checkStopwatch(
  kv: Deno.Kv,
  want: Map<string, [number, number]>,
): Promise<Record<string, number>> {
  const tally: Record<string, number> = {};
  for (const s of await listSessions(kv)) {
    const detail = await loadSession(kv, s);
    for (const m of detail.maps) {
      if (!m.result) continue;
      const got: [number, number] = [m.result.r1AttackersPoints, m.result.r2AttackersPoints];
      assert.deepEqual(got, want.get(m.r2!.fileName), m.r2!.fileName);
      tally[got.join("-")] = (tally[got.join("-")] ?? 0) + 1;
    }
  }
  return tally;
}
