/**
 * A guild's number settings, set by `/setup`: the iRacing league, which numbers are valid (a
 * pattern and a range, default 0-999 with leading zeros allowed), the admin role, the channels and
 * how many numbers one member may hold. Numbers are text: "07" and "7" are different numbers, and
 * the range applies to their value.
 */
import { z } from "zod";
import { settingsKey, settingsPrefix } from "@/kv/numbers/keys.ts";
import { addAudit } from "@/kv/numbers/audit.ts";
import { commitWithRetry } from "@/kv/retry.ts";

const Snowflake = z.string().regex(/^\d{17,20}$/, "a Discord id is 17-20 digits");

/** The longest number text accepted, whatever the pattern says. */
export const MAX_NUMBER_LENGTH = 4;

/** A guild's settings as stored. */
export const NumberSettings = z.object({
  leagueId: z.number().int().positive().nullable(),
  /** A regular expression the whole number must match (anchored by us). */
  pattern: z.string().min(1).max(100),
  min: z.number().int().min(0),
  max: z.number().int().min(0).max(9999),
  adminRoleId: Snowflake.nullable(),
  /** Where claims and releases are announced. */
  channelId: Snowflake.nullable(),
  /** Where new sync conflicts are posted; the announcement channel when unset. */
  adminChannelId: Snowflake.nullable(),
  maxPerMember: z.number().int().min(1).max(50),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type NumberSettings = z.infer<typeof NumberSettings>;

/** The settings of a guild that never ran /setup. */
export const DEFAULT_SETTINGS: NumberSettings = {
  leagueId: null,
  pattern: "[0-9]{1,3}",
  min: 0,
  max: 999,
  adminRoleId: null,
  channelId: null,
  adminChannelId: null,
  maxPerMember: 1,
  updatedAt: null,
  updatedBy: null,
};

/** What `/setup` may change. */
export type SettingsPatch = Partial<Omit<NumberSettings, "updatedAt" | "updatedBy">>;

/** A settings change that cannot be saved, with the sentence to show. */
export class SettingsError extends Error {}

/** The settings of a guild (defaults when none are stored). */
export async function getSettings(kv: Deno.Kv, guildId: string): Promise<NumberSettings> {
  const e = await kv.get(settingsKey(guildId));
  const parsed = NumberSettings.safeParse(e.value);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** Every guild that ran /setup, with its settings. */
export async function listConfiguredGuilds(
  kv: Deno.Kv,
): Promise<{ guildId: string; settings: NumberSettings }[]> {
  const out: { guildId: string; settings: NumberSettings }[] = [];
  for await (const e of kv.list({ prefix: settingsPrefix() })) {
    const parsed = NumberSettings.safeParse(e.value);
    if (parsed.success) out.push({ guildId: String(e.key[2]), settings: parsed.data });
  }
  return out;
}

function compile(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (err) {
    throw new SettingsError(`Invalid number pattern "${pattern}": ${(err as Error).message}`);
  }
}

/**
 * Checks a number against the settings; returns the number as it will be stored (trimmed, never
 * re-formatted), or throws a SettingsError with the sentence to show.
 */
export function validateNumber(settings: NumberSettings, raw: string): string {
  const number = raw.trim();
  if (!/^\d+$/.test(number) || number.length > MAX_NUMBER_LENGTH) {
    throw new SettingsError(
      `"${number.slice(0, 20)}" is not a car number: use up to ${MAX_NUMBER_LENGTH} digits`,
    );
  }
  const value = Number(number);
  if (value < settings.min || value > settings.max) {
    throw new SettingsError(`"${number}" is outside this server's range ${settings.min}-${settings.max}`);
  }
  if (!compile(settings.pattern).test(number)) {
    throw new SettingsError(`"${number}" does not match this server's number pattern ${settings.pattern}`);
  }
  return number;
}

/** Applies a `/setup` change (checked against the entry read) and audits it. */
export async function saveSettings(
  kv: Deno.Kv,
  guildId: string,
  patch: SettingsPatch,
  actorId: string,
  now: Date,
): Promise<NumberSettings> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const entry = await kv.get(settingsKey(guildId));
    const current = NumberSettings.safeParse(entry.value).data ?? DEFAULT_SETTINGS;
    const next = { ...current, ...patch, updatedAt: now.toISOString(), updatedBy: actorId };
    const res = NumberSettings.safeParse(next);
    if (!res.success) {
      const i = res.error.issues[0]!;
      throw new SettingsError(`Invalid ${i.path.join(".")}: ${i.message}`);
    }
    compile(next.pattern);
    if (next.min > next.max) {
      throw new SettingsError(`Invalid range ${next.min}-${next.max}: the minimum is above the maximum`);
    }
    const changed = Object.keys(patch).map((k) => `${k}=${JSON.stringify(patch[k as keyof SettingsPatch])}`);
    const op = kv.atomic().check(entry).set(settingsKey(guildId), res.data);
    addAudit(op, guildId, { actorId, action: "setup", details: changed.join(", ") || "no change" }, now);
    const ok = await commitWithRetry(() => op.commit(), "number settings");
    if (ok.ok) return res.data;
  }
  throw new SettingsError("The settings changed several times at once; try again");
}
