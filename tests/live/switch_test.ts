import assert from "node:assert/strict";
import { rotateTimeAttack, type TaDeps } from "@/crons/ta_rotation.ts";
import { connectSsh } from "@/lib/ssh.ts";
import { applyLiveBatch } from "@/kv/live/state.ts";
import { pendingLiveCommands } from "@/kv/live/commands.ts";
import { kvReader } from "@/kv/reader.ts";
import { sshdTest } from "@/tests/fakes/sshd.ts";
import { configOf, SEASON_1, taConfigFile } from "@/tests/ta/_ta.ts";

const CFG = "[SERVER]\nNAME=League TA\nCARS=old\nTRACK=old\nCONFIG_TRACK=old\nMAX_CLIENTS=18\n";

sshdTest(
  "rotateTimeAttack() warns in chat, then kicks everyone through the agent, then restarts",
  async (sshd) => {
    await Deno.mkdir(`${sshd.root}/cfg`);
    await Deno.writeTextFile(`${sshd.root}/cfg/server_cfg.ini`, CFG);
    const log = `${sshd.root}/cfg/restarts.log`;
    using kv = await Deno.openKv(":memory:");
    const file = taConfigFile([SEASON_1], {
      serverSwitch: {
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        privateKeyEnv: "TA_SSH_KEY",
        hostKeyFingerprint: sshd.hostKeyFingerprint,
        cfgDir: `${sshd.root}/cfg`,
        restartCommand: `echo restarted >> ${log}`,
        kickBeforeRestart: { warnSeconds: 90 },
      },
    });
    const d: TaDeps = {
      kv,
      config: configOf(file),
      taOutput: null,
      connectSsh: (t) => connectSsh(t, { timeoutMs: 10_000 }),
      env: (n) => n === "TA_SSH_KEY" ? sshd.privateKey : undefined,
    };
    const t0 = new Date("2019-03-01T06:00:00Z");
    await applyLiveBatch(kv, "ac-ta", {
      stream: "s",
      sentAt: t0.getTime(),
      done: [],
      events: [
        { seq: 1, at: t0.getTime(), type: "connect", carId: 2, driver: "A", guid: "g1", model: "m" },
        { seq: 2, at: t0.getTime(), type: "connect", carId: 5, driver: "B", guid: "g2", model: "m" },
        { seq: 3, at: t0.getTime(), type: "disconnect", carId: 5, driver: "B", guid: "g2", model: "m" },
      ],
    }, { now: t0, announce: false });
    const commands = async (at: Date) =>
      (await pendingLiveCommands(kvReader(kv), "ac-ta", at)).map((c) =>
        c.kind === "say" ? c.text : `kick ${c.carId}`
      );

    assert.equal((await rotateTimeAttack(d, t0)).switch, "warned");
    assert.deepEqual(await commands(t0), [
      "The server restarts for the next time-attack event in 90 seconds",
    ]);
    await assert.rejects(Deno.stat(log), "not restarted yet");

    const t1 = new Date(t0.getTime() + 60_000);
    assert.equal((await rotateTimeAttack(d, t1)).switch, "warned");
    assert.equal((await commands(t1)).length, 1, "warned once");

    const t2 = new Date(t0.getTime() + 120_000);
    assert.equal((await rotateTimeAttack(d, t2)).switch, "switched");
    assert.deepEqual(
      (await commands(t2)).filter((c) => c.startsWith("kick")),
      ["kick 2"],
      "only cars still on",
    );
    assert.equal(await Deno.readTextFile(log), "restarted\n");
    assert.equal((await rotateTimeAttack(d, new Date(t2.getTime() + 60_000))).switch, "same");
  },
);
