import assert from "node:assert/strict";
import { applySession } from "@/kv/racing/apply.ts";
import { KvTxn } from "@/kv/txn.ts";
import { driverPbs, recordsOf } from "@/kv/racing/records.ts";
import { kvReader } from "@/kv/reader.ts";
import { listOutbox } from "@/kv/outbox.ts";
import type { RacingAnnouncement } from "@/kv/racing/announcements.ts";
import { session } from "@/tests/_fixtures.ts";
import type { NormalizedSession } from "@/games/racing/types.ts";
import { listPeopleAudit, mergeIdentities, splitIdentity, undoPeopleChange } from "@/kv/people/merge.ts";
import { boardIdOf, personOf } from "@/kv/people/people.ts";
import { finishPeopleOps } from "@/kv/people/regroup.ts";
import { boardCountKey, boardPrefix } from "@/kv/racing/keys.ts";
import type { BoardCounts } from "@/kv/racing/boards.ts";
import { searchNames } from "@/kv/racing/names.ts";
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";

let n = 0;
async function store(kv: Deno.Kv, s: NormalizedSession) {
  const txn = new KvTxn(kv);
  const res = await applySession(txn, s, {
    fileName: "f.json",
    sha256: `people${n++}`.padEnd(64, "0"),
    importedAt: new Date("2026-01-01T00:00:00Z"),
  }, { announce: true, now: new Date("2026-01-01T00:00:00Z") });
  await txn.commit();
  return res;
}

const Q = { game: "acc" as const, track: "monza", kind: "Q" as const, cls: "all" };
let clock = Date.parse("2026-02-01T00:00:00Z");
const meta = (by = "admin") => ({ by, now: new Date(clock += 60_000) });
const drivers = (...ids: string[]) => ids.map((id) => ({ kind: "driver" as const, id }));

/** A board's lines and its counts, which must agree (rank reads rest on the counts). */
async function board(kv: Deno.Kv, b = Q) {
  const { entries, of } = await recordsOf(kvReader(kv), b, 50);
  const keys = await Array.fromAsync(kv.list({ prefix: boardPrefix(b) }));
  const counts = (await kv.get<BoardCounts>(boardCountKey(b))).value;
  assert.equal(of, keys.length, "the count agrees with the entries");
  assert.equal(counts?.record?.driverId ?? null, entries[0]?.driver.id ?? null, "the record agrees");
  return entries.map((e) => [e.driver.id, e.driver.name, e.lapMs]);
}

async function announcements(kv: Deno.Kv) {
  return (await listOutbox<RacingAnnouncement>(kv)).map((o) => o.announcement);
}

async function seed(kv: Deno.Kv) {
  await store(kv, session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] }));
  await store(kv, session({ at: "2026-01-02T20:00:00Z", cars: [{ driver: "B", laps: [99_500] }] }));
  await store(kv, session({ at: "2026-01-03T20:00:00Z", cars: [{ driver: "C", laps: [101_000] }] }));
  await store(
    kv,
    session({ at: "2026-01-04T20:00:00Z", track: "spa", cars: [{ driver: "A", laps: [130_000] }] }),
  );
}

Deno.test("mergeIdentities() and splitIdentity() round trip: boards recomputed, nothing announced", async (t) => {
  using kv = await Deno.openKv(":memory:");
  await seed(kv);
  const announced = (await announcements(kv)).length;
  const before = await board(kv);
  assert.deepEqual(before, [["B", "Driver B", 99_500], ["A", "Driver A", 100_000], [
    "C",
    "Driver C",
    101_000,
  ]]);

  let personId = "";
  await t.step("merge: the person is counted once, under the chosen name", async () => {
    const { person, result } = await mergeIdentities(
      kv,
      { identities: drivers("A", "B"), name: "Alex" },
      meta(),
    );
    personId = person.id;
    assert.ok(result && result.tracks === 2);
    assert.deepEqual(await board(kv), [[personId, "Alex", 99_500], ["C", "Driver C", 101_000]]);
    assert.deepEqual(await board(kv, { ...Q, track: "spa" }), [[personId, "Alex", 130_000]]);
    assert.equal(await boardIdOf(kv, "A"), personId);
    assert.equal((await personOf(kv, { kind: "driver", id: "B" }))?.name, "Alex");
    const pbs = await driverPbs(kvReader(kv), personId);
    const monza = pbs!.pbs.find((p) => p.track === "monza")!;
    assert.deepEqual([pbs!.driver.name, monza.sessions, monza.lapMs, monza.rank, monza.of], [
      "Alex",
      2,
      99_500,
      1,
      2,
    ]);
    assert.deepEqual(monza.history.map((h) => h.lapMs), [100_000, 99_500], "history kept");
    assert.equal((await announcements(kv)).length, announced, "a merge announces nothing");
    const found = await searchNames(kv, { query: "", kind: "driver" });
    assert.deepEqual(found.map((h) => h.id).sort(), ["C", personId].sort(), "merged drivers leave the index");
  });

  await t.step(
    "imports after the merge count the person: no PB for a lap slower than the person's",
    async () => {
      await store(kv, session({ at: "2026-01-05T20:00:00Z", cars: [{ driver: "A", laps: [99_800] }] }));
      assert.equal(
        (await announcements(kv)).length,
        announced,
        "A's own PB (100.000 -> 99.800) is no PB of Alex",
      );
      assert.deepEqual(await board(kv), [[personId, "Alex", 99_500], ["C", "Driver C", 101_000]]);
      await store(kv, session({ at: "2026-01-06T20:00:00Z", cars: [{ driver: "A", laps: [99_000] }] }));
      const news = (await announcements(kv)).slice(announced);
      assert.deepEqual(news.map((a) => [a.type, "driver" in a ? a.driver.name : ""]), [[
        "track_record",
        "Alex",
      ]]);
    },
  );

  await t.step("split: each driver back on their own, with their own laps; nothing announced", async () => {
    const count = (await announcements(kv)).length;
    await splitIdentity(kv, { kind: "driver", id: "B" }, meta());
    assert.deepEqual(await board(kv), [["A", "Driver A", 99_000], ["B", "Driver B", 99_500], [
      "C",
      "Driver C",
      101_000,
    ]]);
    assert.equal(await boardIdOf(kv, "A"), "A", "a person left with one identity ends");
    assert.equal((await announcements(kv)).length, count);
    const a = (await driverPbs(kvReader(kv), "A"))!.pbs.find((p) => p.track === "monza")!;
    assert.deepEqual([a.sessions, a.history.map((h) => h.lapMs)], [3, [100_000, 99_800, 99_000]]);
    assert.equal(await driverPbs(kvReader(kv), personId), null, "the person's page is gone");
  });

  await t.step("undo brings the merge back; the audit log has every step", async () => {
    await undoPeopleChange(kv, null, meta());
    assert.deepEqual(await board(kv), [[personId, "Alex", 99_000], ["C", "Driver C", 101_000]]);
    const log = await listPeopleAudit(kv);
    assert.deepEqual(log.map((e) => e.action), ["undo", "split", "merge"]);
    assert.equal(log[0]!.by, "admin");
  });
});

