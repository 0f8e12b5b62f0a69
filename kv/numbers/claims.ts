/**
 * Claims on car numbers, per guild. A claim is one atomic commit: the number's key must still be
 * empty, the member's holding must be what was read (so the limit holds under concurrency), and
 * the claim, the holding, the audit entry and the announcement land together or not at all. When
 * twenty members claim one number at once, exactly one commit passes its checks; the others read
 * again and are told who holds it.
 */
import { z } from "zod";
import { claimKey, claimPrefix, holdingKey, rosterKey, settingsKey } from "@/kv/numbers/keys.ts";
import {
  DEFAULT_SETTINGS,
  getSettings,
  NumberSettings,
  SettingsError,
  validateNumber,
} from "@/kv/numbers/settings.ts";
import { addAudit } from "@/kv/numbers/audit.ts";
import { addNumbersAnnouncements } from "@/kv/numbers/announcements.ts";
import { carriersOf, RosterSnapshot } from "@/kv/numbers/roster.ts";
import { commitWithRetry } from "@/kv/retry.ts";

/** A claimed number. `verified` is set by the sync when the roster shows the same number. */
export const Claim = z.object({
  number: z.string(),
  userId: z.string(),
  /** The member's Discord display name when they claimed (shown until the roster names them). */
  displayName: z.string().nullable(),
  claimedAt: z.string(),
  verified: z.boolean(),
  verifiedAt: z.string().nullable(),
  /** The iRacing customer id and name the sync matched the claimant to. */
  custId: z.number().int().nullable(),
  driverName: z.string().nullable(),
});
export type Claim = z.infer<typeof Claim>;

/** The numbers one member holds; its versionstamp guards the per-member limit. */
export const Holding = z.object({ numbers: z.array(z.string()) });
export type Holding = z.infer<typeof Holding>;

/** What a claim came to. */
export type ClaimOutcome =
  | { ok: true; claim: Claim }
  | { ok: false; reason: "taken"; claim: Claim }
  | { ok: false; reason: "limit"; held: string[]; max: number }
  | { ok: false; reason: "roster"; carrier: string }
  | { ok: false; reason: "invalid"; message: string };

/** What a release came to. */
export type ReleaseOutcome =
  | { ok: true; claim: Claim }
  | { ok: false; reason: "free" }
  | { ok: false; reason: "not_yours"; claim: Claim }
  | { ok: false; reason: "invalid"; message: string };

const ATTEMPTS = 32;

/** The claim on a number, or null. */
export async function getClaim(kv: Deno.Kv, guildId: string, number: string): Promise<Claim | null> {
  const e = await kv.get(claimKey(guildId, number));
  return Claim.safeParse(e.value).data ?? null;
}

/** Every claim of a guild, in number order (text order: "07" before "7"). */
export async function listClaims(kv: Deno.Kv, guildId: string): Promise<Claim[]> {
  const out: Claim[] = [];
  for await (const e of kv.list({ prefix: claimPrefix(guildId) })) {
    const c = Claim.safeParse(e.value);
    if (c.success) out.push(c.data);
  }
  return out;
}

/** The numbers a member holds. */
export async function memberNumbers(kv: Deno.Kv, guildId: string, userId: string): Promise<string[]> {
  const e = await kv.get(holdingKey(guildId, userId));
  return Holding.safeParse(e.value).data?.numbers ?? [];
}

/**
 * Claims a number for a member. `linkedCustId` (their linked iRacing id, if any) lets them take a
 * number the roster already shows on their own car.
 */
