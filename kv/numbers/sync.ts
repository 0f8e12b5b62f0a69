/**
 * Roster sync: reads the league roster from iRacing (`/data/league/get` carries it inline), marks
 * claims verified when the claimant's roster entry carries the claimed number, and reports
 * conflicts. Claims are matched to roster members through the member links (Discord user ->
 * iRacing cust_id). Conflicts get stable ids; only ids no earlier sync reported are announced,
 * once, to the admin channel. Claims that change while the sync runs are left as they are (every
 * claim update is checked against the entry read) and are judged again at the next sync.
 */
import { z } from "zod";
import type { IracingApi, League } from "@/lib/iracing.ts";
import { IracingError } from "@/lib/iracing.ts";
import { claimPrefix, rosterKey, syncStatusKey } from "@/kv/numbers/keys.ts";
import { Claim } from "@/kv/numbers/claims.ts";
import { getSettings } from "@/kv/numbers/settings.ts";
import { addAudit } from "@/kv/numbers/audit.ts";
import { addNumbersAnnouncements } from "@/kv/numbers/announcements.ts";
import type { RosterSnapshot } from "@/kv/numbers/roster.ts";
import { commitWithRetry } from "@/kv/retry.ts";

/** One kind of disagreement between the claims and the roster. */
export type ConflictKind = "mismatch" | "used_by_other" | "left_league" | "duplicate_on_roster";

/** A conflict, with everything a message needs (Discord ids only for rendering mentions). */
export const Conflict = z.object({
  /** Stable across syncs while the conflict lasts. */
  id: z.string(),
  kind: z.enum(["mismatch", "used_by_other", "left_league", "duplicate_on_roster"]),
  /** The number concerned (the claimed one, or the roster's). */
  number: z.string(),
  /** The claimant, when a claim is involved. */
  userId: z.string().nullable(),
  /** The roster members concerned: cust_id, name and the number they carry. */
  drivers: z.array(z.object({ custId: z.number(), name: z.string(), number: z.string().nullable() })),
});
export type Conflict = z.infer<typeof Conflict>;

