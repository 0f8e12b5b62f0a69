import assert from "node:assert/strict";
import { rotateTimeAttack } from "@/crons/ta_rotation.ts";
import { watchLiveBoard } from "@/crons/ta_live.ts";
import { waitFor } from "@/tests/discord/_delivery_env.ts";
import { CHANNELS, taDiscordEnv, textOf } from "@/tests/ta/_discord_env.ts";
import { acFile, configOf, importFiles, taConfigFile } from "@/tests/ta/_ta.ts";
import { fromFileUrl } from "@/tests/_path.ts";

Deno.test("watchLiveBoard() edits the live leaderboard after an import in this process", async () => {
  const env = await taDiscordEnv();
  try {
    await rotateTimeAttack(env.ta, new Date("2019-03-02T10:00:00Z"));
    const live = env.in("leaderboard")[0]!;
    // A clock that moves 5 s at each reading: the throttled edit is due as soon as it is scheduled.
    let t = Date.parse("2019-03-02T10:05:00Z");
    const watch = watchLiveBoard(env.ta, { now: () => new Date(t += 5_000) });
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
      watch.stop();
    }
    assert.match(textOf(live), /\*\*1\.\*\* Watcher: `2:05\.000`/);
  } finally {
    await env.close();
  }
});

const CLI = fromFileUrl(new URL("../../ingest/cli.ts", import.meta.url));

Deno.test("watchLiveBoard() edits the live leaderboard within seconds of a CLI import in another process", async () => {
  const dir = await Deno.makeTempDir({ prefix: "podium-ta-live-" });
  const kvPath = `${dir}/podium.kv`;
  const env = await taDiscordEnv(undefined, { kvPath });
  const log: string[] = [];
  const watch = watchLiveBoard(env.ta, { log: (l) => log.push(l) });
  try {
    // The real clock: the current event is the one running now (generated, open-ended).
    const nowWall = Temporal.Now.plainDateTimeISO("Europe/Berlin");
    const config = taConfigFile([{
      season: 3,
      timeZone: "Europe/Berlin",
      events: [{
        key: "now",
        start: nowWall.subtract({ days: 1 }).toString().slice(0, 16),
        track: "ks_laguna_seca",
        cars: ["ks_mazda_mx5_cup"],
      }],
    }], { channels: CHANNELS });
    env.ta.config = configOf(config);
    await rotateTimeAttack(env.ta, new Date());
    const live = env.in("leaderboard")[0]!;
    assert.match(textOf(live), /Laguna Seca · Mazda MX-5 Cup[\s\S]*No laps yet/);
    await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(config));
    const file = acFile({
      at: nowWall.subtract({ minutes: 5 }).toString().slice(0, 16),
      track: "ks_laguna_seca",
      laps: [{ guid: "765", name: "Other Process", car: "ks_mazda_mx5_cup", ms: 95_228 }],
    });
    await Deno.writeFile(`${dir}/${file.name}`, file.bytes);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "--no-announce", "--server", "ac-ta", `${dir}/${file.name}`],
      env: { NO_COLOR: "1", PODIUM_KV: kvPath, PODIUM_CONFIG: `${dir}/config.json` },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const imported = Date.now();
    // The first edit after the post waits out the 5-second throttle; the poll hears the other process.
    await waitFor(() => live.edits === 1, 15_000, "the live leaderboard's edit");
    const tookMs = Date.now() - imported;
    assert.ok(tookMs < 10_000, `edited ${tookMs} ms after the import`);
    assert.match(textOf(live), /\*\*1\.\*\* Other Process: `1:35\.228`/);
    assert.deepEqual(log, []);
  } finally {
    watch.stop();
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});
