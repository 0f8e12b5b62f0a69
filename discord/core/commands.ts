/** The `core` set, always on: member links (/link, /unlink, /whoami), /help, and /sync-commands. */
import type { APIApplicationCommandOption } from "discord-api-types/v10";
import type { Command, CommandContext, CommandSet, Reply } from "@/discord/command.ts";
import { OptionType as Opt, UserError } from "@/discord/command.ts";
import { esc, whenAgo } from "@/discord/format.ts";
import { checkIdentity, identityChoices } from "@/discord/core/link_checks.ts";
import { LINK_COMPONENTS } from "@/discord/core/link_approval.ts";
import { admin } from "@/discord/core/admin.ts";
import { identityHoldings, requestLink } from "@/kv/people/link_requests.ts";
import {
  getLink,
  LINK_GAMES,
  linkedUser,
  type LinkGame,
  LinkTakenError,
  listLinks,
  removeLink,
  setLink,
} from "@/kv/links.ts";

/** How each game is named to members. */
export const GAME_LABELS: Record<LinkGame, string> = {
  acc: "ACC",
  ac: "Assetto Corsa",
  etl: "ET:Legacy",
  iracing: "iRacing",
};

const gameOption = (description: string): APIApplicationCommandOption => ({
  name: "game",
  description,
  type: Opt.String,
  required: true,
  choices: LINK_GAMES.map((g) => ({ name: GAME_LABELS[g], value: g })),
});

function say(content: string, ephemeral = true): Reply {
  return { kind: "message", ephemeral, message: { content } };
}

function gameOf(ctx: CommandContext): LinkGame {
  const g = ctx.options.game;
  if (typeof g !== "string" || !(LINK_GAMES as readonly string[]).includes(g)) {
    throw new UserError(`Pick a game from the list: ${LINK_GAMES.map((x) => GAME_LABELS[x]).join(", ")}`);
  }
  return g as LinkGame;
}

const link: Command = {
  definition: {
    name: "link",
    description: 'Link your game identity, so commands know who "me" is',
    options: [
      gameOption("The game"),
      {
        name: "player",
        description:
          "Your driver (ACC playerId, AC GUID), ET:Legacy GUID or iRacing customer id; pick from the list",
        type: Opt.String,
        required: true,
        autocomplete: true,
        max_length: 100,
      },
    ],
  },
  async run(ctx) {
    const game = gameOf(ctx);
    const { playerId: player, name } = await checkIdentity(ctx, game, String(ctx.options.player ?? ""));
    const kv = ctx.deps.kv;
    const holder = await linkedUser(kv, game, player);
    if (holder !== null && holder !== ctx.userId) {
      throw new UserError(
        `That ${
          GAME_LABELS[game]
        } identity is linked to another member: ask a league admin (/admin unlink, /admin link)`,
      );
    }
    const who = name ? `**${esc(name)}** (\`${esc(player)}\`)` : `\`${esc(player)}\``;
    if (ctx.deps.config.discord.linkApproval && holder === null) {
      const holds = await identityHoldings(kv, game, player, ctx.guildId);
      if (holds !== null) {
        await requestLink(kv, {
          userId: ctx.userId,
          guildId: ctx.guildId,
          game,
          playerId: player,
          ...(name !== undefined ? { displayName: name } : {}),
          holds,
        }, ctx.deps.now());
        ctx.deps.delivery?.kick();
        return say(
          `${who} holds ${holds}: a league admin approves the link first. You will see it in /whoami`,
        );
      }
    }
    try {
      await setLink(kv, ctx.userId, game, player, name, { now: ctx.deps.now() });
    } catch (err) {
      if (err instanceof LinkTakenError) {
        throw new UserError(
          `That ${
            GAME_LABELS[game]
          } identity is linked to another member: ask a league admin (/admin unlink, /admin link)`,
        );
      }
      throw err;
    }
    return say(
      `Linked: you are ${who} in ${GAME_LABELS[game]}. Commands now use it when you leave the player out`,
    );
  },
  async autocomplete(ctx, focused) {
    if (focused.name !== "player") return { kind: "choices", choices: [] };
    return await identityChoices(ctx, ctx.options.game, focused.value);
  },
};

