/**
 * ACC on the project's own files in every shape real files come in (fixtures/acc_quirks.ts): what
 * tests/acc_test.ts and tests/samples_import_test.ts check on the real samples, on files a fresh
 * clone generates.
 */
import assert from "node:assert/strict";
import { accFormat } from "@/games/acc/parser.ts";
import { acFormat } from "@/games/ac/parser.ts";
import { generateAcFiles } from "@/fixtures/gen_ac.ts";
import { decodeText } from "@/ingest/decode.ts";
import { Importer } from "@/ingest/importer.ts";
import {
  type AccFile,
  accText,
  accWeekend,
  asUtf8,
  damaged,
  oldFormat,
  withBom,
  withUnknownCarLaps,
} from "@/fixtures/acc_quirks.ts";

const FILES = accWeekend();

function parsed(f: AccFile) {
  const out = accFormat.parse(decodeText(f.bytes), { name: f.name });
  if (out.status !== "parsed") {
    throw new Error(`${f.name}: ${out.status} ${"reason" in out ? out.reason : ""}`);
  }
  return out.session;
}

Deno.test("generated ACC files read the same without BOM, with BOM, as UTF-8 with and without BOM", () => {
  for (const f of FILES) {
    const ref = parsed(f);
    for (const variant of [withBom(f), asUtf8(f), asUtf8(f, true)]) {
      assert.deepEqual(parsed(variant), ref, f.name);
    }
  }
});

Deno.test("every generated ACC file gets a verdict and agrees with the game's own timing, Q1/Q2/R1/R2 included", () => {
  const kinds = new Set<string>();
  for (const f of FILES) {
    const s = parsed(f);
    kinds.add(s.sessionType);
    s.cars.forEach((car, i) => {
      const laps = s.laps.filter((l) => l.car === i);
      const valid = laps.filter((l) => l.valid).map((l) => l.lapMs);
      assert.equal(car.bestLapMs, valid.length ? Math.min(...valid) : null, `${f.name} car ${car.carId}`);
      assert.equal(car.lapCount, laps.length, `${f.name} car ${car.carId}`);
      if (s.kind === "R" && laps[0]) assert.equal(laps[0].countsForBest, false);
    });
    // Each lap is credited to the driver its driverIndex names.
    const json = JSON.parse(accText(f));
    const byDriver = (carId: number, d: number) =>
      json.laps.filter((l: { carId: number; driverIndex: number }) =>
        l.carId === carId && l.driverIndex === d
      ).length;
    s.cars.forEach((car, i) =>
      car.drivers.forEach((_, d) =>
        assert.equal(s.laps.filter((l) => l.car === i && l.driver === d).length, byDriver(car.carId, d))
      )
    );
  }
  assert.ok([...kinds].some((k) => /^(Q1|Q2|R1|R2)$/.test(k)) || kinds.size >= 2, [...kinds].join());
});

Deno.test("the 2019 format: no server name, a year-suffixed track id, unknown-car laps dropped", () => {
  const f = FILES.find((x) => parsed(x).cars.length > 1)!;
  const ref = parsed(f);
  const old = parsed(oldFormat(f));
  assert.equal(old.serverName, undefined);
  assert.deepEqual([old.track, old.trackRaw], [ref.track, `${ref.trackRaw}_2019`]);
  assert.deepEqual([old.cars.length, old.laps.length], [ref.cars.length, ref.laps.length]);
  const unknown = parsed(withUnknownCarLaps(f));
  assert.equal(
    unknown.laps.length,
    ref.laps.length,
    "laps of a car missing from the leaderboard are dropped",
  );
});

Deno.test("a damaged file says NUL; a file name without a time takes the import time", () => {
  const bad = damaged(FILES[0]!);
  assert.throws(() => decodeText(bad.bytes), /NUL/);
  for (const enc of ["utf-16le", "utf-8"]) {
    const out = accFormat.parse(new TextDecoder(enc).decode(bad.bytes), { name: bad.name });
    assert.equal(out.status, "rejected");
    assert.match((out as { reason: string }).reason, /^not valid JSON/);
  }
  const race = FILES.find((f) => /_R\d?\.json$/.test(f.name))!;
  const renamed = asUtf8({ name: "Session_R.json", bytes: race.bytes });
  const s = parsed(renamed);
  assert.equal(s.timeSource, "import-time");
  assert.equal(s.kind, "R");
});

Deno.test("every generated ACC shape is imported, skipped or rejected with a reason; twice changes nothing", async () => {
  using kv = await Deno.openKv(":memory:");
  const files = [...FILES, ...FILES.slice(0, 3).map(withBom), oldFormat(FILES[3]!), damaged(FILES[4]!)];
  const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
  const first = [];
  for (const f of files) first.push(await imp.importOne(f));
  for (const r of first) {
    assert.ok(["imported", "skipped", "rejected", "duplicate"].includes(r.status), r.name);
    if (r.status !== "imported" && r.status !== "duplicate") assert.ok((r.reason ?? "").length > 5, r.name);
  }
  assert.equal(first.filter((r) => r.status === "rejected").length, 1, "only the damaged file");
  assert.equal(
    first.filter((r) => r.status === "imported").length,
    files.length - 1,
    "re-encoded copies are new bytes",
  );
  const again = [];
  for (const f of files) again.push(await imp.importOne(f));
  for (const r of again) {
    assert.ok(r.status === "duplicate" || r.status === "rejected", `${r.name}: ${r.status}`);
  }
});

Deno.test("every generated AC file gets a verdict, never throws, and never counts a cut lap", () => {
  let cuts = 0;
  for (const f of generateAcFiles(8, { seed: 4, drivers: 30, tracks: 6 })) {
    const out = acFormat.parse(decodeText(f.bytes), { name: f.name });
    assert.equal(out.status, "parsed", f.name);
    if (out.status !== "parsed") continue;
    const json = JSON.parse(new TextDecoder().decode(f.bytes));
    assert.match(out.session.track, json.TrackConfig ? /^[a-z_]+@[a-z_]+$/ : /^[a-z_]+$/);
    json.Laps.forEach((l: { Cuts: number }, i: number) => {
      if (l.Cuts > 0) {
        cuts++;
        assert.equal(out.session.laps[i]!.valid, false);
      }
    });
  }
  assert.ok(cuts > 0, "the generator writes cut laps");
});
