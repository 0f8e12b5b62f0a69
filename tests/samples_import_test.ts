import assert from "node:assert/strict";
import { Importer, type ImportReport } from "@/ingest/importer.ts";
import { listSamples, readSample, sampleTest } from "@/tests/_samples.ts";
import { recordsOf } from "@/kv/racing/records.ts";
import { kvReader } from "@/kv/reader.ts";
import { getSession } from "@/kv/racing/sessions.ts";
import { listOutbox } from "@/kv/outbox.ts";

async function importAll(kv: Deno.Kv, dirs: string[]): Promise<Map<string, ImportReport>> {
  const imp = new Importer(kv, { announce: true, now: () => new Date("2026-01-01T00:00:00Z") });
  const items = dirs.flatMap((d) => listSamples(d)).map((rel) => ({
    name: rel.split("/").pop()!,
    origin: rel,
    bytes: readSample(rel),
  }));
  const reports = new Map<string, ImportReport>();
  await imp.importMany(items, (r) => reports.set(r.origin!, r));
  assert.equal(reports.size, items.length, "every file gets a report");
  return reports;
}

sampleTest("every ACC and AC sample is imported, skipped or rejected with a reason", async () => {
  using kv = await Deno.openKv(":memory:");
  const reports = await importAll(kv, ["acc", "ac"]);
  for (const [rel, r] of reports) {
    assert.ok(["imported", "skipped", "rejected"].includes(r.status), `${rel}: ${r.status}`);
    if (r.status !== "imported") assert.ok(r.reason && r.reason.length > 5, `${rel} has a reason`);
  }
  assert.equal(reports.get("acc/simdesk-damaged/221012_215932_R.json")!.status, "rejected");
  assert.equal(reports.get("acc/simdesk/221018_194925_Q.json")!.status, "skipped");
  assert.equal(reports.get("acc/thiagocorreatac/250311_200152_Q.json")!.status, "skipped");
  const imported = [...reports.values()].filter((r) => r.status === "imported").length;
  assert.ok(imported >= 23, `imported ${imported}`);
  for (const [rel, r] of reports) {
    if (rel.startsWith("ac/") || rel.includes("simresults") || rel.includes("pororing12")) {
      assert.equal(r.status, "imported", `${rel}: ${r.reason}`);
    }
  }
});

sampleTest("importing the samples twice changes nothing the second time", async () => {
  using kv = await Deno.openKv(":memory:");
  await importAll(kv, ["acc/simresults", "ac/assetto-server-manager"]);
  const before = await Array.fromAsync(kv.list({ prefix: [] }), (e) => e.versionstamp);
  const again = await importAll(kv, ["acc/simresults", "ac/assetto-server-manager"]);
  assert.ok([...again.values()].every((r) => r.status === "duplicate"));
  assert.deepEqual(await Array.fromAsync(kv.list({ prefix: [] }), (e) => e.versionstamp), before);
});

sampleTest("a disqualified car keeps its classification but never reaches the board (kyalami)", async () => {
  using kv = await Deno.openKv(":memory:");
  const reports = await importAll(kv, ["acc/simdesk"]);
  const id = reports.get("acc/simdesk/221008_224809_R.json")!.sessionId!;
  const session = await getSession(kvReader(kv), id);
  const dsq = session!.cars.filter((c) => c.disqualified);
  assert.equal(dsq.length, 1);
  assert.equal(dsq[0]!.position, session!.cars.length, "the DSQ car is classified last");
  const board = await recordsOf(kvReader(kv), { game: "acc", track: "kyalami", kind: "R", cls: "all" }, 100);
  const dsqDrivers = new Set(dsq[0]!.drivers.map((d) => d.id));
  assert.ok(board.entries.length > 0);
  assert.ok(board.entries.every((e) => !dsqDrivers.has(e.driver.id)));
  assert.ok(board.entries.every((e) => e.lapMs >= 100_000), "no formation-lap nonsense and no DSQ lap");
  const classes = new Set(board.entries.map((e) => e.car.class));
  assert.deepEqual([...classes].sort(), ["GT3", "GT4"]);
  const gt4 = await recordsOf(kvReader(kv), { game: "acc", track: "kyalami", kind: "R", cls: "GT4" }, 100);
  assert.ok(gt4.entries.length > 0 && gt4.entries.every((e) => e.car.class === "GT4"));
});

sampleTest("multi-driver cars credit each lap to the driver who drove it (spa Q)", async () => {
  using kv = await Deno.openKv(":memory:");
  const reports = await importAll(kv, ["acc/simdesk"]);
  const id = reports.get("acc/simdesk/230602_202712_Q.json")!.sessionId!;
  const session = await getSession(kvReader(kv), id, { withLaps: true });
  const board = await recordsOf(kvReader(kv), { game: "acc", track: "spa", kind: "Q", cls: "all" }, 100);
  for (const e of board.entries.filter((e) => e.sessionId === id)) {
    const laps = session!.laps!.filter((l) => {
      const car = session!.cars[l.car]!;
      return car.drivers[l.driver]!.id === e.driver.id && l.countsForBest;
    });
    assert.equal(e.lapMs, Math.min(...laps.map((l) => l.lapMs)), `${e.driver.name}'s own best lap`);
  }
});

sampleTest("AC samples: cut laps never count, tracks are name@config, races are announced", async () => {
  using kv = await Deno.openKv(":memory:");
  await importAll(kv, ["ac"]);
  const rbr = await recordsOf(
    kvReader(kv),
    { game: "ac", track: "ks_red_bull_ring@layout_national", kind: "Q", cls: "all" },
    100,
  );
  assert.ok(rbr.entries.length > 0);
  for (const e of rbr.entries) assert.equal(e.splitsMs.length, 2, "2-sector layout");
  const outbox = await listOutbox(kv, 1000);
  assert.ok(outbox.some((o) => o.announcement.type === "race_result" && o.announcement.game === "ac"));
});
