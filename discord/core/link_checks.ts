/**
 * What /link and /admin link accept: an identity that exists. ACC/AC: a stored driver (by id, or a
 * name typed in full that only one driver has); ET:Legacy: a known GUID or player; iRacing: a
 * customer id on the league roster (when a roster was synced). Autocomplete for every game.
 */
import type { CommandContext, Reply } from "@/discord/command.ts";
import { UserError } from "@/discord/command.ts";
import { echo } from "@/discord/text.ts";
import { searchNames } from "@/discord/_names.ts";
import type { LinkGame } from "@/kv/links.ts";
import { driverKey } from "@/kv/racing/keys.ts";
import type { DriverProfile } from "@/kv/racing/drivers.ts";
import { pickEtlPlayer, searchEtlPlayers } from "@/kv/etl/search.ts";
import { getRoster } from "@/kv/numbers/roster.ts";

const LABELS: Record<LinkGame, string> = {
  acc: "ACC",
  ac: "Assetto Corsa",
  etl: "ET:Legacy",
  iracing: "iRacing",
};

/** A checked identity: its id in the game and the name it goes by. */
export interface CheckedIdentity {
  playerId: string;
  name?: string;
}

async function racingDriver(
  ctx: CommandContext,
  game: "acc" | "ac",
  typed: string,
): Promise<CheckedIdentity> {
  const kv = ctx.deps.kv;
  let profile = (await kv.get<DriverProfile>(driverKey(typed))).value;
  if (!profile) {
    // A name typed in full instead of picked from the list: taken when exactly one driver has it.
    const same = (await searchNames(kv, { query: typed, kind: "driver", game, limit: 25 }))
      .filter((h) => h.name.toLowerCase() === typed.toLowerCase());
    if (same.length > 1) {
      throw new UserError(
        `${same.length} drivers are named "${echo(typed)}": pick yours from the list as you type`,
      );
    }
    if (same.length === 1) profile = (await kv.get<DriverProfile>(driverKey(same[0]!.id))).value;
  }
  if (!profile || !profile.games.includes(game)) {
    throw new UserError(
      `No ${LABELS[game]} driver has the id "${
        echo(typed)
      }" yet: pick your name from the list as you type, or drive a session first`,
    );
  }
  return { playerId: profile.id, name: profile.name };
}

/** The identity `typed` names in `game`, or a UserError saying what to do. */
export async function checkIdentity(
  ctx: CommandContext,
  game: LinkGame,
  typed: string,
): Promise<CheckedIdentity> {
  const text = typed.trim();
  if (!text) throw new UserError("Give the player id, or pick the name from the list as you type");
  if (game === "acc" || game === "ac") return await racingDriver(ctx, game, text);
  if (game === "etl") {
    const pick = await pickEtlPlayer(ctx.deps.kv, text);
    if (pick.kind === "one") return { playerId: pick.player.guid, name: pick.player.name };
    if (pick.kind === "many") {
      throw new UserError(
        `${pick.players.length} ET:Legacy players match "${echo(text)}": pick one from the list as you type`,
      );
    }
    throw new UserError(
      `No ET:Legacy player has the GUID or name "${
        echo(text)
      }" yet: pick yours from the list as you type, or play a round first`,
    );
  }
  if (!/^\d{1,12}$/.test(text)) {
    throw new UserError(`"${echo(text)}" is no iRacing customer id: it is a number like 123456`);
  }
  const roster = ctx.guildId ? await getRoster(ctx.deps.kv, ctx.guildId) : null;
  if (!roster) return { playerId: text };
  const member = roster.members.find((m) => String(m.custId) === text);
  if (!member) {
    throw new UserError(`Customer id ${text} is not on the roster of iRacing league ${roster.leagueId}`);
  }
  return { playerId: text, name: member.name };
}

/** Autocomplete of a player option for `game` (drivers, ET:Legacy players, roster members). */
export async function identityChoices(ctx: CommandContext, game: unknown, typed: string): Promise<Reply> {
  const kv = ctx.deps.kv;
  if (game === "etl") {
    const players = await searchEtlPlayers(kv, typed, 25);
    return {
      kind: "choices",
      choices: players.map((p) => ({ name: `${p.name} (${p.guid})`, value: p.guid })),
    };
  }
  if (game === "iracing") {
    const roster = ctx.guildId ? await getRoster(kv, ctx.guildId) : null;
    const q = typed.trim().toLowerCase();
    const hits = (roster?.members ?? [])
      .filter((m) => m.name.toLowerCase().includes(q) || String(m.custId).startsWith(q))
      .slice(0, 25);
    return {
      kind: "choices",
      choices: hits.map((m) => ({ name: `${m.name} (${m.custId})`, value: String(m.custId) })),
    };
  }
  const racing = game === "acc" || game === "ac" ? game : undefined;
  const hits = await searchNames(kv, {
    query: typed,
    kind: "driver",
    ...(racing ? { game: racing } : {}),
    limit: 25,
  });
  return { kind: "choices", choices: hits.map((h) => ({ name: `${h.name} (${h.id})`, value: h.id })) };
}
