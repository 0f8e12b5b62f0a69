/**
 * The `et` set (ET:Legacy): /et stats, last_session, session, top, compare, maps, link. The
 * answers are discord/et/handlers.ts; this module is their wiring to the command framework.
 */
import type { Command, CommandContext, CommandSet, Reply } from "@/discord/command.ts";
import { OptionType as Opt, UserError } from "@/discord/command.ts";
import {
  etCompare,
  etLastSession,
  etLinkTarget,
  etMaps,
  type EtReply,
  etSession,
  etStats,
  etTop,
  metricChoices,
  playerChoices,
} from "@/discord/et/handlers.ts";
import { discordName } from "@/discord/et/embeds.ts";
import { getLink, LinkTakenError, setLink } from "@/kv/links.ts";
import { PERIODS } from "@/kv/etl/views.ts";

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function reply(r: EtReply): Reply {
  if (!r.ok) throw new UserError(r.error);
  return { kind: "message", message: { embeds: r.embeds } };
}

const player = (name: string, description: string, required = false) => ({
  name,
  description,
  type: Opt.String,
  required,
  autocomplete: true,
  max_length: 64,
});

const et: Command = {
  definition: {
    name: "et",
    description: "ET:Legacy stats: players, sessions, leaderboards",
    options: [
      {
        name: "stats",
        description: "A player's stats (yours when linked)",
        type: Opt.Subcommand,
        options: [player("player", "The player; yours when left out")],
      },
      {
        name: "last_session",
        description: "The last gaming session: score, maps, players",
        type: Opt.Subcommand,
      },
      {
        name: "session",
        description: "The session that started on a day",
        type: Opt.Subcommand,
        options: [{
          name: "date",
          description: "YYYY-MM-DD (server time)",
          type: Opt.String,
          required: true,
          min_length: 10,
          max_length: 10,
        }],
      },
      {
        name: "top",
        description: "A leaderboard",
        type: Opt.Subcommand,
        options: [
          {
            name: "metric",
            description: "What to rank by",
            type: Opt.String,
            required: true,
            autocomplete: true,
          },
          {
            name: "period",
            description: "All time, or the last days",
            type: Opt.String,
            choices: Object.keys(PERIODS).map((p) => ({
              name: p === "all" ? "all time" : `last ${p}`,
              value: p,
            })),
          },
        ],
      },
      {
        name: "compare",
        description: "Two players side by side",
        type: Opt.Subcommand,
        options: [player("p1", "First player", true), player("p2", "Second player", true)],
      },
      { name: "maps", description: "Maps played, and how stopwatch went on them", type: Opt.Subcommand },
      {
        name: "link",
        description: "Link yourself to your ET:Legacy player",
        type: Opt.Subcommand,
        options: [player("player", "Your player", true)],
      },
    ],
  },
  async run(ctx) {
    const { kv, viewCache } = ctx.deps;
    switch (ctx.sub[0]) {
      case "stats": {
        const linked = str(ctx, "player") ? null : (await getLink(kv, ctx.userId, "etl"))?.playerId ?? null;
        return reply(await etStats(kv, str(ctx, "player"), linked));
      }
      case "last_session":
        return { kind: "defer", work: async () => unwrap(await etLastSession(kv)) };
      case "session":
        return reply(await etSession(kv, str(ctx, "date") ?? ""));
      case "top": {
        const metric = str(ctx, "metric") ?? "", period = str(ctx, "period") ?? "all";
        // Kept until the next import: a warm /et top is one get.
        const r = await viewCache.through(
          kv,
          `discord-et-top\u0000${metric}\u0000${period}\u0000${ctx.deps.now().toISOString().slice(0, 10)}`,
          () => etTop(kv, metric, period, ctx.deps.now()),
        );
        return reply(r);
      }
      case "compare":
        return reply(await etCompare(kv, str(ctx, "p1") ?? "", str(ctx, "p2") ?? ""));
      case "maps":
        return { kind: "defer", work: async () => unwrap(await etMaps(kv)) };
      case "link": {
        const target = await etLinkTarget(kv, str(ctx, "player") ?? "");
        if ("error" in target) throw new UserError(target.error);
        try {
          await setLink(kv, ctx.userId, "etl", target.guid, target.name, { now: ctx.deps.now() });
        } catch (err) {
          if (err instanceof LinkTakenError) {
            throw new UserError("That ET:Legacy player is linked to another member; a league admin can help");
          }
          throw err;
        }
        return {
          kind: "message",
          ephemeral: true,
          message: { content: `Linked you to **${discordName(target.name)}** (\`${target.guid}\`)` },
        };
      }
    }
    throw new UserError(`Unknown /et command "${ctx.sub.join(" ")}"`);
  },
  async autocomplete(ctx, focused) {
    if (focused.name === "metric") return { kind: "choices", choices: metricChoices(focused.value) };
    return { kind: "choices", choices: await playerChoices(ctx.deps.kv, focused.value) };
  },
};

function unwrap(r: EtReply) {
  if (!r.ok) return { content: r.error };
  return { embeds: r.embeds };
}

/** The `et` set: on when an ET:Legacy server is configured or an `etl` channel is set. */
export const etSet: CommandSet = {
  id: "et",
  enabled: (config) =>
    config.servers.some((s) => s.game === "etl") || config.discord.channels.etl !== undefined,
  commands: [et],
};