const unlink: Command = {
  definition: {
    name: "unlink",
    description: "Remove the link to your game identity",
    options: [gameOption("The game")],
  },
  async run(ctx) {
    const game = gameOf(ctx);
    const removed = await removeLink(ctx.deps.kv, ctx.userId, game);
    return say(
      removed
        ? `Unlinked your ${GAME_LABELS[game]} identity \`${esc(removed.playerId)}\``
        : `You had no ${GAME_LABELS[game]} identity linked`,
    );
  },
};

const whoami: Command = {
  definition: { name: "whoami", description: "Show the game identities linked to you" },
  async run(ctx) {
    const links = await listLinks(ctx.deps.kv, ctx.userId);
    if (links.length === 0) return say("No game identity is linked to you yet: use /link");
    const lines = links.map((l) =>
      `**${GAME_LABELS[l.game]}**: ${l.displayName ? `${esc(l.displayName)} ` : ""}\`${esc(l.playerId)}\`` +
      ` (linked ${whenAgo(l.linkedAt)})`
    );
    return say(lines.join("\n"));
  },
};

/** "/records <track> [kind] [class]": how a command reads, from its definition. */
export function usage(name: string, options: readonly APIApplicationCommandOption[] = []): string[] {
  const subs = options.filter((o) => o.type === Opt.Subcommand || o.type === Opt.SubcommandGroup);
  if (subs.length === 0) {
    const args = options.map((o) => ("required" in o && o.required ? `<${o.name}>` : `[${o.name}]`));
    return [[`/${name}`, ...args].join(" ")];
  }
  return subs.flatMap((s) => usage(`${name} ${s.name}`, "options" in s ? s.options ?? [] : []));
}

const help: Command = {
  definition: { name: "help", description: "List the commands of this server's Podium" },
  async run(ctx) {
    // Imported when run: the registry imports this set (a static import would be a cycle).
    const { COMMAND_SETS, enabledSets } = await import("@/discord/registry.ts");
    const lines: string[] = [];
    for (const set of enabledSets(ctx.deps.config, COMMAND_SETS)) {
      for (const c of set.commands) {
        if (c.admin && !ctx.isAdmin) continue;
        const text = usage(c.definition.name, c.definition.options).join(", ");
        lines.push(`\`${text}\`: ${c.definition.description}${c.admin ? " (admin)" : ""}`);
      }
    }
    const embed = {
      title: `${ctx.deps.config.league.name}: commands`,
      description: lines.join("\n"),
      color: 0x5865f2,
    };
    return { kind: "message", ephemeral: true, message: { embeds: [embed] } };
  },
};

const sync: Command = {
  definition: {
    name: "sync-commands",
    description: "Register this Podium's commands with Discord again (admin)",
    options: [{
      name: "scope",
      description: "This server only (instant, default) or every server (global, can take a while)",
      type: Opt.String,
      choices: [{ name: "this server", value: "guild" }, { name: "global", value: "global" }],
    }],
  },
  admin: true,
  run(ctx) {
    const api = ctx.deps.discord;
    if (!api) throw new UserError("Discord REST is not configured on this server: set DISCORD_BOT_TOKEN");
    const guildId = ctx.options.scope === "global" ? undefined : ctx.guildId ?? undefined;
    return Promise.resolve({
      kind: "defer",
      ephemeral: true,
      work: async () => {
        const { syncCommands } = await import("@/discord/register.ts");
        const names = await syncCommands(api, ctx.deps.config, guildId);
        return {
          content: `Registered ${names.length} commands ${guildId ? "in this server" : "globally"}: ${
            names.map((n) => `/${n}`).join(", ")
          }`,
        };
      },
    });
  },
};

/** The core set. */
export const core: CommandSet = {
  id: "core",
  enabled: () => true,
  commands: [help, link, unlink, whoami, sync, admin],
  components: LINK_COMPONENTS,
};

/** For other sets: the member's linked identity in a game, or a UserError telling them to link. */
export async function linkedPlayer(ctx: CommandContext, game: LinkGame): Promise<string> {
  const l = await getLink(ctx.deps.kv, ctx.userId, game);
  if (!l) throw new UserError(`Name a player, or link yours first with /link game:${GAME_LABELS[game]}`);
  return l.playerId;
}
