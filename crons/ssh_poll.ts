/** Every minute: fetch new result files from the configured SSH sources (ingest/ssh_poll.ts). */
import type { AppDeps } from "@/routes/env.ts";
import { pollSources, type SourceReport } from "@/ingest/ssh_poll.ts";

/** The cron body: polls every SSH source once. */
export async function sshPoll(deps: AppDeps, now: Date): Promise<SourceReport[]> {
  if ((deps.config.sshSources ?? []).length === 0) return [];
  return await pollSources(deps, now);
}
