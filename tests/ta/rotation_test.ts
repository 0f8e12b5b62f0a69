import assert from "node:assert/strict";
import { refreshLiveBoard, rotateTimeAttack, type TaDeps } from "@/crons/ta_rotation.ts";
import type { TaEventChanged, TaEventResult } from "@/discord/ta/announce.ts";
import { getRotation } from "@/kv/ta/rotation.ts";
import { outbox, RecordingOutput } from "@/tests/ta/_recording_output.ts";
import { acFile, configOf, importFiles, SEASON_1, taConfig, taConfigFile } from "@/tests/ta/_ta.ts";

const CHANNELS = {
  events: "100000000000000001",
  leaderboard: "100000000000000002",
  standings: "100000000000000003",
  schedule: "100000000000000004",
};

function deps(kv: Deno.Kv, seasons: unknown[] = [SEASON_1]): TaDeps & { taOutput: RecordingOutput } {
  return { kv, config: taConfig(seasons, { channels: CHANNELS }), taOutput: new RecordingOutput() };
}

const t = (iso: string) => new Date(iso);
// event2 (Suzuka) runs 2019-03-01T06:00Z to 2019-03-08T06:00Z; event3 (Vallelunga layout_3) follows.
const EVENT2_START = "2019-03-01T06:00:00Z";

function suzuka(at: string, guid: string, ms: number) {
  return acFile({ at, track: "suzuka", layout: "suzukagp", laps: [{ guid, car: "ks_mclaren_650_gt3", ms }] });
}

Deno.test("rotateTimeAttack() announces a change once, when fired twice at once", async () => {
  using kv = await Deno.openKv(":memory:");
  const d = deps(kv);
  const [a, b] = await Promise.all([
    rotateTimeAttack(d, t("2019-03-01T06:00:30Z")),
    rotateTimeAttack(d, t("2019-03-01T06:00:30Z")),
  ]);
  assert.deepEqual([a.status, b.status].sort(), ["busy", "done"]);
  const again = await rotateTimeAttack(d, t("2019-03-01T06:01:00Z"));
  assert.equal(again.changed, false);
  const items = await outbox(kv);
  assert.equal(items.length, 1);
  const changed = items[0] as TaEventChanged;
  assert.equal(changed.type, "ta_event_changed");
  assert.equal(changed.event.key, "event2");
  assert.equal(changed.event.end, "2019-03-08T06:00:00.000Z");
  assert.deepEqual(changed.event.cars, ["ks_mclaren_650_gt3", "ks_mercedes_amg_gt3"]);
  assert.equal(d.taOutput.of("ta:live:1:event2").length, 1, "the live leaderboard started once");
  assert.equal(d.taOutput.of("ta:schedule:1").length, 1, "the schedule posted once");
  assert.equal(d.taOutput.of("ta:standings:1").length, 1);
  assert.equal((await getRotation(kv)).value!.event, "event2");
});

Deno.test("rotateTimeAttack() is safe on two instances: separate deps, one commit wins", async () => {
  using kv = await Deno.openKv(":memory:");
  const one = deps(kv), two = deps(kv);
  await Promise.all([
    rotateTimeAttack(one, t(EVENT2_START)),
    rotateTimeAttack(two, t(EVENT2_START)),
    rotateTimeAttack(one, t(EVENT2_START)),
  ]);
  await rotateTimeAttack(two, t("2019-03-01T06:01:00Z"));
  assert.equal((await outbox(kv)).length, 1);
  const live = [...one.taOutput.of("ta:live:1:event2"), ...two.taOutput.of("ta:live:1:event2")];
  assert.equal(live.length, 1);
});

