import assert from "node:assert/strict";
import { applySession } from "@/kv/racing/apply.ts";
import { KvTxn } from "@/kv/txn.ts";
import { recordsOf } from "@/kv/racing/records.ts";
import { driverPbs } from "@/kv/racing/records.ts";
import { kvReader } from "@/kv/reader.ts";
import { listOutbox } from "@/kv/outbox.ts";
import type { RacingAnnouncement } from "@/kv/racing/announcements.ts";
import { session } from "@/tests/_fixtures.ts";
import type { NormalizedSession } from "@/games/racing/types.ts";

let n = 0;
async function store(kv: Deno.Kv, s: NormalizedSession, opts: { announce?: boolean; sha?: string } = {}) {
  const txn = new KvTxn(kv);
  const res = await applySession(txn, s, {
    fileName: "f.json",
    sha256: opts.sha ?? `sha${n++}`.padEnd(64, "0"),
    importedAt: new Date("2026-01-01T00:00:00Z"),
  }, { announce: opts.announce ?? true, now: new Date("2026-01-01T00:00:00Z") });
  await txn.commit();
  return res;
}

const Q = { game: "acc" as const, track: "monza", kind: "Q" as const, cls: "all" };

Deno.test("applySession() ranks one best lap per driver and keeps the earlier lap on a tie", async () => {
  using kv = await Deno.openKv(":memory:");
  await store(kv, session({ at: "2026-01-02T20:00:00Z", cars: [{ driver: "B", laps: [100_500, 100_000] }] }));
  await store(kv, session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000, 101_000] }] }));
  await store(kv, session({ at: "2026-01-03T20:00:00Z", cars: [{ driver: "C", laps: [99_000, 103_000] }] }));
  const { entries, of } = await recordsOf(kvReader(kv), Q, 10);
  assert.equal(of, 3);
  assert.deepEqual(entries.map((e) => [e.rank, e.driver.id, e.lapMs, e.lap]), [
    [1, "C", 99_000, "1:39.000"],
    [2, "A", 100_000, "1:40.000"],
    [3, "B", 100_000, "1:40.000"],
  ]);
});

Deno.test("applySession() ignores invalid laps, disqualified cars and practice for records", async () => {
  using kv = await Deno.openKv(":memory:");
  await store(
    kv,
    session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [90_000, 100_000], invalid: [0] }] }),
  );
  await store(
    kv,
    session({ at: "2026-01-02T20:00:00Z", cars: [{ driver: "D", laps: [80_000], dsq: true }] }),
  );
  await store(
    kv,
    session({ at: "2026-01-03T20:00:00Z", kind: "FP", cars: [{ driver: "P", laps: [70_000] }] }),
  );
  const { entries } = await recordsOf(kvReader(kv), Q, 10);
  assert.deepEqual(entries.map((e) => [e.driver.id, e.lapMs]), [["A", 100_000]]);
  const fp = await recordsOf(kvReader(kv), { ...Q, kind: "FP" }, 10);
  assert.equal(fp.entries.length, 0);
  const outbox = await listOutbox<RacingAnnouncement>(kv);
  assert.ok(outbox.every((o) => o.announcement.type !== "personal_best" || o.announcement.driver.id !== "P"));
});

Deno.test("applySession() keeps records per car class beside the overall board", async () => {
  using kv = await Deno.openKv(":memory:");
  await store(
    kv,
    session({
      at: "2026-01-01T20:00:00Z",
      cars: [
        { driver: "A", laps: [100_000], cls: "GT3" },
        { driver: "B", laps: [110_000], cls: "GT4", model: "53" },
        { driver: "C", laps: [111_000], cls: "GT4", model: "53" },
      ],
    }),
  );
  const gt4 = await recordsOf(kvReader(kv), { ...Q, cls: "GT4" }, 10);
  assert.deepEqual(gt4.entries.map((e) => [e.rank, e.driver.id]), [[1, "B"], [2, "C"]]);
  const all = await recordsOf(kvReader(kv), Q, 10);
  assert.deepEqual(all.entries.map((e) => e.driver.id), ["A", "B", "C"]);
  const d = await driverPbs(kvReader(kv), "C");
  assert.deepEqual(d!.pbs.map((p) => [p.class, p.rank, p.of, p.vsRecordMs]), [["GT4", 2, 2, 1000], [
    "all",
    3,
    3,
    11_000,
  ]]);
});

