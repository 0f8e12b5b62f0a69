/**
 * The `et` set (ET:Legacy): /et stats, last_session, session, top, compare, maps, link, name. The
 * answers are discord/et/handlers.ts; this module is their wiring to the command framework.
 */
import type { Command, CommandContext, CommandSet, ComponentHandler, Reply } from "@/discord/command.ts";
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
import {
  etAdminFailed,
  etAdminOverride,
  etAwards,
  etConsistency,
  etDuo,
  etLastRound,
  etMatchup,
  etNemesis,
  etRank,
  etSessions,
  etTeams,
  etTrendsWithChart,
  etWeapons,
} from "@/discord/et/more.ts";
import { listRounds } from "@/kv/etl/views.ts";
import { etAdminName, etName } from "@/discord/et/name.ts";
import { DISPLAY_NAME_LENGTH } from "@/kv/etl/display_names.ts";
import { etlZones } from "@/config.ts";
import { getLink, LinkTakenError, setLink } from "@/kv/links.ts";
import { PERIODS } from "@/kv/etl/views.ts";

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function reply(r: EtReply, kind: "message" | "update" = "message"): Reply {
  if (!r.ok) throw new UserError(r.error);
  return { kind, message: { embeds: r.embeds, components: r.components ?? [] } };
}

/** `/et top` (one get when warm: kept until the next import, per day, page by page). */
function topPage(ctx: CommandContext, metric: string, period: string, page: number): Promise<EtReply> {
  const day = ctx.deps.now().toISOString().slice(0, 10);
  return ctx.deps.viewCache.through(
    ctx.deps.kv,
    `discord-et-top\u0000${metric}\u0000${period}\u0000${day}\u0000${page}`,
    () => etTop(ctx.deps.kv, metric, period, ctx.deps.now(), page, etlZones(ctx.deps.config)),
  );
}

const older = "This button is from an older version; run the command again";

/** `/et top`'s page buttons: `ett:<metric>|<period>|<page>`. */
const topPager: ComponentHandler = {
  id: "ett",
  async run(ctx, state) {
    const m = /^([a-z0-9_]{1,40})\|([a-z0-9]{1,5})\|(-?\d{1,3})$/.exec(state);
    if (!m) throw new UserError(older);
    return reply(await topPage(ctx, m[1]!, m[2]!, Number(m[3])), "update");
  },
};

/** `/et maps`' page buttons: `etm:<page>`. */
const mapsPager: ComponentHandler = {
  id: "etm",
  async run(ctx, state) {
    if (!/^-?\d{1,3}$/.test(state)) throw new UserError(older);
    return reply(await etMaps(ctx.deps.kv, Number(state)), "update");
  },
};

/** `/et stats`'s page buttons (the maps): `ets:<GUID>|<page>`. */
const statsPager: ComponentHandler = {
  id: "ets",
  async run(ctx, state) {
    const m = /^([0-9A-Fa-f]{1,32})\|(-?\d{1,3})$/.exec(state);
    if (!m) throw new UserError(older);
    return reply(await etStats(ctx.deps.kv, m[1]!, null, Number(m[2])), "update");
  },
};

const player = (name: string, description: string, required = false) => ({
  name,
  description,
  type: Opt.String,
  required,
  autocomplete: true,
  max_length: 64,
});

const round = () => ({
  name: "round",
  description: "The round id (on a round post's footer)",
  type: Opt.String,
  required: true,
  autocomplete: true,
  max_length: 120,
});

const displayOption = () => ({
  name: "display",
  description: `The display name (${DISPLAY_NAME_LENGTH.min}-${DISPLAY_NAME_LENGTH.max} characters)`,
  type: Opt.String,
  min_length: DISPLAY_NAME_LENGTH.min,
  max_length: DISPLAY_NAME_LENGTH.max,
});

