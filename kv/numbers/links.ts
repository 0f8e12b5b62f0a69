/**
 * Which iRacing customer a Discord member is, through the shared member links (`/link iracing
 * <cust_id>`, kv/links.ts). Until that module is on main, members are not linked.
 */

/** The member's linked iRacing cust_id, or null. */
export function linkedCustId(_kv: Deno.Kv, _userId: string): Promise<number | null> {
  return Promise.resolve(null);
}
