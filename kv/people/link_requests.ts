/**
 * Links an admin approves (docs/identities.md): with `discord.linkApproval` on, a member's /link to
 * an identity that holds records or numbers is stored here and posted to the admin channel with
 * Approve/Reject buttons, in one atomic write; the click links (or not) and writes the audit entry.
 */
import { addAnnouncements } from "@/kv/outbox.ts";
import { linkRequestKey, peopleAuditKey } from "@/kv/people/keys.ts";
import { newAuditId, type PeopleAuditEntry } from "@/kv/people/regroup.ts";
import { type Link, type LinkGame, setLink } from "@/kv/links.ts";
import { driverTracksPrefix } from "@/kv/racing/keys.ts";
import type { DriverTrackStats } from "@/kv/racing/drivers.ts";
import { getEtlPlayer } from "@/kv/etl/players.ts";
import { getRoster } from "@/kv/numbers/roster.ts";
import { kvReader } from "@/kv/reader.ts";

/** A member's link waiting for an admin. */
export interface LinkRequest {
  id: string;
  userId: string;
  guildId: string | null;
  game: LinkGame;
  playerId: string;
  displayName?: string;
  /** What the identity holds, for the admin: "3 PBs", "132 rounds", "car #7". */
  holds: string;
  at: string;
}

/** The post in the admin channel (rendered by discord/core/link_announce.ts). */
export interface LinkRequestAnnouncement {
  type: "link_request";
  request: LinkRequest;
}

/**
 * What an identity holds that makes a link worth an admin's look (PBs, rounds played, a car
 * number on the iRacing roster), or null when it holds nothing. A few gets.
 */
export async function identityHoldings(
  kv: Deno.Kv,
  game: LinkGame,
  playerId: string,
  guildId: string | null,
): Promise<string | null> {
  if (game === "acc" || game === "ac") {
    const tracks = await Array.fromAsync(
      kv.list<DriverTrackStats>({ prefix: driverTracksPrefix(playerId) }, { limit: 500 }),
      (e) => e.value,
    );
    const pbs = tracks.filter((t) => t.game === game && t.pbs.all).length;
    return pbs > 0 ? `${pbs} PB${pbs === 1 ? "" : "s"}` : null;
  }
  if (game === "etl") {
    const rounds = (await getEtlPlayer(kvReader(kv), playerId))?.totals.rounds ?? 0;
    return rounds > 0 ? `${rounds} round${rounds === 1 ? "" : "s"}` : null;
  }
  const carried = guildId
    ? (await getRoster(kv, guildId))?.members.find((m) => String(m.custId) === playerId && m.number !== null)
    : undefined;
  return carried ? `car #${carried.number} on the iRacing roster` : null;
}

/** Stores a request and its post in the admin channel, atomically. */
export async function requestLink(
  kv: Deno.Kv,
  req: Omit<LinkRequest, "id" | "at">,
  now: Date,
): Promise<LinkRequest> {
  const request: LinkRequest = {
    ...req,
    id: `${now.getTime()}-${crypto.randomUUID().slice(0, 8)}`,
    at: now.toISOString(),
  };
  const op = kv.atomic().check({ key: linkRequestKey(request.id), versionstamp: null })
    .set(linkRequestKey(request.id), request);
  addAnnouncements(
    op,
    [{ type: "link_request", request } satisfies LinkRequestAnnouncement],
    now,
    request.id,
  );
  if (!(await op.commit()).ok) throw new Error(`Cannot store link request "${request.id}": it exists`);
  return request;
}

/** What an admin's click did. */
export type LinkDecision =
  | { status: "approved"; request: LinkRequest; link: Link }
  | { status: "rejected"; request: LinkRequest }
  | { status: "gone" };

/** Approves (links) or rejects a request, once; the audit log says who did it. */
export async function decideLink(
  kv: Deno.Kv,
  requestId: string,
  d: { approve: boolean; by: string; now: Date },
): Promise<LinkDecision> {
  const entry = await kv.get<LinkRequest>(linkRequestKey(requestId));
  const request = entry.value;
  if (!request) return { status: "gone" };
  // Linked first (it may throw LinkTakenError, leaving the request for another decision).
  const link = d.approve
    ? await setLink(kv, request.userId, request.game, request.playerId, request.displayName, {
      now: d.now,
      verified: true,
    })
    : null;
  const audit: PeopleAuditEntry = {
    id: newAuditId(d.now),
    at: d.now.toISOString(),
    by: d.by,
    action: "link",
    member: request.userId,
    summary: `${d.approve ? "approved" : "rejected"} as ${request.game} "${request.playerId}"`,
    before: [],
    after: [],
  };
  const res = await kv.atomic().check(entry).delete(linkRequestKey(requestId)).set(
    peopleAuditKey(audit.id),
    audit,
  )
    .commit();
  if (!res.ok) return { status: "gone" };
  return link ? { status: "approved", request, link } : { status: "rejected", request };
}

/** Writes an audit entry for an admin's link or unlink of a member. */
export async function auditLink(
  kv: Deno.Kv,
  e: { action: "link" | "unlink"; by: string; member: string; summary: string; now: Date },
): Promise<void> {
  const id = newAuditId(e.now);
  await kv.set(
    peopleAuditKey(id),
    {
      id,
      at: e.now.toISOString(),
      by: e.by,
      action: e.action,
      member: e.member,
      summary: e.summary,
      before: [],
      after: [],
    } satisfies PeopleAuditEntry,
  );
}
