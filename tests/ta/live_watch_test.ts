import assert from "node:assert/strict";
import { rotateTimeAttack } from "@/crons/ta_rotation.ts";
import { watchLiveBoard } from "@/crons/ta_live.ts";
import { waitFor } from "@/tests/discord/_delivery_env.ts";
import { taDiscordEnv, textOf } from "@/tests/ta/_discord_env.ts";
import { acFile, importFiles } from "@/tests/ta/_ta.ts";

Deno.test("watchLiveBoard() edits the live leaderboard after an import in this process", async () => {
  const env = await taDiscordEnv();
  try {
    await rotateTimeAttack(env.ta, new Date("2019-03-02T10:00:00Z"));
    const live = env.in("leaderboard")[0]!;
    // A clock that moves 5 s at each reading: the throttled edit is due as soon as it is scheduled.
    let t = Date.parse("2019-03-02T10:05:00Z");
    const stop = watchLiveBoard(env.ta, () => new Date(t += 5_000));
    try {
      await importFiles(env.kv, env.config, [
        acFile({
          at: "2019-03-02T11:00",
          track: "suzuka",
          layout: "suzukagp",
          laps: [{ guid: "42", name: "Watcher", car: "ks_mclaren_650_gt3", ms: 125000 }],
        }),
      ]);
      await waitFor(() => live.edits === 1, 5000, "the live leaderboard's edit");
    } finally {
      stop();
    }
    assert.match(textOf(live), /\*\*1\.\*\* Watcher: `2:05\.000`/);
  } finally {
    await env.close();
  }
});