Deno.test("regroup in batches: an import that meets a track not yet rewritten rewrites it itself", async () => {
  using kv = await Deno.openKv(":memory:");
  await seed(kv);
  const tracks = ["t1", "t2", "t3", "t4", "t5"];
  for (const [i, track] of tracks.entries()) {
    await store(
      kv,
      session({ at: `2026-01-1${i}T20:00:00Z`, track, cars: [{ driver: "A", laps: [90_000 + i] }] }),
    );
    await store(
      kv,
      session({ at: `2026-01-1${i}T21:00:00Z`, track, cars: [{ driver: "B", laps: [91_000 + i] }] }),
    );
  }
  const { person, result } = await mergeIdentities(
    kv,
    { identities: drivers("A", "B"), name: "Alex" },
    { ...meta(), maxWrites: 30, headOnly: true },
  );
  assert.equal(result!.tracks, 7);
  // A new lap of B on t5 while the regrouping stopped: the import rewrites t5 first.
  await store(
    kv,
    session({ at: "2026-01-20T20:00:00Z", track: "t5", cars: [{ driver: "B", laps: [89_000] }] }),
  );
  assert.deepEqual(await board(kv, { ...Q, track: "t5" }), [[person.id, "Alex", 89_000]]);
  assert.equal(await finishPeopleOps(kv), 1);
  for (const [i, track] of tracks.entries()) {
    const lap = track === "t5" ? 89_000 : 90_000 + i;
    assert.deepEqual(await board(kv, { ...Q, track }), [[person.id, "Alex", lap]], track);
  }
  assert.deepEqual(await board(kv), [[person.id, "Alex", 99_500], ["C", "Driver C", 101_000]]);
  assert.equal(await finishPeopleOps(kv), 0);
});

Deno.test("mergeIdentities() refuses a person of one identity and merges people whole", async () => {
  using kv = await Deno.openKv(":memory:");
  await seed(kv);
  await assert.rejects(() => mergeIdentities(kv, { identities: drivers("A") }, meta()), /two identities/);
  const ab = await mergeIdentities(kv, { identities: drivers("A", "B"), name: "Alex" }, meta());
  const all = await mergeIdentities(
    kv,
    { identities: [{ kind: "driver", id: "C" }, ...drivers("B")] },
    meta(),
  );
  assert.equal(all.person.id, ab.person.id, "C joins Alex (B's person keeps its id)");
  assert.equal(all.person.name, "Alex");
  assert.deepEqual(await board(kv), [[ab.person.id, "Alex", 99_500]]);
});

Deno.test("driver pages and the API send a merged driver to their person's page", async () => {
  using kv = await Deno.openKv(":memory:");
  await seed(kv);
  const { person } = await mergeIdentities(kv, { identities: drivers("A", "B"), name: "Alex <b>" }, meta());
  const app = createApp({ kv, config: loadConfig(() => undefined), now: () => new Date() });
  let res = await app.request("/drivers/A");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), `/drivers/${person.id}`);
  res = await app.request(`/drivers/${person.id}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(html.includes("Alex &lt;b&gt;") && !html.includes("Alex <b>"), "the chosen name, escaped");
  // The person's sessions are those of each of their drivers, newest first.
  const driven = html.slice(html.indexOf('id="driven"')).split("<tbody>")[1]!.split("</tbody>")[0]!;
  assert.deepEqual(
    [...driven.matchAll(/<a href="\/sessions\/[^"]+">(\d{4}-\d{2}-\d{2})<\/a>/g)].map((m) => m[1]),
    [
      "2026-01-04",
      "2026-01-02",
      "2026-01-01",
    ],
  );
  res = await app.request("/api/drivers/B");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), `/api/drivers/${person.id}`);
  res = await app.request(`/api/drivers/${person.id}`);
  assert.equal((await res.json()).driver.name, "Alex <b>");
});
