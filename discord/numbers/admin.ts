/**
 * Admin commands of the numbers set. /setup needs Administrator or Manage Guild (registered with
 * `default_member_permissions`, refused by the dispatcher otherwise); the others also accept the
 * numbers admin role from /setup, checked here on every call. /syncstatus is open to everyone.
 */
import type { ChannelType } from "discord-api-types/v10";
import type { Command } from "@/discord/command.ts";
import { OptionType as Opt, UserError } from "@/discord/command.ts";
import { releaseNumber } from "@/kv/numbers/claims.ts";
import {
  getSettings,
  MAX_NUMBER_LENGTH,
  saveSettings,
  SettingsError,
  type SettingsPatch,
} from "@/kv/numbers/settings.ts";
import { getSyncStatus, SyncError, syncGuild } from "@/kv/numbers/sync.ts";
import { listAudit } from "@/kv/numbers/audit.ts";
import { linkedCustId, verifyIracingLink } from "@/kv/numbers/links.ts";
import { auditEmbed, configEmbed, mention, syncStatusEmbed } from "@/discord/numbers/embeds.ts";
import { guildOf, requireNumbersAdmin, say, text } from "@/discord/numbers/_shared.ts";
import { esc } from "@/discord/text.ts";

// Text and announcement channels (ChannelType 0 and 5), as numbers: the enum would load
// discord-api-types at runtime.
const textChannels = [0, 5] as (ChannelType.GuildText | ChannelType.GuildAnnouncement)[];

const setup: Command = {
  definition: {
    name: "setup",
    description: "Set up car numbers: iRacing league, number range, admin role, channels, limit (admin)",
    options: [
      { name: "league_id", description: "The iRacing league id", type: Opt.Integer, min_value: 1 },
      {
        name: "min",
        description: "Lowest number (default 0)",
        type: Opt.Integer,
        min_value: 0,
        max_value: 9999,
      },
      {
        name: "max",
        description: "Highest number (default 999)",
        type: Opt.Integer,
        min_value: 0,
        max_value: 9999,
      },
      {
        name: "pattern",
        description: "Regular expression a number must match, e.g. [1-9][0-9]? (no leading zeros)",
        type: Opt.String,
        max_length: 100,
      },
      { name: "admin_role", description: "Role that may run the numbers admin commands", type: Opt.Role },
      {
        name: "channel",
        description: "Where claims and releases are announced",
        type: Opt.Channel,
        channel_types: textChannels,
      },
      {
        name: "admin_channel",
        description: "Where new sync conflicts are posted",
        type: Opt.Channel,
        channel_types: textChannels,
      },
      {
        name: "max_per_member",
        description: "Numbers one member may hold (default 1)",
        type: Opt.Integer,
        min_value: 1,
        max_value: 50,
      },
    ],
  },
  admin: true,
  async run(ctx) {
    const guildId = guildOf(ctx);
    const o = ctx.options;
    const patch: SettingsPatch = {};
    if (o.league_id !== undefined) patch.leagueId = Number(o.league_id);
    if (o.min !== undefined) patch.min = Number(o.min);
    if (o.max !== undefined) patch.max = Number(o.max);
    if (o.pattern !== undefined) patch.pattern = String(o.pattern).trim();
    if (o.admin_role !== undefined) patch.adminRoleId = String(o.admin_role);
    if (o.channel !== undefined) patch.channelId = String(o.channel);
    if (o.admin_channel !== undefined) patch.adminChannelId = String(o.admin_channel);
    if (o.max_per_member !== undefined) patch.maxPerMember = Number(o.max_per_member);
    try {
      const saved = await saveSettings(ctx.deps.kv, guildId, patch, ctx.userId, ctx.deps.now());
      return {
        kind: "message",
        ephemeral: true,
        message: { content: "Saved", embeds: [configEmbed(saved)] },
      };
    } catch (err) {
      if (err instanceof SettingsError) throw new UserError(esc(err.message));
      throw err;
    }
  },
};

