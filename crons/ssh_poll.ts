/** Every minute: fetch new result files from the configured SSH sources (ingest/ssh_poll.ts). */
import type { DiscordDeps } from "@/discord/deps.ts";
import type { SourceReport } from "@/ingest/ssh_poll.ts";

/** The cron body: polls every SSH source once. */
export async function sshPoll(deps: DiscordDeps, now: Date): Promise<SourceReport[]> {
  if ((deps.config.sshSources ?? []).length === 0) return [];
  // Loaded on first use: ssh2 takes about 0.3 s to load, which a cold start's first answer
  // should not wait for (tests/discord/cold_imports_test.ts).
  const { pollSources } = await import("@/ingest/ssh_poll.ts");
  return await pollSources(deps, now);
}
