/**
 * Every Deno.cron of Podium is registered here, at the top level (Deno Deploy requires that),
 * each as a one-line call of an exported function of `(deps, now)`: SSH polling, ET:Legacy session
 * ends, the iRacing roster sync (when iRacing is configured) and time-attack rotation (when a
 * season is configured).
 */
import type { DiscordDeps } from "@/discord/deps.ts";
import { syncIracingRosters } from "@/crons/iracing_sync.ts";
import { sshPoll } from "@/crons/ssh_poll.ts";
import { etlSessionEnd } from "@/crons/etl_session_end.ts";
import { rotateTimeAttack, type TaDeps } from "@/crons/ta_rotation.ts";
import { watchLiveBoard } from "@/crons/ta_live.ts";
import { taOutputOf } from "@/discord/ta/announce.ts";
import type { ConnectSsh } from "@/crons/ta_server_switch.ts";

/** lib/ssh.ts (and ssh2) loaded on first use: about 0.3 s that start-up should not pay. */
const connectSsh: ConnectSsh = async (target) => (await import("@/lib/ssh.ts")).connectSsh(target);

/** Registers the crons for the running app. */
export function registerCrons(deps: DiscordDeps): void {
  Deno.cron("ssh-poll", "* * * * *", () => sshPoll(deps, new Date()).then(() => {}));
  Deno.cron("etl session end", "*/5 * * * *", async () => void await etlSessionEnd(deps, deps.now()));
  if (deps.iracing) {
    Deno.cron("iracing roster sync", "17 * * * *", () => syncIracingRosters(deps, new Date()).then(() => {}));
  }
  // Time attack: the rotation every minute, the live leaderboard after each import.
  if (deps.config.timeAttack) {
    const ta: TaDeps = { kv: deps.kv, config: deps.config, taOutput: taOutputOf(deps), connectSsh };
    Deno.cron(
      "time-attack rotation",
      "* * * * *",
      () => logFailure("time-attack rotation", rotateTimeAttack(ta, new Date())),
    );
    if (ta.taOutput) watchLiveBoard(ta);
  }
}

async function logFailure(what: string, p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    console.error(`${what} failed:`, (err as Error).message);
  }
}
