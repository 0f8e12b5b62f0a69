/**
 * The interaction body, parsed with zod after its signature checked out, and what handlers read
 * from it: who asked, where, with which (sub)command and options, and whether they are an admin.
 */
import { z } from "zod";
import type { APIInteraction } from "discord-api-types/v10";
import type { Config } from "@/config.ts";

/** Interaction types we answer. */
export const InteractionType = { Ping: 1, Command: 2, Component: 3, Autocomplete: 4, Modal: 5 } as const;

/** Administrator (0x8) and Manage Guild (0x20): either makes a member a league admin. */
export const ADMIN_PERMISSIONS = (1n << 3n) | (1n << 5n);

const Id = z.string().regex(/^\d{1,25}$/, "not a Discord id");
const User = z.looseObject({ id: Id });
const Member = z.looseObject({
  user: User.optional(),
  roles: z.array(Id).default([]),
  permissions: z.string().regex(/^\d{1,40}$/, "not a permission bitset").optional(),
});

/** One option as Discord sends it; subcommands (1) and groups (2) nest their options. */
export interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: RawOption[] | undefined;
  focused?: boolean | undefined;
}
// Discord nests options at most three deep (group > subcommand > value), so the schema is three
// explicit levels: a body nested 2,000 deep is refused at the fourth, never recursed into.
// A value must also have its option type's shape (an INTEGER option of 1.5 is refused here).
const VALUE_TYPES: Record<number, (v: unknown) => boolean> = {
  3: (v) => typeof v === "string", // STRING
  4: (v) => Number.isSafeInteger(v), // INTEGER
  5: (v) => typeof v === "boolean", // BOOLEAN
  6: (v) => typeof v === "string", // USER
  7: (v) => typeof v === "string", // CHANNEL
  8: (v) => typeof v === "string", // ROLE
  9: (v) => typeof v === "string", // MENTIONABLE
  10: (v) => typeof v === "number" && Number.isFinite(v), // NUMBER
  11: (v) => typeof v === "string", // ATTACHMENT
};
function optionLevel(inner: z.ZodType<RawOption[]> | null): z.ZodType<RawOption> {
  return z.looseObject({
    name: z.string().min(1).max(32),
    type: z.number().int(),
    value: z.union([z.string().max(6000), z.number(), z.boolean()]).optional(),
    options: inner ? inner.optional() : z.array(z.never()).max(0).optional(),
    focused: z.boolean().optional(),
  }).superRefine((o, ctx) => {
    const check = VALUE_TYPES[o.type];
    // While typing (autocomplete) Discord sends the partial text, whatever the option's type.
    if (o.value !== undefined && check && !o.focused && !check(o.value)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `not a value of option type ${o.type}` });
    }
  }) as z.ZodType<RawOption>;
}
const Leaf = optionLevel(null);
const Sub = optionLevel(z.array(Leaf).max(25));
const Option = optionLevel(z.array(Sub).max(25));

const Common = {
  id: Id,
  application_id: Id,
  token: z.string().min(1).max(500),
  guild_id: Id.optional(),
  channel_id: Id.optional(),
  member: Member.optional(),
  user: User.optional(),
};
const CommandData = z.looseObject({
  name: z.string().min(1).max(32),
  options: z.array(Option).max(25).optional(),
});

/** A parsed interaction body. */
export const Interaction = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal(1) }),
  z.looseObject({ ...Common, type: z.literal(2), data: CommandData }),
  z.looseObject({ ...Common, type: z.literal(4), data: CommandData }),
  z.looseObject({
    ...Common,
    type: z.literal(3),
    data: z.looseObject({ custom_id: z.string().min(1).max(100), component_type: z.number().int() }),
  }),
]);
export type Interaction = z.infer<typeof Interaction>;

/** Parses a body; a sentence naming the problem when it is not an interaction we handle. */
export function parseInteraction(
  raw: unknown,
): { ok: true; value: Interaction } | { ok: false; error: string } {
  const res = Interaction.safeParse(raw);
  if (res.success) return { ok: true, value: res.data };
  const issue = res.error.issues[0]!;
  const where = issue.path.map(String).join(".") || "body";
  const type = (raw as { type?: unknown } | null)?.type;
  if (issue.code === "invalid_union" && typeof type === "number" && ![1, 2, 3, 4].includes(type)) {
    return { ok: false, error: `Unsupported interaction type ${type}` };
  }
  return { ok: false, error: `Malformed interaction: ${where}: ${issue.message}` };
}

/** The invoked (sub)command path, its options, and the option being typed (autocomplete). */
export function readOptions(options: RawOption[] | undefined): {
  sub: string[];
  options: Record<string, string | number | boolean | undefined>;
  focused: { name: string; value: string } | null;
} {
  const sub: string[] = [];
  let level = options ?? [];
  while (level.length === 1 && (level[0]!.type === 1 || level[0]!.type === 2)) {
    sub.push(level[0]!.name);
    level = level[0]!.options ?? [];
  }
  const out: Record<string, string | number | boolean | undefined> = {};
  let focused: { name: string; value: string } | null = null;
  for (const o of level) {
    out[o.name] = o.value;
    if (o.focused) focused = { name: o.name, value: String(o.value ?? "") };
  }
  return { sub, options: out, focused };
}

/**
 * True when the member may use admin commands: Administrator or Manage Guild in their permissions
 * (decimal string, parsed as BigInt), or one of the config's admin roles. Never in DMs.
 */
export function isAdminMember(i: Interaction, config: Config): boolean {
  if (i.type === 1 || !i.member) return false;
  if (i.member.permissions && (BigInt(i.member.permissions) & ADMIN_PERMISSIONS) !== 0n) return true;
  const roles = config.discord.adminRoles ?? [];
  return i.member.roles.some((r) => roles.includes(r));
}

/** The id of the member or user who interacted. */
export function userIdOf(i: Interaction): string | null {
  if (i.type === 1) return null;
  return i.member?.user?.id ?? i.user?.id ?? null;
}

/** The parsed body as the API type handlers are given (zod checked the parts we read). */
export function asApiInteraction(i: Interaction): APIInteraction {
  return i as unknown as APIInteraction;
}
