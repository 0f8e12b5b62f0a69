/**
 * The league roster as the last sync saw it: who carries which number in iRacing. Claims refuse a
 * number another iRacing member carries, and `/available` leaves those numbers out.
 */
import { z } from "zod";
import { rosterKey } from "@/kv/numbers/keys.ts";

/** The stored roster: only what numbers need (about 40 bytes a member; 1,000 members fit a value). */
export const RosterSnapshot = z.object({
  leagueId: z.number().int(),
  leagueName: z.string(),
  at: z.string(),
  members: z.array(z.object({ custId: z.number().int(), name: z.string(), number: z.string().nullable() })),
});
export type RosterSnapshot = z.infer<typeof RosterSnapshot>;

/** The last roster seen for a guild, or null before the first sync. */
export async function getRoster(kv: Deno.Kv, guildId: string): Promise<RosterSnapshot | null> {
  const e = await kv.get(rosterKey(guildId));
  return RosterSnapshot.safeParse(e.value).data ?? null;
}

/** The roster members carrying a number. */
export function carriersOf(roster: RosterSnapshot | null, number: string): RosterSnapshot["members"] {
  return roster ? roster.members.filter((m) => m.number === number) : [];
}
