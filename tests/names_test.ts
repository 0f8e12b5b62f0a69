import assert from "node:assert/strict";
import { accFile } from "@/tests/_acc_file.ts";
import { Importer } from "@/ingest/importer.ts";
import { nameTokens, normalizeName, searchNames } from "@/kv/racing/names.ts";

const now = () => new Date("2026-02-01T00:00:00Z");

async function store(files: { name: string; bytes: Uint8Array }[]): Promise<Deno.Kv> {
  const kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: false, now });
  for (const f of files) {
    const r = await imp.importOne(f);
    assert.equal(r.status, "imported", r.reason);
  }
  return kv;
}

Deno.test("normalizeName() and nameTokens(): lower case, accents gone, one key per word", () => {
  assert.equal(normalizeName("  Ólafur   Þór_Sigurðsson "), "olafur þor sigurðsson");
  assert.deepEqual(nameTokens("Max Verstappen", "S1"), ["max", "verstappen"]);
  assert.deepEqual(nameTokens("Max Max", "S1"), ["max"]);
  assert.deepEqual(nameTokens("***", "S76561198000000001"), ["s76561198000000001"]);
});

Deno.test("searchNames() finds drivers by any word's prefix, newest active first, from the import's own index", async () => {
  using kv = await store([
    {
      name: "240105_200000_Q.json",
      bytes: accFile({
        track: "monza",
        cars: [
          { playerId: "S1", first: "Max", last: "Verstappen", laps: [101_000] },
          { playerId: "S2", first: "Lando", last: "Norris", laps: [101_500] },
          { playerId: "S3", first: "Jos", last: "Verstappen", laps: [102_000] },
        ],
      }),
    },
    {
      // Weeks later, only Jos drives: he is the more recently active Verstappen.
      name: "240301_200000_Q.json",
      bytes: accFile({
        track: "spa",
        cars: [{ playerId: "S3", first: "Jos", last: "Verstappen", laps: [140_000] }],
      }),
    },
  ]);
  const ver = await searchNames(kv, { query: "ver", kind: "driver" });
  assert.deepEqual(ver.map((h) => h.id), ["S3", "S1"]);
  assert.equal(ver[0]!.name, "Jos Verstappen");
  assert.deepEqual(ver[0]!.games, ["acc"]);
  assert.deepEqual((await searchNames(kv, { query: "max ver" })).map((h) => h.id), ["S1"]);
  assert.deepEqual((await searchNames(kv, { query: "LANDO", kind: "driver" })).map((h) => h.id), ["S2"]);
  assert.deepEqual(await searchNames(kv, { query: "ver max" }), [], "typed words match in order");
  assert.deepEqual(await searchNames(kv, { query: "verstappen", game: "ac" }), []);
  // Nothing typed yet: the most recently active first.
  const recent = await searchNames(kv, { query: "", kind: "driver", limit: 2 });
  assert.equal(recent[0]!.id, "S3");
  assert.equal(recent.length, 2);
  // Tracks come from their summaries, by name or id.
  const tracks = await searchNames(kv, { query: "mon", kind: "track" });
  assert.deepEqual(tracks.map((h) => h.id), ["acc/monza"]);
  // An exact name wins over the more recently active.
  const exact = await searchNames(kv, { query: "max verstappen" });
  assert.equal(exact[0]!.id, "S1");
});

Deno.test("searchNames() follows a rename: the new name is found, the old one no longer", async () => {
  using kv = await store([
    {
      name: "240105_200000_Q.json",
      bytes: accFile({ cars: [{ playerId: "S9", first: "Old", last: "Handle", laps: [101_000] }] }),
    },
    {
      name: "240205_200000_Q.json",
      bytes: accFile({ cars: [{ playerId: "S9", first: "New", last: "Name", laps: [101_500] }] }),
    },
  ]);
  assert.deepEqual((await searchNames(kv, { query: "new" })).map((h) => h.id), ["S9"]);
  assert.deepEqual(await searchNames(kv, { query: "handle" }), []);
  // One key per word and one by week: nothing left behind.
  const keys = await Array.fromAsync(kv.list({ prefix: ["name_token"] }), (e) => e.key[1]);
  assert.deepEqual(keys.sort(), ["name", "new"]);
  assert.equal((await Array.fromAsync(kv.list({ prefix: ["name_recent"] }))).length, 1);
});

Deno.test("a hotlap session with 160 new drivers is stored, and every driver is found", async () => {
  const cars = Array.from({ length: 160 }, (_, i) => ({
    playerId: `S${1000 + i}`,
    first: `Driver${i}`,
    last: `Hotlapper${i}`,
    laps: [100_000 + i * 10, 100_500 + i * 10],
  }));
  using kv = await store([{ name: "240105_200000_Q.json", bytes: accFile({ cars }) }]);
  const hits = await searchNames(kv, { query: "hotlapper15", kind: "driver", limit: 100 });
  // Hotlapper15 and Hotlapper150-159.
  assert.equal(hits.length, 11);
  assert.equal((await Array.fromAsync(kv.list({ prefix: ["name_recent"] }))).length, 160);
});
