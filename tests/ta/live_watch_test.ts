import assert from "node:assert/strict";
import { rotateTimeAttack } from "@/crons/ta_rotation.ts";
import { watchLiveBoard } from "@/crons/ta_live.ts";
import { RecordingOutput } from "@/tests/ta/_recording_output.ts";
import { acFile, importFiles, taConfig } from "@/tests/ta/_ta.ts";

Deno.test("watchLiveBoard() edits the live leaderboard after an import in this process", async () => {
  using kv = await Deno.openKv(":memory:");
  const out = new RecordingOutput();
  const channels = { leaderboard: "100000000000000002" };
  const d = { kv, config: taConfig(undefined, { channels }), taOutput: out };
  await rotateTimeAttack(d, new Date("2019-03-02T10:00:00Z"));
  assert.equal(out.sends.length, 1);
  // A clock that moves 5 s at each reading: the throttled edit is due as soon as it is scheduled.
  let t = Date.parse("2019-03-02T10:05:00Z");
  const stop = watchLiveBoard(d, () => new Date(t += 5_000));
  try {
    await importFiles(kv, d.config, [
      acFile({
        at: "2019-03-02T11:00",
        track: "suzuka",
        layout: "suzukagp",
        laps: [{ guid: "42", name: "Watcher", car: "ks_mclaren_650_gt3", ms: 125000 }],
      }),
    ]);
    await out.sendsReach(2);
  } finally {
    stop();
  }
  assert.equal(out.sends[1]!.op, "edit");
  assert.match(out.sends[1]!.payload.embeds[0]!.description!, /\*\*1\.\*\* Watcher: `2:05\.000`/);
});