Deno.test("applySession() announces track records and PBs with positions gained, in the same commit", async () => {
  using kv = await Deno.openKv(":memory:");
  await store(
    kv,
    session({
      at: "2026-01-01T20:00:00Z",
      cars: [{ driver: "A", laps: [100_000] }, { driver: "B", laps: [101_000] }, {
        driver: "C",
        laps: [102_000],
      }],
    }),
    { announce: false },
  );
  assert.equal((await listOutbox(kv)).length, 0);
  await store(kv, session({ at: "2026-01-02T20:00:00Z", cars: [{ driver: "C", laps: [100_500] }] }));
  let out = (await listOutbox<RacingAnnouncement>(kv)).map((o) => o.announcement);
  assert.equal(out.length, 1);
  const pb = out[0]!;
  assert.equal(pb.type, "personal_best");
  if (pb.type !== "personal_best") return;
  assert.deepEqual([pb.driver.id, pb.previousMs, pb.rankBefore, pb.rankAfter, pb.positionsGained, pb.of], [
    "C",
    102_000,
    3,
    2,
    1,
    3,
  ]);
  await store(
    kv,
    session({ at: "2026-01-03T20:00:00Z", kind: "Q", cars: [{ driver: "B", laps: [99_000] }] }),
  );
  out = (await listOutbox<RacingAnnouncement>(kv)).map((o) => o.announcement);
  const tr = out[1]!;
  assert.equal(tr.type, "track_record");
  if (tr.type !== "track_record") return;
  assert.equal(tr.driver.id, "B");
  assert.deepEqual(tr.previous, { driver: { id: "A", name: "Driver A" }, lapMs: 100_000 });
  assert.equal(out.length, 2, "a track record is not also announced as a PB");
});

Deno.test("applySession() queues race results for races only", async () => {
  using kv = await Deno.openKv(":memory:");
  await store(
    kv,
    session({ at: "2026-01-01T20:00:00Z", kind: "R", cars: [{ driver: "A", laps: [500_000, 100_000] }] }),
  );
  const types = (await listOutbox(kv)).map((o) => o.announcement.type).sort();
  assert.deepEqual(types, ["race_result", "track_record"]);
});

Deno.test("applySession() builds PB history in driving order whatever the import order", async () => {
  using kv = await Deno.openKv(":memory:");
  await store(kv, session({ at: "2026-01-03T20:00:00Z", cars: [{ driver: "A", laps: [99_000] }] }));
  await store(kv, session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [101_000] }] }));
  await store(kv, session({ at: "2026-01-02T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] }));
  await store(kv, session({ at: "2026-01-04T20:00:00Z", cars: [{ driver: "A", laps: [99_500] }] }));
  const d = await driverPbs(kvReader(kv), "A");
  const all = d!.pbs.find((p) => p.class === "all")!;
  assert.deepEqual(all.history.map((h) => h.lapMs), [101_000, 100_000, 99_000]);
  assert.equal(all.lapMs, 99_000);
  assert.equal(all.sessions, 4);
  assert.equal(all.theoreticalBestMs, 99_000);
});

Deno.test("applySession() treats the same bytes as a duplicate that changes nothing", async () => {
  using kv = await Deno.openKv(":memory:");
  const s = session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] });
  const first = await store(kv, s, { sha: "a".repeat(64) });
  const before = await Array.fromAsync(kv.list({ prefix: [] }));
  const second = await store(kv, s, { sha: "a".repeat(64) });
  assert.equal(first.status, "imported");
  assert.deepEqual(second, { status: "duplicate", sessionId: first.sessionId });
  const after = await Array.fromAsync(kv.list({ prefix: [] }));
  assert.deepEqual(after.map((e) => e.versionstamp), before.map((e) => e.versionstamp));
});