Deno.test("rotateTimeAttack() posts the final result after the grace, with the restart's last file", async () => {
  using kv = await Deno.openKv(":memory:");
  const d = deps(kv);
  await importFiles(kv, d.config, [suzuka("2019-03-07T20:00", "1", 126000)]);
  await rotateTimeAttack(d, t("2019-03-07T12:00:00Z"));
  // The switch to event3 at 06:00Z; the restart writes event2's last file at 06:10Z (07:10 Berlin).
  await rotateTimeAttack(d, t("2019-03-08T06:00:00Z"));
  await importFiles(kv, d.config, [suzuka("2019-03-08T07:10", "2", 125000)]);
  await rotateTimeAttack(d, t("2019-03-08T06:29:00Z"));
  assert.deepEqual((await outbox(kv)).map((a) => a.type), ["ta_event_changed", "ta_event_changed"]);
  const r = await rotateTimeAttack(d, t("2019-03-08T06:30:00Z"));
  assert.equal(r.finals, 1);
  const items = await outbox(kv);
  assert.equal(items.length, 3);
  const final = items[2] as TaEventResult;
  assert.equal(final.type, "ta_event_result");
  assert.equal(final.board.key, "event2");
  assert.deepEqual(final.board.entries.map((e) => [e.driver.id, e.lapMs]), [["2", 125000], ["1", 126000]]);
  assert.equal((await rotateTimeAttack(d, t("2019-03-08T06:31:00Z"))).finals, 0, "posted once");
});

Deno.test("rotateTimeAttack() run late does what is due at its time", async () => {
  using kv = await Deno.openKv(":memory:");
  const d = deps(kv);
  await rotateTimeAttack(d, t("2019-03-07T12:00:00Z"));
  // Down for three days: back during event3.
  const r = await rotateTimeAttack(d, t("2019-03-11T09:00:00Z"));
  assert.equal(r.changed, true);
  assert.equal(r.finals, 1);
  const items = await outbox(kv);
  // Same commit time: the old event's result sorts before the new event's start.
  assert.deepEqual(items.map((a) => a.type), ["ta_event_changed", "ta_event_result", "ta_event_changed"]);
  assert.equal((items[1] as TaEventResult).board.key, "event2");
  assert.equal((items[2] as TaEventChanged).event.key, "event3");
});

Deno.test("rotateTimeAttack() switches at 03:30 CDT for an event set at 02:30 on a spring-forward night", async () => {
  using kv = await Deno.openKv(":memory:");
  const d = deps(kv, [{
    season: 5,
    timeZone: "America/Chicago",
    events: [
      { key: "before", start: "2026-03-01T00:00", track: "monza", cars: ["car"] },
      { key: "spring", start: "2026-03-08T02:30", track: "imola", cars: ["car"] },
    ],
  }]);
  await rotateTimeAttack(d, t("2026-03-08T07:59:00Z")); // 01:59 CST
  await rotateTimeAttack(d, t("2026-03-08T08:29:00Z")); // 03:29 CDT: 02:30 never came
  assert.equal((await getRotation(kv)).value!.event, "before");
  await rotateTimeAttack(d, t("2026-03-08T08:30:00Z")); // 03:30 CDT
  assert.equal((await getRotation(kv)).value!.event, "spring");
  const items = await outbox(kv);
  assert.equal(items.length, 2);
  assert.equal((items[1] as TaEventChanged).event.start, "2026-03-08T08:30:00.000Z");
});

