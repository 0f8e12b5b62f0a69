/**
 * Every Deno.cron of Podium is registered here, at the top level (Deno Deploy requires that),
 * each as a one-line call of an exported function of `(deps, now)`. The racing core has no
 * scheduled work; event rotation, roster sync and SSH polling register here when they land.
 */
import type { AppDeps } from "@/routes/env.ts";
import { syncIracingRosters } from "@/crons/iracing_sync.ts";
import { sshPoll } from "@/crons/ssh_poll.ts";
import { etlSessionEnd } from "@/crons/etl_session_end.ts";

/** Registers the crons for the running app. */
export function registerCrons(deps: AppDeps): void {
  Deno.cron("ssh-poll", "* * * * *", () => sshPoll(deps, new Date()).then(() => {}));
  Deno.cron("etl session end", "*/5 * * * *", async () => void await etlSessionEnd(deps, deps.now()));
  if (deps.iracing) {
    Deno.cron("iracing roster sync", "17 * * * *", () => syncIracingRosters(deps, new Date()).then(() => {}));
  }
}
