import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { recordsOf } from "@/kv/racing/records.ts";
import { kvReader } from "@/kv/reader.ts";
import { getSession } from "@/kv/racing/sessions.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { testApp } from "@/tests/_app.ts";

const Q = { game: "acc" as const, track: "kyalami", kind: "Q" as const, cls: "all" };
const now = () => new Date("2026-01-01T00:00:00Z");

Deno.test("impossible laps (-5 s, 0, 1.5 ms, 2^31 ms) are imported invalid with a reason, never a record, PB or board entry", async () => {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: true, now });
  const real = await imp.importOne({
    name: "251230_200000_Q.json",
    bytes: accFile({
      track: "kyalami",
      cars: [{ playerId: "S1", first: "Real", last: "Driver", laps: [102_453] }],
    }),
  });
  assert.equal(real.status, "imported");
  const before = (await listOutbox(kv)).length;
  const r = await imp.importOne({
    name: "251231_200000_Q.json",
    bytes: accFile({
      track: "kyalami",
      cars: [
        { playerId: "S2", first: "Neg", last: "Ative", laps: [-5000, 103_000] },
        { playerId: "S3", first: "Ze", last: "Ro", laps: [0] },
        { playerId: "S4", first: "Tiny", last: "Lap", laps: [1.5] },
        { playerId: "S5", first: "Wrap", last: "Around", laps: [2 ** 31, 2 ** 32 + 7] },
      ],
    }),
  });
  assert.equal(r.status, "imported", JSON.stringify(r));
  const { entries } = await recordsOf(kvReader(kv), Q, 10);
  assert.deepEqual(entries.map((e) => [e.driver.id, e.lapMs]), [["S1", 102_453], ["S2", 103_000]]);
  assert.ok(entries.every((e) => e.lapMs > 1000));
  const announced = (await listOutbox(kv)).slice(before).map((e) => JSON.stringify(e));
  assert.ok(announced.every((a) => !/-5000|"lapMs":0\b|1\.5|2147483648/.test(a)), announced.join("\n"));

  const s = await getSession(kvReader(kv), r.sessionId!, { withLaps: true });
  const laps = s!.laps!;
  assert.deepEqual(laps.map((l) => l.lapMs).sort((a, b) => a - b), [
    -5000,
    0,
    1.5,
    103_000,
    2 ** 31,
    2 ** 32 + 7,
  ]);
  for (const l of laps.filter((l) => l.lapMs !== 103_000)) {
    assert.equal(l.valid, false);
    assert.equal(l.countsForBest, false);
    assert.match(l.implausible!, /floor|ceiling/);
  }
  assert.deepEqual(
    s!.cars.map((c) => [c.drivers[0]!.id, c.bestLapMs]).sort(),
    [["S2", 103_000], ["S3", null], ["S4", null], ["S5", null]],
  );

  const page = await testApp(kv).request(`/sessions/${r.sessionId}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.doesNotMatch(html, /-1530494976|-5\.000/);
  assert.ok((html.match(/<line/g)?.length ?? 0) < 200, "a bounded number of chart lines");
});