Deno.test("Importer stores a session too large for one commit by staging its laps first", async () => {
  const { Importer } = await import("@/ingest/importer.ts");
  const { accFile } = await import("@/tests/_acc_file.ts");
  const { getSession } = await import("@/kv/racing/sessions.ts");
  using kv = await Deno.openKv(":memory:");
  const cars = Array.from({ length: 60 }, (_, i) => ({
    playerId: `S${1000 + i}`,
    laps: Array.from({ length: 600 }, (_, j) => 120_000 + ((i * 7919 + j * 104_729) % 5000)),
  }));
  const imp = new Importer(kv, { announce: true, now: () => new Date("2026-01-01T00:00:00Z") });
  const r = await imp.importOne({ name: "260101_200000_R.json", bytes: accFile({ type: "R", cars }) });
  assert.equal(r.status, "imported", r.reason);
  const s = await getSession(kvReader(kv), r.sessionId!, { withLaps: true });
  assert.equal(s!.laps!.length, 36_000);
  assert.equal(s!.cars.length, 60);
  const { of } = await recordsOf(kvReader(kv), { game: "acc", track: "monza", kind: "R", cls: "all" }, 1);
  assert.equal(of, 60);
});

Deno.test("applySession() writes a rename onto the driver's board entries, only for a newer session", async () => {
  using kv = await Deno.openKv(":memory:");
  await store(
    kv,
    session({ at: "2026-01-02T20:00:00Z", cars: [{ driver: "A", name: "Old Name", laps: [100_000] }] }),
  );
  await store(kv, session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "B", laps: [101_000] }] }));
  await store(
    kv,
    session({
      at: "2026-01-03T20:00:00Z",
      kind: "FP",
      track: "spa",
      cars: [{ driver: "A", name: "New Name", laps: [140_000] }],
    }),
  );
  await store(
    kv,
    session({
      at: "2026-01-01T10:00:00Z",
      kind: "FP",
      track: "spa",
      cars: [{ driver: "A", name: "Ancient", laps: [150_000] }],
    }),
  );
  const { entries } = await recordsOf(kvReader(kv), Q, 10);
  assert.deepEqual(entries.map((e) => [e.driver.id, e.driver.name]), [["A", "New Name"], ["B", "Driver B"]]);
  assert.equal((await driverPbs(kvReader(kv), "A"))!.driver.name, "New Name");
});

Deno.test("applySession() does not rename a driver from a session older than their newest", async () => {
  using kv = await Deno.openKv(":memory:");
  await store(
    kv,
    session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", name: "Xavier", laps: [100_000] }] }),
  );
  await store(
    kv,
    session({
      at: "2026-01-03T20:00:00Z",
      track: "spa",
      cars: [{ driver: "A", name: "Xavier", laps: [140_000] }],
    }),
  );
  await store(
    kv,
    session({
      at: "2026-01-02T20:00:00Z",
      track: "imola",
      cars: [{ driver: "A", name: "Yann", laps: [95_000] }],
    }),
  );
  assert.equal((await driverPbs(kvReader(kv), "A"))!.driver.name, "Xavier");
  const { entries } = await recordsOf(kvReader(kv), { ...Q, track: "imola" }, 1);
  assert.equal(entries[0]!.driver.name, "Xavier", "entries carry the current name, not an older session's");
  await store(
    kv,
    session({
      at: "2026-01-04T20:00:00Z",
      kind: "FP",
      cars: [{ driver: "A", name: "Yann", laps: [99_000] }],
    }),
  );
  const after = await recordsOf(kvReader(kv), Q, 1);
  assert.equal(after.entries[0]!.driver.name, "Yann");
  const spa = await recordsOf(kvReader(kv), { ...Q, track: "spa" }, 1);
  assert.equal(spa.entries[0]!.driver.name, "Yann");
});

Deno.test("recentTrackSessionIds() lists a track's sessions newest first", async () => {
  const { recentTrackSessionIds } = await import("@/kv/racing/sessions.ts");
  using kv = await Deno.openKv(":memory:");
  const a = await store(
    kv,
    session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] }),
  );
  const b = await store(
    kv,
    session({ at: "2026-01-03T20:00:00Z", cars: [{ driver: "B", laps: [100_000] }] }),
  );
  await store(
    kv,
    session({ at: "2026-01-02T20:00:00Z", track: "spa", cars: [{ driver: "C", laps: [100_000] }] }),
  );
  assert.deepEqual(await recentTrackSessionIds(kv, "acc", "monza", 10), [b.sessionId, a.sessionId]);
  assert.deepEqual(await recentTrackSessionIds(kv, "acc", "monza", 1), [b.sessionId]);
});
