/**
 * `/et name [display]` (a member's display name across ET:Legacy stats) and `/et admin name
 * <player> [display]` (an admin's, locked). The rules and the precedence are kv/etl/display_names.ts.
 */
import { UserError } from "@/discord/command.ts";
import { discordName } from "@/discord/et/embeds.ts";
import { resolve } from "@/discord/et/handlers.ts";
import {
  memberGuids,
  setDisplayName,
  type SetNameResult,
  validateDisplayName,
} from "@/kv/etl/display_names.ts";
import { listEtlPlayers } from "@/kv/etl/players.ts";
import { getLink } from "@/kv/links.ts";
import { kvReader } from "@/kv/reader.ts";

/** Who asks, for what, and when. */
export interface NameRequest {
  kv: Deno.Kv;
  userId: string;
  /** The new display name; absent clears it (back to the person's or the files' name). */
  display: string | undefined;
  now: Date;
}

/** Every player's newest name in the files (no display names applied): a display name may not take one. */
async function inGameNames(kv: Deno.Kv): Promise<{ guid: string; name: string }[]> {
  const raw = { ...kvReader(kv), memo: undefined };
  return (await listEtlPlayers(raw)).map((p) => ({ guid: p.guid, name: p.name }));
}

async function apply(
  kv: Deno.Kv,
  guids: string[],
  display: string | undefined,
  who: { by: string; admin: boolean; now: Date },
): Promise<SetNameResult> {
  let name: string | null = null;
  if (display !== undefined) {
    const v = validateDisplayName(display);
    if ("error" in v) throw new UserError(v.error);
    name = v.name;
  }
  return await setDisplayName(kv, {
    guids,
    name,
    by: who.by,
    admin: who.admin,
    now: who.now,
    inGameNames: name === null ? [] : await inGameNames(kv),
  });
}

/** The reply; `subject` is "Your ET:Legacy display name" or the admin's "The ... of <name>". */
function answer(res: SetNameResult, subject: string): string {
  switch (res.status) {
    case "set":
      return `${subject} is now **${discordName(res.name)}** (${
        res.guids.map((g) => `\`${g}\``).join(", ")
      }): on pages, posts and replies from now on`;
    case "cleared":
      return `${subject} is cleared: the name in the game files shows again`;
    case "locked":
      return `A league admin set your display name to **${
        discordName(res.name)
      }** and locked it; ask an admin to change it`;
    case "taken":
      return res.by === "player"
        ? `That is another player's name in game (\`${res.guid}\`); pick another`
        : `Another player goes by that display name (\`${res.guid}\`); pick another`;
  }
}

/** `/et name [display]`: for the member's linked ET:Legacy GUID (and the other GUIDs of its person). */
export async function etName(req: NameRequest): Promise<string> {
  const linked = (await getLink(req.kv, req.userId, "etl"))?.playerId;
  if (!linked) throw new UserError("Link yourself to your ET:Legacy player first: /et link <player>");
  const guids = await memberGuids(req.kv, linked);
  const res = await apply(req.kv, guids, req.display, { by: req.userId, admin: false, now: req.now });
  const text = answer(res, "Your ET:Legacy display name");
  if (res.status === "locked" || res.status === "taken") throw new UserError(text);
  return text;
}

/** `/et admin name <player> [display]`: sets (locked) or clears a player's display name. */
export async function etAdminName(req: NameRequest & { player: string }): Promise<string> {
  const p = await resolve(req.kv, req.player);
  if (typeof p === "string") throw new UserError(p);
  const guids = await memberGuids(req.kv, p.guid);
  const res = await apply(req.kv, guids, req.display, { by: req.userId, admin: true, now: req.now });
  const text = answer(res, `The ET:Legacy display name of **${discordName(p.gameName ?? p.name)}**`);
  if (res.status === "taken") throw new UserError(text);
  return res.status === "set" ? `${text} (locked: only an admin can change it)` : text;
}
