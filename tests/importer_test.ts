import assert from "node:assert/strict";
import { Importer, type ImportReport } from "@/ingest/importer.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { recordsOf } from "@/kv/racing/records.ts";
import { kvReader } from "@/kv/reader.ts";
import { getTrack } from "@/kv/racing/tracks.ts";
import { listOutbox } from "@/kv/outbox.ts";

const Q = { game: "acc" as const, track: "monza", kind: "Q" as const, cls: "all" };
const fixedNow = () => new Date("2026-01-01T00:00:00Z");

function file(name: string, playerId: string, laps: number[], track = "monza") {
  return { name, bytes: accFile({ track, cars: [{ playerId, laps }] }) };
}

async function allEntries(kv: Deno.Kv) {
  return await Array.fromAsync(kv.list({ prefix: [] }));
}

Deno.test("Importer.importOne() imports a file once: the same bytes under another name are a duplicate", async () => {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: true, now: fixedNow });
  const f = file("260101_200000_Q.json", "S1", [100_000]);
  const first = await imp.importOne(f);
  assert.equal(first.status, "imported");
  const before = await allEntries(kv);
  const again = await imp.importOne({ ...f, name: "copy_of_it.json" });
  assert.equal(again.status, "duplicate");
  assert.equal(again.sessionId, first.sessionId);
  assert.deepEqual((await allEntries(kv)).map((e) => e.versionstamp), before.map((e) => e.versionstamp));
});

Deno.test("Importer.importOne() leaves nothing behind when the commit fails", async () => {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, {
    announce: true,
    now: fixedNow,
    beforeCommit: () => {
      throw new Error("disk unplugged");
    },
  });
  const r = await imp.importOne(file("260101_200000_Q.json", "S1", [100_000]));
  assert.equal(r.status, "rejected");
  assert.match(r.reason!, /could not store it: disk unplugged/);
  assert.deepEqual(await allEntries(kv), []);
});

Deno.test("Importer.importMany() commits files in groups and reports every file", async () => {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: false, now: fixedNow, groupSize: 3 });
  const items = [
    file("260101_200000_Q.json", "S1", [101_000]),
    file("260101_210000_Q.json", "S2", [100_000]),
    { name: "260101_220000_Q.json", bytes: new TextEncoder().encode("{ not json") },
    file("260101_230000_Q.json", "S3", [99_000]),
    file("260101_200000_Q.json", "S1", [101_000]),
    { name: "260101_200000_entrylist.json", bytes: new TextEncoder().encode('{"entries": []}') },
    file("260102_200000_Q.json", "S1", [98_000]),
  ];
  const reports: ImportReport[] = [];
  const summary = await imp.importMany(items, (r) => reports.push(r));
  assert.deepEqual(summary, { imported: 4, duplicate: 1, skipped: 1, rejected: 1 });
  assert.equal(reports.length, 7);
  assert.ok(reports.find((r) => r.status === "rejected")!.reason);
  const { entries } = await recordsOf(kvReader(kv), Q, 10);
  assert.deepEqual(entries.map((e) => [e.driver.id, e.lapMs]), [["S1", 98_000], ["S3", 99_000], [
    "S2",
    100_000,
  ]]);
  assert.equal((await getTrack(kv, "acc", "monza"))!.sessions, 4);
  assert.equal((await listOutbox(kv)).length, 0, "--no-announce stores records without announcements");
});

Deno.test("Importer.importMany() replays a failed group file by file and loses nothing", async () => {
  using kv = await Deno.openKv(":memory:");
  let failures = 1;
  const imp = new Importer(kv, {
    announce: true,
    now: fixedNow,
    groupSize: 10,
    beforeCommit: () => {
      if (failures-- > 0) throw new Error("transient");
    },
  });
  const items = [
    file("260101_200000_Q.json", "S1", [101_000]),
    file("260101_210000_Q.json", "S2", [100_000]),
  ];
  const summary = await imp.importMany(items, () => {});
  assert.deepEqual(summary, { imported: 2, duplicate: 0, skipped: 0, rejected: 0 });
  assert.equal((await getTrack(kv, "acc", "monza"))!.sessions, 2);
});

Deno.test("Importer plans again when another import commits on the same track first", async () => {
  using kv = await Deno.openKv(":memory:");
  const other = new Importer(kv, { announce: true, now: fixedNow });
  let raced = false;
  const imp = new Importer(kv, {
    announce: true,
    now: fixedNow,
    beforeCommit: async () => {
      if (raced) return;
      raced = true;
      const r = await other.importOne(file("260101_210000_Q.json", "S2", [100_000]));
      assert.equal(r.status, "imported");
    },
  });
  const r = await imp.importOne(file("260101_200000_Q.json", "S1", [99_000]));
  assert.equal(r.status, "imported");
  assert.equal((await getTrack(kv, "acc", "monza"))!.sessions, 2);
  const { entries, of } = await recordsOf(kvReader(kv), Q, 10);
  assert.equal(of, 2);
  assert.deepEqual(entries.map((e) => e.driver.id), ["S1", "S2"]);
});

Deno.test("Importer.importOne() refuses files over 32 MiB with a reason", async () => {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: true, now: fixedNow });
  const r = await imp.importOne({ name: "huge.json", bytes: new Uint8Array(32 * 1024 * 1024 + 1) });
  assert.equal(r.status, "rejected");
  assert.match(r.reason!, /over the 32 MiB limit/);
});

Deno.test("Importer reads the session time in the server's time zone", async () => {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, {
    announce: true,
    now: fixedNow,
    timeZoneOf: (id) => id === "eu" ? "Europe/Berlin" : undefined,
  });
  const r = await imp.importOne({ ...file("260715_200000_Q.json", "S1", [99_000]), serverId: "eu" });
  assert.equal(r.sessionId?.startsWith("acc-20260715-180000-q-"), true, r.sessionId);
});