Deno.test("refreshLiveBoard() makes one edit for 50 laps in one second", async () => {
  using kv = await Deno.openKv(":memory:");
  const d = deps(kv);
  await rotateTimeAttack(d, t("2019-03-02T10:00:00Z"));
  const live = () => d.taOutput.of("ta:live:1:event2");
  assert.deepEqual(live().map((s) => s.op), ["post"]);
  const start = Date.parse("2019-03-02T10:05:00Z");
  const states = [];
  for (let i = 0; i < 50; i++) {
    await importFiles(kv, d.config, [suzuka("2019-03-02T11:00", `${100 + i}`, 130000 - i)]);
    states.push((await refreshLiveBoard(d, new Date(start + i * 20))).status);
  }
  assert.ok(states.every((s) => s === "waiting"), states.join());
  assert.equal(live().length, 1, "nothing sent during the burst");
  assert.equal((await refreshLiveBoard(d, new Date(start + 4_999))).status, "waiting");
  assert.equal((await refreshLiveBoard(d, new Date(start + 5_000))).status, "sent");
  assert.equal((await refreshLiveBoard(d, new Date(start + 9_000))).status, "same");
  assert.deepEqual(live().map((s) => s.op), ["post", "edit"]);
  const text = live()[1]!.payload.embeds[0]!.description!;
  assert.match(text, /\*\*1\.\*\* Driver 149: `2:09\.951`/);
  assert.match(text, /Ends <t:1552024800:R>/, "time left as a Discord relative timestamp");
  assert.match(text, /\.\.\. and 25 more/);
  // A file on another track changes nothing: no wait, no edit.
  await importFiles(kv, d.config, [
    acFile({
      at: "2019-03-02T11:00",
      track: "monza",
      laps: [{ guid: "5", car: "ks_mclaren_650_gt3", ms: 1 }],
    }),
  ]);
  assert.equal((await refreshLiveBoard(d, new Date(start + 9_100))).status, "same");
  // The next lap after the burst is again held back for the interval, then sent.
  await importFiles(kv, d.config, [suzuka("2019-03-02T11:00", "999", 100000)]);
  assert.equal((await refreshLiveBoard(d, new Date(start + 9_500))).status, "waiting");
  assert.equal((await refreshLiveBoard(d, new Date(start + 14_500))).status, "sent");
  assert.equal(live().length, 3);
});

Deno.test("rotateTimeAttack() edits the schedule on a config change and the standings after new laps", async () => {
  using kv = await Deno.openKv(":memory:");
  const d = deps(kv);
  await rotateTimeAttack(d, t("2019-03-02T10:00:00Z"));
  await rotateTimeAttack(d, t("2019-03-02T10:01:00Z"));
  assert.equal(d.taOutput.of("ta:schedule:1").length, 1);
  assert.equal(d.taOutput.of("ta:standings:1").length, 1);
  await importFiles(kv, d.config, [suzuka("2019-03-02T11:00", "7", 125000)]);
  await rotateTimeAttack(d, t("2019-03-02T10:02:00Z"));
  assert.equal(d.taOutput.of("ta:schedule:1").length, 1, "same config: the schedule stays");
  const standings = d.taOutput.of("ta:standings:1");
  assert.deepEqual(standings.map((s) => s.op), ["post", "edit"]);
  assert.match(standings[1]!.payload.embeds[0]!.description!, /\*\*1\.\*\* Driver 7: \*\*101\.00\*\*/);
  // A car added to event2 in the config: the schedule is edited once.
  const changed = structuredClone(SEASON_1);
  changed.events[2]!.cars.push("ks_nissan_gtr_gt3");
  const d2 = { ...d, config: configOf({ ...taConfigFile([changed], { channels: CHANNELS }) }) };
  await rotateTimeAttack(d2, t("2019-03-02T10:03:00Z"));
  await rotateTimeAttack(d2, t("2019-03-02T10:04:00Z"));
  const schedule = d.taOutput.of("ta:schedule:1");
  assert.deepEqual(schedule.map((s) => s.op), ["post", "edit"]);
  assert.match(schedule[1]!.payload.embeds[0]!.description!, /▶ \*\*event2\*\*.*ks\\_nissan\\_gtr\\_gt3/);
});

Deno.test("rotateTimeAttack() without Discord still advances the state", async () => {
  using kv = await Deno.openKv(":memory:");
  const d = { ...deps(kv), taOutput: null };
  const r = await rotateTimeAttack(d, t(EVENT2_START));
  assert.equal(r.changed, true);
  assert.equal((await outbox(kv)).length, 0);
  assert.equal((await getRotation(kv)).value!.event, "event2");
});
