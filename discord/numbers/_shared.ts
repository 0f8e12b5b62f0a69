/** Helpers of the numbers command set: the guild, the member, the numbers admin check. */
import type { CommandContext, Reply } from "@/discord/command.ts";
import { UserError } from "@/discord/command.ts";
import type { NumberSettings } from "@/kv/numbers/settings.ts";

interface MemberView {
  nick?: string | null;
  roles?: string[];
  user?: { username?: string; global_name?: string | null };
}

function memberOf(ctx: CommandContext): MemberView | undefined {
  return (ctx.interaction as unknown as { member?: MemberView }).member;
}

/** The guild the command ran in; numbers belong to a server, so DMs are refused. */
export function guildOf(ctx: CommandContext): string {
  if (!ctx.guildId) {
    throw new UserError("Car numbers belong to a server: use this command in your league's server");
  }
  return ctx.guildId;
}

/** The member's name as the server shows it (nickname, global name, user name). */
export function displayNameOf(ctx: CommandContext): string | null {
  const m = memberOf(ctx);
  return m?.nick ?? m?.user?.global_name ?? m?.user?.username ?? null;
}

/** Administrator or Manage Guild (ctx.isAdmin), or the admin role set in /setup: checked server-side. */
export function isNumbersAdmin(ctx: CommandContext, settings: NumberSettings): boolean {
  if (ctx.isAdmin) return true;
  const roles = memberOf(ctx)?.roles ?? [];
  return settings.adminRoleId !== null && roles.includes(settings.adminRoleId);
}

/** Refuses non-admins with one sentence. */
export function requireNumbersAdmin(ctx: CommandContext, settings: NumberSettings): void {
  if (!isNumbersAdmin(ctx, settings)) {
    throw new UserError("Only server admins or the numbers admin role set in /setup can do that");
  }
}

/** An ephemeral sentence. */
export function say(content: string, ephemeral = true): Reply {
  return { kind: "message", ephemeral, message: { content } };
}

/** A string option, trimmed ("" when absent). */
export function text(ctx: CommandContext, name: string): string {
  const v = ctx.options[name];
  return v === undefined ? "" : String(v).trim();
}
