import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { parseConfigFile } from "@/config.ts";
import { applyAliases, mergeIdentities, preparePeople } from "@/kv/people/merge.ts";
import { recordsOf } from "@/kv/racing/records.ts";
import { kvReader } from "@/kv/reader.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { listSamples, readSample, sampleTest } from "@/tests/_samples.ts";

const BH = { game: "acc" as const, track: "brands_hatch", kind: "Q" as const, cls: "all" };
const NOW = new Date("2026-02-01T00:00:00Z");

async function top(kv: Deno.Kv, n = 5) {
  const { entries, of } = await recordsOf(kvReader(kv), BH, n);
  return { of, lines: entries.map((e) => [e.rank, e.driver.id, e.driver.name, e.lapMs]) };
}

Deno.test("parseConfigFile() reads aliases and refuses an alias of one identity", () => {
  const file = parseConfigFile({
    aliases: [{
      name: "Federico Siv",
      drivers: ["S76561197971070302", "acc:federico-siv"],
      etl: ["a1b2c3d4"],
    }],
  }, "podium.json");
  assert.deepEqual(file.aliases?.[0]?.drivers, ["S76561197971070302", "acc:federico-siv"]);
  assert.throws(
    () => parseConfigFile({ aliases: [{ name: "Solo", drivers: ["S1"] }] }, "podium.json"),
    /aliases\[0\]: an alias names two identities or more/,
  );
  assert.throws(
    () => parseConfigFile({ discord: { linkApproval: true } }, "podium.json"),
    /discord\.channels\.admin: discord\.linkApproval needs discord\.channels\.admin/,
  );
});

Deno.test("applyAliases() counts the Brands Hatch driver of two ids (one file lacks playerId) once", async () => {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: true });
  // The same driver: once with a playerId, once in a file without one (a name-only id).
  const files = [
    {
      name: "260101_200000_Q.json",
      cars: [{ playerId: "S765001", first: "Federico", last: "Siv", laps: [83_520] }],
    },
    {
      name: "260102_200000_Q.json",
      cars: [
        { playerId: "", first: "Federico", last: "Siv", laps: [82_863] },
        { playerId: "S765002", first: "Alberto", last: "For", laps: [83_121] },
      ],
    },
  ];
  for (const f of files) {
    const r = await imp.importOne({ name: f.name, bytes: accFile({ track: "brands_hatch", cars: f.cars }) });
    assert.equal(r.status, "imported", r.reason);
  }
  assert.deepEqual((await top(kv)).lines.map((l) => l[1]), ["acc:federico-siv", "S765002", "S765001"]);
  const announced = (await listOutbox(kv)).length;
  const aliases = [{ name: "Federico Siv", drivers: ["S765001", "acc:federico-siv"] }];
  assert.equal(await applyAliases(kv, aliases, NOW), 1);
  const after = await top(kv);
  assert.equal(after.of, 2);
  assert.deepEqual(after.lines.map((l) => [l[0], l[2], l[3]]), [[1, "Federico Siv", 82_863], [
    2,
    "Alberto For",
    83_121,
  ]]);
  assert.equal(await applyAliases(kv, aliases, NOW), 0, "an alias in place writes nothing");
  assert.match(await preparePeople(kv, aliases, NOW), /1 alias\(es\) in the config, 0 applied now/);
  assert.equal((await listOutbox(kv)).length, announced, "nothing announced");
});

sampleTest(
  "mergeIdentities() on the real Brands Hatch files: Federico Siv holds 🥇 only, not 🥇 and 🥉",
  async () => {
    using kv = await Deno.openKv(":memory:");
    const imp = new Importer(kv, { announce: false });
    for (const f of [...listSamples("acc/simresults"), ...listSamples("acc/pororing12")]) {
      await imp.importOne({ name: f.split("/").pop()!, bytes: readSample(f) });
    }
    const before = await top(kv, 4);
    assert.deepEqual(before.lines.map((l) => [l[0], l[1], l[2]]), [
      [1, "acc:federico-siv", "Federico Siv"],
      [2, "acc:alberto-for", "Alberto For"],
      [3, "S76561197971070302", "Federico Siv"],
      [4, "acc:andrea-mel", "Andrea Mel"],
    ]);
    const { person } = await mergeIdentities(kv, {
      identities: [{ kind: "driver", id: "S76561197971070302" }, { kind: "driver", id: "acc:federico-siv" }],
    }, { by: "admin", now: NOW });
    const after = await top(kv, 3);
    assert.equal(after.of, before.of - 1);
    assert.deepEqual(after.lines.map((l) => [l[0], l[1], l[2], l[3]]), [
      [1, person.id, "Federico Siv", 82_863],
      [2, "acc:alberto-for", "Alberto For", 83_121],
      [3, "acc:andrea-mel", "Andrea Mel", 83_862],
    ]);
  },
);
