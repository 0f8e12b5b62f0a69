/**
 * Member links: which game identity (ACC playerId, AC GUID, ET:Legacy GUID, iRacing customer id)
 * a Discord member is, so "me" works in every command. One link per member and game, and one
 * member per game identity; both directions change in one checked atomic write.
 */
import { linkByPlayerKey, linkKey, linksOfUserPrefix } from "@/kv/keys.ts";
import { commitWithRetry } from "@/kv/retry.ts";

/** Games a member can link an identity in. */
export type LinkGame = "acc" | "ac" | "etl" | "iracing";

/** Every linkable game, in display order. */
export const LINK_GAMES: readonly LinkGame[] = ["acc", "ac", "etl", "iracing"];

/** A member's identity in one game. */
export interface Link {
  userId: string;
  game: LinkGame;
  playerId: string;
  displayName?: string;
  linkedAt: string;
  verified?: boolean;
}

/** The game identity is already linked to another member. */
export class LinkTakenError extends Error {
  constructor(readonly game: LinkGame, readonly playerId: string) {
    super(`Player "${playerId}" in ${game} is already linked to another member`);
  }
}

/**
 * Reads, plans and commits until the checks pass (a concurrent change of the same links makes
 * the next round re-read). `plan` returns null when there is nothing to write.
 */
async function checkedWrite(
  what: string,
  plan: () => Promise<{ op: Deno.AtomicOperation } | null>,
): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    // Wrapped: an AtomicOperation refuses to be awaited.
    const planned = await plan();
    if (!planned) return;
    const { op } = planned;
    if ((await commitWithRetry(() => op.commit(), what)).ok) return;
  }
  throw new Error(`Cannot ${what}: the links kept changing underneath; try again`);
}

/**
 * Links `userId` to `playerId` in `game`, replacing the member's earlier link in that game.
 * Throws LinkTakenError when another member holds that identity.
 */
export async function setLink(
  kv: Deno.Kv,
  userId: string,
  game: LinkGame,
  playerId: string,
  displayName?: string,
  opts: { now?: Date; verified?: boolean } = {},
): Promise<Link> {
  const link: Link = { userId, game, playerId, linkedAt: (opts.now ?? new Date()).toISOString() };
  if (displayName !== undefined) link.displayName = displayName;
  if (opts.verified !== undefined) link.verified = opts.verified;
  await checkedWrite(`link ${game} player "${playerId}"`, async () => {
    const [mine, owner] = await kv.getMany<[Link, string]>([
      linkKey(userId, game),
      linkByPlayerKey(game, playerId),
    ]);
    if (owner.value !== null && owner.value !== userId) throw new LinkTakenError(game, playerId);
    const op = kv.atomic().check(mine, owner);
    if (mine.value && mine.value.playerId !== playerId) op.delete(linkByPlayerKey(game, mine.value.playerId));
    return { op: op.set(linkKey(userId, game), link).set(linkByPlayerKey(game, playerId), userId) };
  });
  return link;
}

/** The member's link in `game`, or null. */
export async function getLink(kv: Deno.Kv, userId: string, game: LinkGame): Promise<Link | null> {
  return (await kv.get<Link>(linkKey(userId, game))).value;
}

/** All of a member's links, one per game. */
export async function listLinks(kv: Deno.Kv, userId: string): Promise<Link[]> {
  return await Array.fromAsync(kv.list<Link>({ prefix: linksOfUserPrefix(userId) }), (e) => e.value);
}

/** Removes the member's link in `game`; returns the removed link, or null when there was none. */
export async function removeLink(kv: Deno.Kv, userId: string, game: LinkGame): Promise<Link | null> {
  let removed: Link | null = null;
  await checkedWrite(`unlink ${game}`, async () => {
    const mine = await kv.get<Link>(linkKey(userId, game));
    removed = mine.value;
    if (!mine.value) return null;
    const byPlayer = linkByPlayerKey(game, mine.value.playerId);
    const owner = await kv.get<string>(byPlayer);
    const op = kv.atomic().check(mine, owner).delete(linkKey(userId, game));
    if (owner.value === userId) op.delete(byPlayer);
    return { op };
  });
  return removed;
}

/** The member linked to a game identity, or null. */
export async function linkedUser(kv: Deno.Kv, game: LinkGame, playerId: string): Promise<string | null> {
  return (await kv.get<string>(linkByPlayerKey(game, playerId))).value;
}
