/**
 * The public view of a guild's numbers: number, driver name, verified, claimed at. No Discord ids;
 * the driver is the iRacing name the sync matched, else the member's display name at the claim.
 */
import { listClaims } from "@/kv/numbers/claims.ts";
import { getSettings } from "@/kv/numbers/settings.ts";
import { getRoster } from "@/kv/numbers/roster.ts";
import { settingsKey } from "@/kv/numbers/keys.ts";

/** One row of the public list. */
export interface PublicNumber {
  number: string;
  driver: string | null;
  verified: boolean;
  claimedAt: string;
}

/** The public list, or null for a guild that never used numbers. */
export interface PublicNumbers {
  league: { id: number; name: string | null } | null;
  numbers: PublicNumber[];
}

/** Numbers in value order; "07" before "7" (same value, text order). */
export function compareNumbers(a: string, b: string): number {
  return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The guild's public list; null when it has neither settings nor claims. */
export async function publicNumbers(kv: Deno.Kv, guildId: string): Promise<PublicNumbers | null> {
  const [claims, settings, stored, roster] = await Promise.all([
    listClaims(kv, guildId),
    getSettings(kv, guildId),
    kv.get(settingsKey(guildId)),
    getRoster(kv, guildId),
  ]);
  if (claims.length === 0 && stored.versionstamp === null) return null;
  return {
    league: settings.leagueId
      ? { id: settings.leagueId, name: roster?.leagueId === settings.leagueId ? roster.leagueName : null }
      : null,
    numbers: claims
      .sort((a, b) => compareNumbers(a.number, b.number))
      .map((c) => ({
        number: c.number,
        driver: c.driverName ?? c.displayName,
        verified: c.verified,
        claimedAt: c.claimedAt,
      })),
  };
}
