import assert from "node:assert/strict";
import { rotateTimeAttack, type TaDeps } from "@/crons/ta_rotation.ts";
import { connectSsh } from "@/lib/ssh.ts";
import { sshdTest } from "@/tests/fakes/sshd.ts";
import { configOf, SEASON_1, taConfigFile } from "@/tests/ta/_ta.ts";

const CFG =
  "[SERVER]\nNAME=League TA\nCARS=old\nTRACK=old\nCONFIG_TRACK=old\nMAX_CLIENTS=18\nUDP_PORT=9600\n\n[WEATHER_0]\nGRAPHICS=3_clear\n";

function depsFor(
  kv: Deno.Kv,
  sshd: {
    host: string;
    port: number;
    user: string;
    privateKey: string;
    hostKeyFingerprint: string;
    root: string;
  },
  restartCommand: string,
  fingerprint = sshd.hostKeyFingerprint,
): TaDeps {
  const file = taConfigFile([SEASON_1], {
    serverSwitch: {
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      privateKeyEnv: "TA_SSH_KEY",
      hostKeyFingerprint: fingerprint,
      cfgDir: `${sshd.root}/cfg/`,
      restartCommand,
      slots: 5,
    },
  });
  return {
    kv,
    config: configOf(file),
    taOutput: null,
    connectSsh: (t) => connectSsh(t, { timeoutMs: 10_000 }),
    env: (n) => n === "TA_SSH_KEY" ? sshd.privateKey : undefined,
  };
}

sshdTest(
  "rotateTimeAttack() switches the AC server over SSH once per event, against a real sshd",
  async (sshd) => {
    await Deno.mkdir(`${sshd.root}/cfg`);
    await Deno.writeTextFile(`${sshd.root}/cfg/server_cfg.ini`, CFG);
    const log = `${sshd.root}/cfg/restarts.log`;
    using kv = await Deno.openKv(":memory:");
    const d = depsFor(kv, sshd, `echo restarted >> ${log}`);
    const r = await rotateTimeAttack(d, new Date("2019-03-01T06:00:00Z"));
    assert.equal(r.switch, "switched");
    const cfg = await Deno.readTextFile(`${sshd.root}/cfg/server_cfg.ini`);
    assert.match(cfg, /^NAME=League TA$/m, "other keys are kept");
    assert.match(cfg, /^TRACK=suzuka$/m);
    assert.match(cfg, /^CONFIG_TRACK=suzukagp$/m);
    assert.match(cfg, /^CARS=ks_mclaren_650_gt3;ks_mercedes_amg_gt3$/m);
    assert.match(cfg, /^NUM_CARS=2$/m);
    assert.match(cfg, /^MAX_CLIENTS=5$/m);
    assert.match(cfg, /\[WEATHER_0\]\nGRAPHICS=3_clear/);
    const entries = await Deno.readTextFile(`${sshd.root}/cfg/entry_list.ini`);
    assert.deepEqual(
      [...entries.matchAll(/^MODEL=(.*)$/gm)].map((m) => m[1]),
      [
        "ks_mclaren_650_gt3",
        "ks_mercedes_amg_gt3",
        "ks_mclaren_650_gt3",
        "ks_mercedes_amg_gt3",
        "ks_mclaren_650_gt3",
      ],
    );
    assert.equal(await Deno.readTextFile(log), "restarted\n");
    assert.equal((await rotateTimeAttack(d, new Date("2019-03-01T06:01:00Z"))).switch, "same");
    assert.equal(await Deno.readTextFile(log), "restarted\n", "never twice for one event");

    // The next event's switch fails (the restart command exits 3): tried again at the next run.
    const failing = depsFor(kv, sshd, "echo no permission >&2; exit 3");
    const bad = await rotateTimeAttack(failing, new Date("2019-03-08T06:00:00Z"));
    assert.match((bad.switch as { error: string }).error, /"event3".*exited with 3: no permission/);
    const good = depsFor(kv, sshd, `echo restarted >> ${log}`);
    assert.equal((await rotateTimeAttack(good, new Date("2019-03-08T06:01:00Z"))).switch, "switched");
    assert.match(await Deno.readTextFile(`${sshd.root}/cfg/server_cfg.ini`), /^CONFIG_TRACK=layout_3$/m);
    assert.equal(await Deno.readTextFile(log), "restarted\nrestarted\n");
  },
);

sshdTest("rotateTimeAttack() refuses a server whose host key does not match", async (sshd) => {
  await Deno.mkdir(`${sshd.root}/cfg`);
  await Deno.writeTextFile(`${sshd.root}/cfg/server_cfg.ini`, CFG);
  using kv = await Deno.openKv(":memory:");
  const d = depsFor(kv, sshd, "true", "SHA256:" + "A".repeat(43));
  const r = await rotateTimeAttack(d, new Date("2019-03-01T06:00:00Z"));
  assert.match((r.switch as { error: string }).error, /Cannot switch the time-attack server to "event2"/);
  assert.equal(await Deno.readTextFile(`${sshd.root}/cfg/server_cfg.ini`), CFG, "nothing written");
});
