/**
 * Which iRacing customer a Discord member is, through the shared member links (`/link iracing
 * <cust_id>`, kv/links.ts), and marking a link verified once the league roster shows that cust_id.
 */
import { getLink, setLink } from "@/kv/links.ts";

/** The member's linked iRacing cust_id, or null (also when the linked id is not a number). */
export async function linkedCustId(kv: Deno.Kv, userId: string): Promise<number | null> {
  const link = await getLink(kv, userId, "iracing");
  if (!link || !/^\d{1,10}$/.test(link.playerId)) return null;
  return Number(link.playerId);
}

/** Marks the member's iRacing link verified (with the roster's name); true when it changed. */
export async function verifyIracingLink(
  kv: Deno.Kv,
  userId: string,
  custId: number,
  name: string,
  now: Date,
): Promise<boolean> {
  const link = await getLink(kv, userId, "iracing");
  if (!link || link.playerId !== String(custId) || (link.verified && link.displayName === name)) return false;
  await setLink(kv, userId, "iracing", link.playerId, name, { now, verified: true });
  return true;
}