export async function claimNumber(
  kv: Deno.Kv,
  req: {
    guildId: string;
    userId: string;
    number: string;
    displayName?: string | null;
    linkedCustId?: number | null;
  },
  now: Date,
): Promise<ClaimOutcome> {
  // One read for everything the first attempt needs; later attempts re-read only what can race.
  const guessed = req.number.trim();
  const [settingsEntry, rosterEntry, firstClaim, firstHolding] = await kv.getMany([
    settingsKey(req.guildId),
    rosterKey(req.guildId),
    claimKey(req.guildId, guessed),
    holdingKey(req.guildId, req.userId),
  ]);
  const settings = NumberSettings.safeParse(settingsEntry.value).data ?? DEFAULT_SETTINGS;
  let number: string;
  try {
    number = validateNumber(settings, req.number);
  } catch (err) {
    if (err instanceof SettingsError) return { ok: false, reason: "invalid", message: err.message };
    throw err;
  }
  const roster = RosterSnapshot.safeParse(rosterEntry.value).data ?? null;
  const carriers = carriersOf(roster, number);
  if (carriers.length > 0 && !carriers.some((m) => m.custId === req.linkedCustId)) {
    return { ok: false, reason: "roster", carrier: carriers[0]!.name };
  }
  const key = claimKey(req.guildId, number);
  const hKey = holdingKey(req.guildId, req.userId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [existing, holding] = attempt === 0 ? [firstClaim, firstHolding] : await kv.getMany([key, hKey]);
    const current = Claim.safeParse(existing.value);
    if (current.success) return { ok: false, reason: "taken", claim: current.data };
    const held = Holding.safeParse(holding.value).data?.numbers ?? [];
    if (held.length >= settings.maxPerMember) {
      return { ok: false, reason: "limit", held, max: settings.maxPerMember };
    }
    const claim: Claim = {
      number,
      userId: req.userId,
      displayName: req.displayName ?? null,
      claimedAt: now.toISOString(),
      verified: false,
      verifiedAt: null,
      custId: null,
      driverName: null,
    };
    const op = kv.atomic()
      .check({ key, versionstamp: null })
      .check(holding)
      .set(key, claim)
      .set(hKey, { numbers: [...held, number].sort() } satisfies Holding);
    const audit = addAudit(op, req.guildId, {
      actorId: req.userId,
      action: "claim",
      number,
      details: `claimed ${number}`,
    }, now);
    if (settings.channelId) {
      addNumbersAnnouncements(
        op,
        [{
          type: "numbers_claimed",
          guildId: req.guildId,
          channelId: settings.channelId,
          number,
          userId: req.userId,
          displayName: claim.displayName,
          at: claim.claimedAt,
        }],
        now,
        `numbers-${audit.id}`,
      );
    }
    const res = await commitWithRetry(() => op.commit(), "number claim");
    if (res.ok) return { ok: true, claim };
  }
  throw new Error(`Cannot claim "${number}": the store stayed busy over ${ATTEMPTS} attempts`);
}

/**
 * Releases a number. Members release their own; `force` (an admin's /forcerelease, checked by
 * the caller) releases anyone's and is audited as such.
 */
export async function releaseNumber(
  kv: Deno.Kv,
  req: { guildId: string; actorId: string; number: string; force?: boolean; reason?: string },
  now: Date,
): Promise<ReleaseOutcome> {
  const number = req.number.trim();
  if (!/^\d{1,8}$/.test(number)) {
    return { ok: false, reason: "invalid", message: `"${number.slice(0, 20)}" is not a car number` };
  }
  const settings = await getSettings(kv, req.guildId);
  const key = claimKey(req.guildId, number);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const entry = await kv.get(key);
    const claim = Claim.safeParse(entry.value).data;
    if (!claim) return { ok: false, reason: "free" };
    if (!req.force && claim.userId !== req.actorId) return { ok: false, reason: "not_yours", claim };
    const hKey = holdingKey(req.guildId, claim.userId);
    const holding = await kv.get(hKey);
    const left = (Holding.safeParse(holding.value).data?.numbers ?? []).filter((n) => n !== number);
    const op = kv.atomic().check(entry).check(holding).delete(key);
    if (left.length) op.set(hKey, { numbers: left } satisfies Holding);
    else op.delete(hKey);
    const forced = Boolean(req.force) && claim.userId !== req.actorId;
    const audit = addAudit(op, req.guildId, {
      actorId: req.actorId,
      action: forced ? "force_release" : "release",
      number,
      ...(forced ? { targetId: claim.userId } : {}),
      details: `${forced ? "force released" : "released"} ${number}${req.reason ? `: ${req.reason}` : ""}`,
    }, now);
    if (settings.channelId) {
      addNumbersAnnouncements(
        op,
        [{
          type: "numbers_released",
          guildId: req.guildId,
          channelId: settings.channelId,
          number,
          userId: claim.userId,
          byId: req.actorId,
          forced,
          at: now.toISOString(),
        }],
        now,
        `numbers-${audit.id}`,
      );
    }
    const res = await commitWithRetry(() => op.commit(), "number release");
    if (res.ok) return { ok: true, claim };
  }
  throw new Error(`Cannot release "${number}": the store stayed busy over ${ATTEMPTS} attempts`);
}
