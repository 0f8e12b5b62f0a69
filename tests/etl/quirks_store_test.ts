/**
 * ET:Legacy storage over the project's own files (three generated evenings and every quirk file,
 * fixtures/): the set-wide properties tests/etl/store_test.ts checks on the real samples.
 */
import assert from "node:assert/strict";
import { Importer, type ImportItem } from "@/ingest/importer.ts";
import { PREFIXES } from "@/kv/keys.ts";
import { allRounds } from "@/kv/etl/rounds.ts";
import { listSessions } from "@/kv/etl/sessions.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { etlQuirkFiles, etlQuirks } from "@/fixtures/etl_quirks.ts";
import { shuffled } from "@/tests/etl/_etl.ts";

const te = new TextEncoder();
const NOW = () => new Date("2026-01-05T12:00:00Z");
/** Three evenings of 4 maps (12 players), then the quirk files: 24 + 27 files. */
const FILES: ImportItem[] = [
  ...generateEtlFiles(24, {
    seed: 21,
    players: 30,
    start: new Date("2025-05-06T20:00:00Z"),
    mapsPerNight: 4,
    daysApart: 2,
  }),
  ...etlQuirkFiles(),
].map((f) => ({ name: f.name, bytes: te.encode(f.text) }));
const ORPHANS = [etlQuirks().bogusOrphan![0]!.name];

async function dump(kv: Deno.Kv): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const prefix of PREFIXES.etl) {
    for await (const e of kv.list({ prefix: [prefix] })) out.push([e.key, e.value]);
  }
  return out;
}

async function withImport<T>(
  files: ImportItem[],
  fn: (kv: Deno.Kv) => Promise<T>,
  groupSize = 1,
): Promise<T> {
  const kv = await Deno.openKv(":memory:");
  try {
    const imp = new Importer(kv, { announce: groupSize === 1, groupSize, now: NOW });
    if (groupSize === 1) { for (const f of files) await imp.importOne(f); }
    else await imp.importMany(files, () => {});
    return await fn(kv);
  } finally {
    kv.close();
  }
}

Deno.test("generated set in time order: every R2 paired but the orphan, the header-only file rejected", async () => {
  const sorted = [...FILES].sort((a, b) => a.name.localeCompare(b.name));
  await withImport(sorted, async (kv) => {
    const rounds = await allRounds(kv);
    assert.equal(rounds.length, FILES.length - 1, "all stored but the header-only file");
    const orphans = rounds.filter((r) => r.status === "orphan").map((r) => r.fileName);
    assert.deepEqual(orphans, ORPHANS);
    for (const r of rounds) {
      assert.equal(r.status, r.round === 1 ? "r1" : r.fileName === ORPHANS[0] ? "orphan" : "paired");
    }
    const again = await new Importer(kv, { announce: false, now: NOW }).importOne(sorted[0]!);
    assert.equal(again.status, "duplicate");
  });
});

Deno.test("generated set: R2s first, reversed, shuffled, and in group commits all store the same", async () => {
  const sorted = [...FILES].sort((a, b) => a.name.localeCompare(b.name));
  const reference = await withImport(sorted, dump);
  const r2First = [...sorted].sort((a, b) =>
    Number(b.name.includes("round-2")) - Number(a.name.includes("round-2"))
  );
  for (const order of [r2First, [...sorted].reverse(), shuffled(sorted, 1), shuffled(sorted, 42)]) {
    assert.deepEqual(await withImport(order, dump), reference);
  }
  for (const [order, size] of [[sorted, 50], [shuffled(sorted, 5), 7], [shuffled(sorted, 9), 2]] as const) {
    assert.deepEqual(await withImport(order, dump, size), reference);
  }
});

Deno.test("generated set: sessions split at hour-long gaps, the same in any order; keys under etl's prefixes", async () => {
  let ref: string[] = [];
  for (const order of [FILES, shuffled(FILES, 3)]) {
    await withImport(order, async (kv) => {
      const sessions = await listSessions(kv);
      const ids = sessions.map((s) => `${s.id}:${s.rounds.length}`);
      // The three generated evenings are sessions of 8 rounds each.
      assert.equal(sessions.filter((s) => s.rounds.length === 8 && s.id.startsWith("2025-05")).length, 3);
      if (ref.length) assert.deepEqual(ids, ref);
      ref = ids;
      const allowed = new Set<string>([...PREFIXES.etl, ...PREFIXES.core, ...PREFIXES.delivery]);
      for await (const e of kv.list({ prefix: [] })) {
        assert.ok(allowed.has(String(e.key[0])), `key ${JSON.stringify(e.key)}`);
        assert.ok(JSON.stringify(e.value ?? null).length < 60_000, `value of ${JSON.stringify(e.key)}`);
      }
    });
  }
});
