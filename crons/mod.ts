/**
 * Every Deno.cron of Podium is registered here, at the top level (Deno Deploy requires that),
 * each as a one-line call of an exported function of `(deps, now)`: SSH polling, ET:Legacy session
 * ends, the iRacing roster sync (when iRacing is configured), time-attack rotation (when a
 * season is configured) and announcement delivery (when Discord is on: the only wake-up that does
 * not need KV queues or a process that stays up, see discord/delivery.ts).
 */
import type { DiscordDeps } from "@/discord/deps.ts";
import { syncIracingRosters } from "@/crons/iracing_sync.ts";
import { sshPoll } from "@/crons/ssh_poll.ts";
import { etlSessionEnd } from "@/crons/etl_session_end.ts";
import { rejudgeAllRounds } from "@/kv/etl/rejudge_all.ts";
import { rotateTimeAttack, type TaDeps } from "@/crons/ta_rotation.ts";
import { watchLiveBoard } from "@/crons/ta_live.ts";
import { watchConfigFile } from "@/crons/ta_config.ts";
import { taOutputOf } from "@/discord/ta/announce.ts";
import type { ConnectSsh } from "@/crons/ta_server_switch.ts";

/** lib/ssh.ts (and ssh2) loaded on first use: about 0.3 s that start-up should not pay. */
const connectSsh: ConnectSsh = async (target) => (await import("@/lib/ssh.ts")).connectSsh(target);

/** What the crons run besides `deps`: `deliverAll` routes and drains every announcement channel. */
export interface CronJobs {
  deliverAll?: () => Promise<void>;
}

/**
 * Registers the crons for the running app, every one unconditionally (Deno Deploy finds crons by
 * evaluating the top level at deploy time and skips those behind a condition): a job whose
 * feature is off returns at once.
 */
export function registerCrons(deps: DiscordDeps, jobs: CronJobs = {}): void {
  const { deliverAll } = jobs;
  Deno.cron("announcement delivery", "* * * * *", async () => {
    if (deliverAll) await logFailure("announcement delivery", deliverAll());
  });
  Deno.cron("ssh-poll", "* * * * *", () => sshPoll(deps, new Date()).then(() => {}));
  Deno.cron("etl session end", "*/5 * * * *", async () => {
    // A re-judging of stored rounds that a stopped process left half done goes on (one get when none).
    await logFailure(
      "etl re-judging",
      rejudgeAllRounds(deps.kv, deps.config.etl.exclude),
    );
    await etlSessionEnd(deps, deps.now());
  });
  Deno.cron("iracing roster sync", "17 * * * *", async () => {
    if (deps.iracing) await syncIracingRosters(deps, new Date());
  });
  // Time attack: the rotation every minute, the live leaderboard after each import.
  const ta: TaDeps | null = deps.config.timeAttack
    ? { kv: deps.kv, config: deps.config, taOutput: taOutputOf(deps), connectSsh }
    : null;
  Deno.cron("time-attack rotation", "* * * * *", async () => {
    if (ta) await logFailure("time-attack rotation", rotateTimeAttack(ta, new Date()));
  });
  if (ta?.taOutput) watchLiveBoard(ta);
  // Season edits without a restart (a deployment's files never change: nothing to watch there).
  const path = deps.config.configPath;
  if (ta && path && !Deno.env.get("DENO_DEPLOYMENT_ID")) watchConfigFile(ta, path);
}

async function logFailure(what: string, p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    console.error(`${what} failed:`, (err as Error).message);
  }
}