/** The player option, else the member's linked player, else a sentence saying what to do. */
async function who(ctx: CommandContext): Promise<string> {
  const named = str(ctx, "player");
  if (named) return named;
  const linked = (await getLink(ctx.deps.kv, ctx.userId, "etl"))?.playerId;
  if (!linked) throw new UserError("Name a player, or link yourself first with /et link");
  return linked;
}

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
      { name: "last_round", description: "The newest round, with its awards", type: Opt.Subcommand },
      { name: "sessions", description: "The latest gaming sessions", type: Opt.Subcommand },
      {
        name: "weapons",
        description: "Per-weapon kills, accuracy and head hits",
        type: Opt.Subcommand,
        options: [player("player", "The player; yours when left out")],
      },
      {
        name: "rank",
        description: "A player's place in every leaderboard",
        type: Opt.Subcommand,
        options: [player("player", "The player; yours when left out")],
      },
      {
        name: "awards",
        description: "A round's awards (the newest when left out), or a player's award count",
        type: Opt.Subcommand,
        options: [{ ...player("target", "A player, or a round id"), max_length: 120 }],
      },
      {
        name: "matchup",
        description: "Two players head to head",
        type: Opt.Subcommand,
        options: [player("a", "First player", true), player("b", "Second player", true)],
      },
      {
        name: "nemesis",
        description: "Who kills a player most, and whom they kill most",
        type: Opt.Subcommand,
        options: [player("player", "The player; yours when left out")],
      },
      {
        name: "duo",
        description: "Two players on the same team: win rate and combined stats",
        type: Opt.Subcommand,
        options: [player("a", "First player", true), player("b", "Second player", true)],
      },
      {
        name: "consistency",
        description: "How steady a player's DPM and K/D are from round to round",
        type: Opt.Subcommand,
        options: [player("player", "The player; yours when left out")],
      },
      {
        name: "trends",
        description: "A player's form over their last sessions",
        type: Opt.Subcommand,
        options: [player("player", "The player; yours when left out")],
      },
      {
        name: "teams",
        description: "The two teams of a session (the last when left out)",
        type: Opt.Subcommand,
        options: [{
          name: "date",
          description: "YYYY-MM-DD (server time)",
          type: Opt.String,
          min_length: 10,
          max_length: 10,
        }],
      },
      {
        name: "name",
        description: "Your display name across ET:Legacy stats (left out: clear it)",
        type: Opt.Subcommand,
        options: [displayOption()],
      },
      {
        name: "admin",
        description: "League admins: rounds that count, files refused, display names",
        type: Opt.SubcommandGroup,
        options: [
          {
            name: "exclude",
            description: "Leave a round out of totals and leaderboards",
            type: Opt.Subcommand,
            options: [round()],
          },
          {
            name: "include",
            description: "Count a round again, whatever the rules say",
            type: Opt.Subcommand,
            options: [round()],
          },
          { name: "failed", description: "ET:Legacy files refused, with why", type: Opt.Subcommand },
          {
            name: "name",
            description: "Set (and lock) or clear a player's display name",
            type: Opt.Subcommand,
            options: [player("player", "The player", true), displayOption()],
          },
        ],
      },
    ],
  },
  async run(ctx) {
    const { kv } = ctx.deps;
    const zoneOf = etlZones(ctx.deps.config);
    switch (ctx.sub[0]) {
      case "stats": {
        const linked = str(ctx, "player") ? null : (await getLink(kv, ctx.userId, "etl"))?.playerId ?? null;
        return reply(await etStats(kv, str(ctx, "player"), linked));
      }
      case "last_session":
        return { kind: "defer", work: async () => unwrap(await etLastSession(kv, zoneOf)) };
      case "session":
        return reply(await etSession(kv, str(ctx, "date") ?? "", zoneOf));
      case "top":
        return reply(await topPage(ctx, str(ctx, "metric") ?? "", str(ctx, "period") ?? "all", 0));
      case "compare":
        return reply(await etCompare(kv, str(ctx, "p1") ?? "", str(ctx, "p2") ?? ""));
      case "maps":
        return { kind: "defer", work: async () => unwrap(await etMaps(kv)) };
      case "last_round":
        return reply(await etLastRound(kv, zoneOf));
      case "sessions":
        return reply(await etSessions(kv, zoneOf));
      case "weapons":
        return reply(await etWeapons(kv, await who(ctx)));
      case "rank":
        return reply(await etRank(kv, await who(ctx)));
      case "awards":
        return reply(await etAwards(kv, str(ctx, "target")));
      case "matchup":
        return reply(await etMatchup(kv, str(ctx, "a") ?? "", str(ctx, "b") ?? ""));
      case "nemesis":
        return reply(await etNemesis(kv, await who(ctx)));
      case "duo":
        return reply(await etDuo(kv, str(ctx, "a") ?? "", str(ctx, "b") ?? ""));
      case "consistency":
        return reply(await etConsistency(kv, await who(ctx)));
      case "trends":
        return { kind: "defer", work: async () => await etTrendsWithChart(kv, await who(ctx)) };
      case "teams":
        return reply(await etTeams(kv, str(ctx, "date"), ctx.deps.config.etl.teamNames));
      case "admin": {
        // Checked here, on the server: the registry's default permissions are only a hint to Discord.
        if (!ctx.isAdmin) {
          throw new UserError(
            "Only league admins can use /et admin (Administrator, Manage Server, or an admin role)",
          );
        }
        const now = ctx.deps.now(), rules = ctx.deps.config.etl.exclude;
        if (ctx.sub[1] === "failed") {
          return { kind: "message", ephemeral: true, message: unwrap(await etAdminFailed(kv, zoneOf)) };
        }
        if (ctx.sub[1] === "name") {
          const content = await etAdminName({
            kv,
            userId: ctx.userId,
            player: str(ctx, "player") ?? "",
            display: str(ctx, "display"),
            now,
          });
          return { kind: "message", ephemeral: true, message: { content } };
        }
        const what = ctx.sub[1] === "include" ? "include" : "exclude";
        return reply(await etAdminOverride(kv, str(ctx, "round") ?? "", what, { now, rules }));
      }
      case "name": {
        const content = await etName({
          kv,
          userId: ctx.userId,
          display: str(ctx, "display"),
          now: ctx.deps.now(),
        });
        return { kind: "message", ephemeral: true, message: { content } };
      }
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
    if (focused.name === "round") {
      const q = focused.value.trim().toLowerCase();
      const recent = (await listRounds(ctx.deps.kv, { limit: 100 })).rounds;
      return {
        kind: "choices",
        choices: recent.filter((r) => !q || r.id.toLowerCase().includes(q)).slice(0, 25)
          .map((r) => ({
            name: `${r.id}${r.excludedReason ? " (excluded)" : ""}`.slice(0, 100),
            value: r.id,
          })),
      };
    }
    return { kind: "choices", choices: await playerChoices(ctx.deps.kv, focused.value) };
  },
};

function unwrap(r: EtReply) {
  if (!r.ok) return { content: r.error };
  return r.components?.length ? { embeds: r.embeds, components: r.components } : { embeds: r.embeds };
}

/** The `et` set: on when an ET:Legacy server is configured or an `etl` channel is set. */
export const etSet: CommandSet = {
  id: "et",
  enabled: (config) =>
    config.servers.some((s) => s.game === "etl") || config.discord.channels.etl !== undefined,
  commands: [et],
  components: [topPager, statsPager, mapsPager],
};