const config: Command = {
  definition: { name: "config", description: "Show this server's car number settings (numbers admins)" },
  async run(ctx) {
    const settings = await getSettings(ctx.deps.kv, guildOf(ctx));
    requireNumbersAdmin(ctx, settings);
    return { kind: "message", ephemeral: true, message: { embeds: [configEmbed(settings)] } };
  },
};

const forcerelease: Command = {
  definition: {
    name: "forcerelease",
    description: "Release anyone's car number (numbers admins)",
    options: [
      {
        name: "number",
        description: "The number",
        type: Opt.String,
        required: true,
        max_length: MAX_NUMBER_LENGTH,
      },
      { name: "reason", description: "Why (kept in the audit log)", type: Opt.String, max_length: 200 },
    ],
  },
  async run(ctx) {
    const guildId = guildOf(ctx);
    requireNumbersAdmin(ctx, await getSettings(ctx.deps.kv, guildId));
    const reason = text(ctx, "reason");
    const out = await releaseNumber(ctx.deps.kv, {
      guildId,
      actorId: ctx.userId,
      number: text(ctx, "number"),
      force: true,
      ...(reason ? { reason } : {}),
    }, ctx.deps.now());
    if (!out.ok) {
      throw new UserError(out.reason === "invalid" ? esc(out.message) : "Nobody holds that number");
    }
    ctx.deps.delivery?.kick();
    return say(`Released **#${out.claim.number}** from ${mention(out.claim.userId)}`);
  },
};

const auditlog: Command = {
  definition: {
    name: "auditlog",
    description: "Recent changes to car numbers, of everyone or one member (numbers admins)",
    options: [{ name: "member", description: "Only changes by or to this member", type: Opt.User }],
  },
  async run(ctx) {
    const guildId = guildOf(ctx);
    requireNumbersAdmin(ctx, await getSettings(ctx.deps.kv, guildId));
    const member = ctx.options.member === undefined ? null : String(ctx.options.member);
    const entries = await listAudit(ctx.deps.kv, guildId, {
      limit: 25,
      ...(member ? { memberId: member } : {}),
    });
    return { kind: "message", ephemeral: true, message: { embeds: [auditEmbed(entries, member)] } };
  },
};

const sync: Command = {
  definition: {
    name: "sync",
    description: "Check the claims against the iRacing league roster now (numbers admins)",
  },
  async run(ctx) {
    const guildId = guildOf(ctx);
    const settings = await getSettings(ctx.deps.kv, guildId);
    requireNumbersAdmin(ctx, settings);
    const iracing = ctx.deps.iracing;
    if (!iracing) {
      throw new UserError(
        "iRacing is not configured on this Podium: the operator sets IRACING_CLIENT_ID, IRACING_CLIENT_SECRET, IRACING_USERNAME and IRACING_PASSWORD",
      );
    }
    if (!settings.leagueId) throw new UserError("No iRacing league is set: run /setup league_id:<id> first");
    const { kv } = ctx.deps;
    return {
      kind: "defer",
      ephemeral: true,
      work: async () => {
        try {
          const status = await syncGuild(
            {
              kv,
              iracing,
              linkOf: (u) => linkedCustId(kv, u),
              verifyLink: (u, custId, name, at) => verifyIracingLink(kv, u, custId, name, at),
            },
            guildId,
            ctx.deps.now(),
            ctx.userId,
          );
          ctx.deps.delivery?.kick();
          return { embeds: [syncStatusEmbed(status, await getSettings(kv, guildId))] };
        } catch (err) {
          if (err instanceof SyncError) return { content: err.message };
          throw err;
        }
      },
    };
  },
};

const syncstatus: Command = {
  definition: {
    name: "syncstatus",
    description: "The last iRacing sync: when, its result and the conflicts",
  },
  async run(ctx) {
    const guildId = guildOf(ctx);
    const [status, settings] = await Promise.all([
      getSyncStatus(ctx.deps.kv, guildId),
      getSettings(ctx.deps.kv, guildId),
    ]);
    return { kind: "message", ephemeral: true, message: { embeds: [syncStatusEmbed(status, settings)] } };
  },
};

/** The admin commands, in /help order. */
export const adminCommands: Command[] = [sync, syncstatus, setup, config, forcerelease, auditlog];
