/**
 * The hourly iRacing roster sync: every guild that set an iRacing league in /setup is synced in
 * turn (one iRacing account, one token, calls spaced by the API's own rate limit). A guild's
 * failure is recorded in its /syncstatus and does not stop the others.
 */
import type { DiscordDeps } from "@/discord/deps.ts";
import { listConfiguredGuilds } from "@/kv/numbers/settings.ts";
import { syncGuild, type SyncStatus } from "@/kv/numbers/sync.ts";
import { linkedCustId, verifyIracingLink } from "@/kv/numbers/links.ts";

/** Syncs every configured league; returns each guild's outcome. */
export async function syncIracingRosters(
  deps: Pick<DiscordDeps, "kv" | "iracing"> & { delivery?: DiscordDeps["delivery"] },
  now: Date,
): Promise<{ guildId: string; status: SyncStatus | null; error?: string }[]> {
  const iracing = deps.iracing;
  if (!iracing) return [];
  const out: { guildId: string; status: SyncStatus | null; error?: string }[] = [];
  for (const { guildId, settings } of await listConfiguredGuilds(deps.kv)) {
    if (!settings.leagueId) continue;
    try {
      const status = await syncGuild(
        {
          kv: deps.kv,
          iracing,
          linkOf: (userId) => linkedCustId(deps.kv, userId),
          verifyLink: (userId, custId, name, at) => verifyIracingLink(deps.kv, userId, custId, name, at),
        },
        guildId,
        now,
      );
      out.push({ guildId, status });
    } catch (err) {
      console.error(`iRacing sync of guild ${guildId} failed:`, err);
      out.push({ guildId, status: null, error: (err as Error).message });
    }
  }
  // New conflicts were written to the outbox: post them now rather than at the next outbox check.
  deps.delivery?.kick();
  return out;
}
