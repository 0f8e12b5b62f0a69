import assert from "node:assert/strict";
import { acFile, taConfig } from "@/tests/ta/_ta.ts";
import { Importer } from "@/ingest/importer.ts";
import { applyLiveBatch, listLiveLaps } from "@/kv/live/state.ts";
import type { LiveBatch } from "@/games/ac/live.ts";
import { topOfBoard } from "@/kv/racing/boards.ts";
import { listDriverTracks } from "@/kv/racing/drivers.ts";
import { kvReader } from "@/kv/reader.ts";
import { outboxPrefix } from "@/kv/keys.ts";
import { seasonBoards } from "@/kv/ta/boards.ts";

const ALICE = { guid: "76561190000000001", driver: "Alice", model: "ks_mazda_mx5_cup" };
const BOARD = { game: "ac" as const, track: "ks_vallelunga@club_circuit", kind: "Q" as const, cls: "all" };
const NOW = new Date("2026-01-05T12:00:00Z");

/** A batch as the agent sends it: a qualifying session, Alice in car 0, then her laps. */
function batch(stream: string, laps: [number, number][], from = 1): LiveBatch {
  const at = NOW.getTime();
  const events: LiveBatch["events"] = [];
  let seq = from;
  if (from === 1) {
    events.push({
      seq: seq++,
      at: at - 60_000,
      type: "session",
      isNew: true,
      track: "ks_vallelunga",
      layout: "club_circuit",
      name: "Qualify",
      sessionType: 2,
      serverName: "TA",
      elapsedMs: 0,
    });
    events.push({ seq: seq++, at: at - 59_000, type: "connect", carId: 0, ...ALICE, skin: "" });
  }
  for (const [i, [lapMs, cuts]] of laps.entries()) {
    events.push({ seq: seq++, at: at + i * 1000, type: "lap", carId: 0, lapMs, cuts, board: [], grip: 1 });
  }
  return { stream, sentAt: at, events, done: [] };
}

async function outbox(kv: Deno.Kv): Promise<{ type: string; lapMs?: number }[]> {
  return (await Array.fromAsync(
    kv.list<{ payload?: { type: string; lapMs?: number } }>({ prefix: outboxPrefix() }),
  ))
    .map((e) => (e.value.payload ?? e.value) as { type: string; lapMs?: number });
}

Deno.test("reconcileLiveLaps(): the results file's laps already seen live count once", async (t) => {
  const kv = await Deno.openKv(":memory:");
  const config = taConfig();
  const importer = new Importer(kv, {
    announce: true,
    now: () => NOW,
    timeZoneOf: (id) => config.servers.find((s) => s.id === id)?.timeZone,
  });
  try {
    await t.step("live laps set the record and a PB as they are driven", async () => {
      const r1 = await applyLiveBatch(kv, "ac-ta", batch("s1", [[95_000, 0], [94_000, 1]]), {
        now: NOW,
        announce: true,
      });
      assert.equal(r1.bests.records, 2); // overall and the car's class
      assert.equal(r1.bests.announcements, 1);
      const r2 = await applyLiveBatch(kv, "ac-ta", batch("s1", [[93_500, 0]], 5), {
        now: NOW,
        announce: true,
      });
      assert.deepEqual(r2.bests, { records: 2, personalBests: 1, announcements: 1 });
      // The same batch again (its answer was lost): nothing happens twice.
      const again = await applyLiveBatch(kv, "ac-ta", batch("s1", [[93_500, 0]], 5), {
        now: NOW,
        announce: true,
      });
      assert.deepEqual([again.applied, again.laps, again.ack], [0, 0, 5]);
      assert.deepEqual((await topOfBoard(kvReader(kv), BOARD, 5)).map((e) => e.lapMs), [93_500]);
    });
    const announcedLive = (await outbox(kv)).length;
    assert.ok(announcedLive >= 2);

    await t.step(
      "the results file, dated before the live laps, adds the session and nothing else",
      async () => {
        // Dated earlier than the live laps on purpose: only matching, not time order, keeps it from counting.
        const file = acFile({
          at: "2026-01-05T09:00",
          track: "ks_vallelunga",
          layout: "club_circuit",
          type: "QUALIFY",
          laps: [
            { guid: ALICE.guid, name: "Alice", car: ALICE.model, ms: 95_000 },
            { guid: ALICE.guid, name: "Alice", car: ALICE.model, ms: 94_000, cuts: 1 },
            { guid: ALICE.guid, name: "Alice", car: ALICE.model, ms: 93_500 },
          ],
        });
        const r = await importer.importOne({ ...file, serverId: "ac-ta" });
        assert.equal(r.status, "imported", r.reason);
        assert.deepEqual([r.records, r.personalBests, r.announcements], [0, 0, 0]);
        assert.equal((await outbox(kv)).length, announcedLive);
        assert.deepEqual(await listLiveLaps(kvReader(kv), "ac-ta"), []);
        const top = await topOfBoard(kvReader(kv), BOARD, 5);
        assert.deepEqual(top.map((e) => [e.driver.name, e.lapMs]), [["Alice", 93_500]]);
        const st = (await listDriverTracks(kvReader(kv), ALICE.guid)).find((s) => s.kind === "Q")!;
        assert.deepEqual([st.sessions, st.laps, st.validLaps], [1, 3, 2]);
      },
    );

    await t.step("a lap the agent missed still counts from the file", async () => {
      const file = acFile({
        at: "2026-01-05T13:30",
        track: "ks_vallelunga",
        layout: "club_circuit",
        type: "QUALIFY",
        laps: [{ guid: ALICE.guid, name: "Alice", car: ALICE.model, ms: 93_000 }],
      });
      const r = await importer.importOne({ ...file, serverId: "ac-ta" });
      assert.equal(r.personalBests, 1);
      assert.equal(r.announcements, 1);
    });

    await t.step("a live lap arriving after its file ties the best: not counted again", async () => {
      const r = await applyLiveBatch(kv, "ac-ta", batch("s1", [[93_000, 0]], 6), {
        now: NOW,
        announce: true,
      });
      assert.equal(r.laps, 1);
      assert.deepEqual(r.bests, { records: 0, personalBests: 0, announcements: 0 });
    });
  } finally {
    kv.close();
  }
});

Deno.test("seasonBoards() puts live laps on the time-attack board before any file", async () => {
  const kv = await Deno.openKv(":memory:");
  const config = taConfig([{
    season: 1,
    timeZone: "UTC",
    events: [{
      key: "e1",
      start: "2026-01-01T00:00",
      track: "ks_vallelunga",
      layout: "club_circuit",
      cars: [ALICE.model],
    }],
  }]);
  try {
    // Practice: no PBs or records from live laps, but the time-attack board counts them.
    const b = batch("s1", [[95_000, 0], [91_000, 3]]);
    b.events[0]!.sessionType = 1;
    await applyLiveBatch(kv, "ac-ta", b, { now: NOW, announce: true });
    assert.deepEqual(await topOfBoard(kvReader(kv), BOARD, 5), []);
    const [board] = await seasonBoards(kv, config.timeAttack!, config.timeAttack!.seasons[0]!);
    assert.deepEqual(board!.entries.map((e) => [e.driver.name, e.lapMs]), [["Alice", 95_000]]);
  } finally {
    kv.close();
  }
});