/** The outcome of the last sync of a guild, kept for /syncstatus and for "post new conflicts once". */
export const SyncStatus = z.object({
  at: z.string(),
  ok: z.boolean(),
  error: z.string().nullable(),
  leagueId: z.number().nullable(),
  leagueName: z.string().nullable(),
  rosterCount: z.number(),
  claims: z.number(),
  verified: z.number(),
  newlyVerified: z.number(),
  /** Claims whose member has no iRacing link: they cannot be checked. */
  unlinked: z.number(),
  /** Up to 100 conflicts; `conflictCount` has them all. */
  conflicts: z.array(Conflict),
  conflictCount: z.number(),
  /** Ids of the conflicts reported so far (at most 1,000), so each is announced once. */
  known: z.array(z.string()),
  /** KV keys written by the run. */
  writes: z.number(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/** What a sync needs. */
export interface SyncDeps {
  kv: Deno.Kv;
  iracing: IracingApi;
  /** The iRacing cust_id a Discord member linked (kv/links.ts), or null. */
  linkOf(userId: string): Promise<number | null>;
  /**
   * Marks a member's iRacing link verified now that the roster shows that cust_id; true when it
   * changed (the sync then audits it). Absent: links are not touched.
   */
  verifyLink?(userId: string, custId: number, name: string, now: Date): Promise<boolean>;
}

/** A sync that cannot start, with the sentence for the admin. */
export class SyncError extends Error {}

const STORED_CONFLICTS = 100;
const KNOWN_IDS = 1000;
/** Claims updated per atomic commit (one check each; Deno KV allows 100 checks). */
const BATCH = 90;

/** The last sync of a guild, or null. */
export async function getSyncStatus(kv: Deno.Kv, guildId: string): Promise<SyncStatus | null> {
  return SyncStatus.safeParse((await kv.get(syncStatusKey(guildId))).value).data ?? null;
}

/**
 * Syncs one guild with its iRacing league. `actorId` is the member who ran /sync, or "sync" for
 * the hourly run. iRacing failures are recorded as a failed run (and returned), not thrown.
 */
export async function syncGuild(
  deps: SyncDeps,
  guildId: string,
  now: Date,
  actorId = "sync",
): Promise<SyncStatus> {
  const { kv } = deps;
  const settings = await getSettings(kv, guildId);
  if (!settings.leagueId) {
    throw new SyncError("No iRacing league is set for this server: an admin runs /setup league_id:<id>");
  }
  let league: League;
  try {
    league = await deps.iracing.getLeague(settings.leagueId);
  } catch (err) {
    if (!(err instanceof IracingError)) throw err;
    return await finish(deps, guildId, now, actorId, { failed: err.message, leagueId: settings.leagueId });
  }

  const entries = await Array.fromAsync(kv.list({ prefix: claimPrefix(guildId) }));
  const claims = entries.flatMap((e) => {
    const c = Claim.safeParse(e.value);
    return c.success ? [{ entry: e, claim: c.data }] : [];
  });
  const users = [...new Set(claims.map((c) => c.claim.userId))];
  const links = new Map(await Promise.all(users.map(async (u) => [u, await deps.linkOf(u)] as const)));
  const byCust = new Map(league.roster.map((m) => [m.custId, m]));

  // Claim updates: verified, and the iRacing name shown for the number.
  let writes = 0;
  let newlyVerified = 0;
  const updates: { entry: Deno.KvEntry<unknown>; next: Claim; verifies: boolean }[] = [];
  for (const { entry, claim } of claims) {
    const next = judge(claim, links.get(claim.userId) ?? null, byCust, now);
    if (JSON.stringify(next) !== JSON.stringify(claim)) {
      updates.push({ entry, next, verifies: next.verified && !claim.verified });
    }
  }
  for (let i = 0; i < updates.length; i += BATCH) {
    const batch = updates.slice(i, i + BATCH);
    const op = kv.atomic();
    for (const u of batch) op.check(u.entry).set(u.entry.key, u.next);
    if ((await commitWithRetry(() => op.commit(), "number claims (sync)")).ok) {
      writes += batch.length;
      newlyVerified += batch.filter((u) => u.verifies).length;
      continue;
    }
    // A claim in this batch changed meanwhile: write the others one by one, skip the changed.
    for (const u of batch) {
      const res = await commitWithRetry(
        () => kv.atomic().check(u.entry).set(u.entry.key, u.next).commit(),
        "number claim (sync)",
      );
      if (!res.ok) continue;
      writes++;
      if (u.verifies) newlyVerified++;
    }
  }

  // Links of claimants found on the roster become verified (each change audited below).
  const verifiedLinks: { userId: string; custId: number; name: string }[] = [];
  if (deps.verifyLink) {
    for (const [userId, custId] of links) {
      const member = custId === null ? undefined : byCust.get(custId);
      if (member && await deps.verifyLink(userId, member.custId, member.displayName, now)) {
        verifiedLinks.push({ userId, custId: member.custId, name: member.displayName });
        writes += 2;
      }
    }
  }

  const conflicts = findConflicts(claims.map((c) => c.claim), links, league);
  return await finish(deps, guildId, now, actorId, {
    league,
    conflicts,
    verifiedLinks,
    writes,
    counts: {
      claims: claims.length,
      verified: claims.filter((c) =>
        judge(c.claim, links.get(c.claim.userId) ?? null, byCust, now).verified
      ).length,
      newlyVerified,
      unlinked: claims.filter((c) => links.get(c.claim.userId) == null).length,
    },
  });
}

/** The claim as the roster says it should be. */
function judge(
  claim: Claim,
  custId: number | null,
  byCust: Map<number, League["roster"][number]>,
  now: Date,
): Claim {
  const member = custId === null ? undefined : byCust.get(custId);
  const verified = member !== undefined && member.carNumber === claim.number;
  return {
    ...claim,
    custId: member ? member.custId : null,
    driverName: member ? member.displayName : null,
    verified,
    verifiedAt: verified ? (claim.verifiedAt ?? now.toISOString()) : null,
  };
}

/** Every conflict between the claims and the roster, in number order. */
export function findConflicts(
  claims: Claim[],
  links: Map<string, number | null>,
  league: League,
): Conflict[] {
  const out: Conflict[] = [];
  const byCust = new Map(league.roster.map((m) => [m.custId, m]));
  const driver = (m: League["roster"][number]) => ({
    custId: m.custId,
    name: m.displayName,
    number: m.carNumber,
  });
  const claimByNumber = new Map(claims.map((c) => [c.number, c]));
  for (const c of claims) {
    const custId = links.get(c.userId) ?? null;
    if (custId === null) continue;
    const member = byCust.get(custId);
    if (!member) {
      out.push({
        id: `left:${c.number}:${c.userId}:${custId}`,
        kind: "left_league",
        number: c.number,
        userId: c.userId,
        drivers: [],
      });
    } else if (member.carNumber !== null && member.carNumber !== c.number) {
      out.push({
        id: `mismatch:${c.number}:${c.userId}:${member.carNumber}`,
        kind: "mismatch",
        number: c.number,
        userId: c.userId,
        drivers: [driver(member)],
      });
    }
  }
  const carriers = new Map<string, League["roster"]>();
  for (const m of league.roster) {
    if (m.carNumber !== null) carriers.set(m.carNumber, [...(carriers.get(m.carNumber) ?? []), m]);
  }
  for (const [number, members] of carriers) {
    if (members.length > 1) {
      const ids = members.map((m) => m.custId).sort((a, b) => a - b);
      out.push({
        id: `dup:${number}:${ids.join(",")}`,
        kind: "duplicate_on_roster",
        number,
        userId: claimByNumber.get(number)?.userId ?? null,
        drivers: members.map(driver),
      });
    }
    const claim = claimByNumber.get(number);
    if (!claim) continue;
    const claimant = links.get(claim.userId) ?? null;
    // Only a linked claimant can be told apart from the driver carrying the number.
    if (claimant === null) continue;
    for (const m of members) {
      if (m.custId === claimant) continue;
      out.push({
        id: `used:${number}:${m.custId}:${claim.userId}`,
        kind: "used_by_other",
        number,
        userId: claim.userId,
        drivers: [driver(m)],
      });
    }
  }
  return out.sort((a, b) => a.number.localeCompare(b.number) || a.id.localeCompare(b.id));
}

type Outcome =
  | { failed: string; leagueId: number }
  | {
    league: League;
    conflicts: Conflict[];
    verifiedLinks: { userId: string; custId: number; name: string }[];
    writes: number;
    counts: { claims: number; verified: number; newlyVerified: number; unlinked: number };
  };

/** Stores the status, the roster and the audit entry, and announces new conflicts, in one commit. */
async function finish(
  deps: SyncDeps,
  guildId: string,
  now: Date,
  actorId: string,
  o: Outcome,
): Promise<SyncStatus> {
  const { kv } = deps;
  for (let attempt = 0; attempt < 10; attempt++) {
    const [prevEntry, settings] = await Promise.all([
      kv.get(syncStatusKey(guildId)),
      getSettings(kv, guildId),
    ]);
    const prev = SyncStatus.safeParse(prevEntry.value).data ?? null;
    const op = kv.atomic().check(prevEntry);
    let status: SyncStatus;
    if ("failed" in o) {
      status = {
        ...(prev ?? emptyStatus()),
        at: now.toISOString(),
        ok: false,
        error: o.failed,
        leagueId: o.leagueId,
        writes: 1 + auditWrites(actorId),
      };
    } else {
      const known = new Set(prev?.known ?? []);
      const fresh = o.conflicts.filter((c) => !known.has(c.id));
      // Conflicts that are gone are forgotten, so they are reported again if they come back.
      const stillKnown = o.conflicts.map((c) => c.id);
      const channel = settings.adminChannelId ?? settings.channelId;
      const snapshot: RosterSnapshot = {
        leagueId: o.league.leagueId,
        leagueName: o.league.name,
        at: now.toISOString(),
        // Every member, numbered or not: /link game:iracing checks customer ids against it.
        members: o.league.roster.map((m) => ({
          custId: m.custId,
          name: m.displayName,
          number: m.carNumber,
        })),
      };
      const announce = fresh.length > 0 && channel !== null;
      status = {
        at: now.toISOString(),
        ok: true,
        error: null,
        leagueId: o.league.leagueId,
        leagueName: o.league.name,
        rosterCount: o.league.roster.length,
        ...o.counts,
        conflicts: o.conflicts.slice(0, STORED_CONFLICTS),
        conflictCount: o.conflicts.length,
        known: stillKnown.slice(0, KNOWN_IDS),
        writes: o.writes + 2 + auditWrites(actorId) + (announce ? 2 : 0) +
          o.verifiedLinks.reduce((n, l) => n + auditWrites(actorId, l.userId), 0),
      };
      op.set(rosterKey(guildId), snapshot);
      if (announce) {
        addNumbersAnnouncements(
          op,
          [{
            type: "numbers_conflicts",
            guildId,
            channelId: channel,
            leagueId: o.league.leagueId,
            conflicts: fresh.slice(0, 25),
            more: Math.max(0, fresh.length - 25),
            at: now.toISOString(),
          }],
          now,
          `numbers-sync-${guildId}`,
        );
      }
    }
    op.set(syncStatusKey(guildId), status);
    for (const l of "failed" in o ? [] : o.verifiedLinks) {
      addAudit(op, guildId, {
        actorId,
        action: "link",
        targetId: l.userId,
        details: `iRacing account ${l.custId} (${l.name}) verified on the league roster`,
      }, now);
    }
    addAudit(op, guildId, {
      actorId,
      action: "sync",
      details: status.ok
        ? `league ${status.leagueId}: ${status.rosterCount} on the roster, ${status.verified}/${status.claims} claims verified, ${status.conflictCount} conflict(s)`
        : `league ${status.leagueId}: failed: ${status.error}`,
    }, now);
    if ((await commitWithRetry(() => op.commit(), "number sync status")).ok) return status;
  }
  throw new Error(`Cannot store the sync of guild "${guildId}": another sync kept writing at the same time`);
}

/** Keys one audit entry writes: the entry, and one index entry per member it concerns. */
function auditWrites(actorId: string, targetId?: string): number {
  return 1 + new Set([actorId, targetId].filter((m) => m !== undefined && m !== "sync")).size;
}

function emptyStatus(): SyncStatus {
  return {
    at: "",
    ok: false,
    error: null,
    leagueId: null,
    leagueName: null,
    rosterCount: 0,
    claims: 0,
    verified: 0,
    newlyVerified: 0,
    unlinked: 0,
    conflicts: [],
    conflictCount: 0,
    known: [],
    writes: 0,
  };
}
