/**
 * Regrouping identities into people (a merge, a split, an undo): one head commit writes the
 * people, who owns which identity, the name index, the driver pages and the audit entry, with as
 * many tracks' boards as fit; the other tracks follow in bounded atomic batches (at most
 * `maxWrites` writes each). Until the last batch lands, `person_of` names the operation: an import
 * that meets a track not yet rewritten rewrites it itself, in its own commit, so nobody reads a
 * board that counts a person twice and no import waits. Nothing is announced.
 */
import { markChanged } from "@/kv/changes.ts";
import {
  type IdentityKind,
  peopleAuditKey,
  peopleOpKey,
  peopleOpsPrefix,
  personKey,
  personOfKey,
} from "@/kv/people/keys.ts";
import { identitiesOf, type Identity } from "@/kv/people/people.ts";
import type { BoardSubject, PeopleOp, Person, PersonOf, TrackRef } from "@/kv/people/types.ts";
import { isPersonSubject, sameTrack } from "@/kv/people/types.ts";
import type { DriverProfile } from "@/kv/racing/drivers.ts";
import { driverKey, driverShardKey, driverTracksPrefix } from "@/kv/racing/keys.ts";
import { indexDriver, unindexDriver, WEEK_MS } from "@/kv/racing/names.ts";
import { regroupTrack } from "@/kv/racing/regroup_boards.ts";
import type { RacingGame, SessionKind } from "@/games/racing/types.ts";
import { ConflictError, KvTxn } from "@/kv/txn.ts";

/** One audit entry: who regrouped what, with the people before and after (an undo swaps them). */
export interface PeopleAuditEntry {
  id: string;
  at: string;
  by: string;
  action: "merge" | "split" | "undo" | "alias" | "link" | "unlink" | "name";
  summary: string;
  /**
   * The Discord member a link, unlink or link decision was about (shown as a mention beside the
   * summary). Entries written before this field carry `<@id>` inside the summary instead.
   */
  member?: string;
  before: Person[];
  after: Person[];
  /** The entry an undo reversed. */
  undoes?: string;
}

let auditSeq = 0;

/** An audit entry id: sorts by time, then by order within this process. */
export function newAuditId(now: Date): string {
  auditSeq = (auditSeq + 1) % 1_000_000;
  const rand = crypto.randomUUID().slice(0, 4);
  return `${now.getTime().toString().padStart(15, "0")}-${String(auditSeq).padStart(6, "0")}-${rand}`;
}

/** The people changed since the caller read them: read again and retry. */
export class PeopleChangedError extends Error {}

/** What a regrouping did. */
export interface RegroupResult {
  auditId: string;
  tracks: number;
  batches: number;
}

/** Board subjects of the affected drivers under a grouping. */
function subjectsOf(persons: Person[], drivers: Set<string>): BoardSubject[] {
  const out: BoardSubject[] = [];
  const covered = new Set<string>();
  for (const p of persons) {
    if (p.drivers.length < 2) continue;
    out.push({ id: p.id, drivers: [...p.drivers].sort(), name: p.name });
    for (const d of p.drivers) covered.add(d);
  }
  for (const d of [...drivers].sort()) if (!covered.has(d)) out.push({ id: d, drivers: [d] });
  return out;
}

const subjectSig = (s: BoardSubject) => JSON.stringify([s.id, s.drivers, s.name ?? null]);

/** A person with fewer than two identities is no person: their identity stands alone. */
function kept(p: Person): boolean {
  return identitiesOf(p).length >= 2;
}

async function tracksOf(kv: Deno.Kv, drivers: string[]): Promise<TrackRef[]> {
  const out: TrackRef[] = [];
  for (const d of drivers) {
    for await (const e of kv.list({ prefix: driverTracksPrefix(d) })) {
      const t = { game: e.key[2] as RacingGame, track: e.key[3] as string, kind: e.key[4] as SessionKind };
      if (!out.some((o) => sameTrack(o, t))) out.push(t);
    }
  }
  return out;
}

/** Adds as many of `tracks` as fit under `maxWrites` to `root`; returns those left. */
async function packTracks(
  root: KvTxn,
  op: Pick<PeopleOp, "before" | "after">,
  tracks: TrackRef[],
  maxWrites: number,
): Promise<TrackRef[]> {
  let i = 0;
  for (; i < tracks.length; i++) {
    const child = root.child();
    await regroupTrack(child, op, tracks[i]!);
    const fits = root.mutations + child.mutations <= maxWrites && root.checks + child.checks <= 90 &&
      root.fitsWith(child);
    if (!fits && i > 0) break;
    root.merge(child);
  }
  return tracks.slice(i);
}

function personOfValue(p: Person | undefined, kind: IdentityKind, id: string, op?: string): PersonOf | null {
  if (p) {
    const boardId = kind === "driver" && p.drivers.length < 2 ? id : p.id;
    return op ? { personId: p.id, boardId, op } : { personId: p.id, boardId };
  }
  return kind === "driver" && op ? { personId: null, boardId: id, op } : null;
}

/**
 * Regroups: `before` are the people as the caller read them (their `updatedAt` is checked),
 * `after` the people they become (same or new ids; a person left with one identity is dropped).
 * Throws PeopleChangedError when the people changed meanwhile.
 */
export async function regroup(
  kv: Deno.Kv,
  change: { before: Person[]; after: Person[] },
  meta: {
    /** Stop after the head commit, as a process that stopped would (tests). */
    headOnly?: boolean;
    action: PeopleAuditEntry["action"];
    summary: string;
    by: string;
    now: Date;
    maxWrites?: number;
    undoes?: string;
  },
): Promise<RegroupResult> {
  await finishPeopleOps(kv);
  const maxWrites = meta.maxWrites ?? 800;
  const after = change.after.filter(kept);
  const drivers = new Set([...change.before, ...change.after].flatMap((p) => p.drivers));
  const identities: Identity[] = [];
  for (const p of [...change.before, ...change.after]) {
    for (const i of identitiesOf(p)) {
      if (!identities.some((x) => x.kind === i.kind && x.id === i.id)) identities.push(i);
    }
  }
  const sb = subjectsOf(change.before, drivers), sa = subjectsOf(after, drivers);
  const same = new Set(sb.map(subjectSig).filter((s) => sa.some((a) => subjectSig(a) === s)));
  const op = {
    before: sb.filter((s) => !same.has(subjectSig(s))),
    after: sa.filter((s) => !same.has(subjectSig(s))),
  };
  const changedDrivers = [...new Set([...op.before, ...op.after].flatMap((s) => s.drivers))];
  const tracks = await tracksOf(kv, changedDrivers);
  const opId = newAuditId(meta.now);
  const now = meta.now.toISOString();

  const root = new KvTxn(kv);
  // Guards first: imports of these drivers check the same shard keys, and rewriting them makes
  // an import planned before this commit plan again, with the new owners.
  const subjectIds = [...new Set([...op.before, ...op.after].map((s) => s.id).concat([...drivers]))];
  const shardKeys = [
    ...new Map(subjectIds.map((id) => [String(driverShardKey(id)[1]), driverShardKey(id)])).values(),
  ];
  for (const k of shardKeys) {
    await root.get(k, { check: true });
    root.set(k, true);
  }
  for (const p of change.before) {
    const cur = await root.get<Person>(personKey(p.id), { check: true });
    if (!cur || cur.updatedAt !== p.updatedAt) {
      throw new PeopleChangedError(`Person "${p.name}" changed meanwhile`);
    }
  }
  const beforeIds = new Set(change.before.map((p) => p.id));
  for (const i of identities) {
    const of = await root.get<PersonOf>(personOfKey(i.kind, i.id), { check: true });
    if (of?.personId && !beforeIds.has(of.personId)) {
      throw new PeopleChangedError(`"${i.id}" belongs to another person now`);
    }
  }
  const profiles = new Map<string, DriverProfile | null>();
  for (const id of subjectIds) profiles.set(id, await root.get<DriverProfile>(driverKey(id)));
  const left = await packTracks(root, op, tracks, maxWrites);
  const pending = left.length > 0 ? opId : undefined;

  for (const p of change.before) if (!after.some((a) => a.id === p.id)) root.delete(personKey(p.id));
  for (const p of after) root.set(personKey(p.id), { ...p, updatedAt: now });
  for (const i of identities) {
    const p = after.find((a) => identitiesOf(a).some((x) => x.kind === i.kind && x.id === i.id));
    const v = personOfValue(p, i.kind, i.id, pending);
    if (v) root.set(personOfKey(i.kind, i.id), v);
    else root.delete(personOfKey(i.kind, i.id));
  }
  writeProfiles(root, op, profiles, meta.now);
  markChanged(root, meta.now);
  const auditId = opId;
  root.set(
    peopleAuditKey(auditId),
    {
      id: auditId,
      at: now,
      by: meta.by,
      action: meta.action,
      summary: meta.summary,
      before: change.before,
      after: after.map((p) => ({ ...p, updatedAt: now })),
      ...(meta.undoes ? { undoes: meta.undoes } : {}),
    } satisfies PeopleAuditEntry,
  );
  if (pending) {
    root.set(
      peopleOpKey(opId),
      { id: opId, ...op, remaining: left, drivers: [...drivers] } satisfies PeopleOp,
    );
  }
  await root.commit();
  const batches = 1 + (pending && !meta.headOnly ? await runOp(kv, opId, maxWrites) : 0);
  return { auditId, tracks: tracks.length, batches };
}

/** Driver profiles and the name index: a person is found by their name, their merged drivers are not. */
function writeProfiles(
  txn: KvTxn,
  op: Pick<PeopleOp, "before" | "after">,
  profiles: Map<string, DriverProfile | null>,
  now: Date,
): void {
  const merged = new Set(op.after.filter(isPersonSubject).flatMap((s) => s.drivers));
  const wasMerged = new Set(op.before.filter(isPersonSubject).flatMap((s) => s.drivers));
  const visible = (p: DriverProfile) => ({
    name: p.name,
    seenWeek: p.seenWeek ?? Math.floor(p.nameAtMs / WEEK_MS),
  });
  for (const s of op.before) {
    if (!isPersonSubject(s) || op.after.some((a) => a.id === s.id)) continue;
    const old = profiles.get(s.id);
    if (old) unindexDriver(txn, s.id, visible(old));
    txn.delete(driverKey(s.id));
  }
  for (const s of op.after) {
    if (!isPersonSubject(s)) continue;
    const parts = s.drivers.map((d) => profiles.get(d)).filter((p) => !!p);
    const games = [...new Set(parts.flatMap((p) => p.games))].sort();
    const seenWeek = Math.max(0, ...parts.map((p) => p.seenWeek ?? 0));
    const old = profiles.get(s.id);
    const profile: DriverProfile = {
      id: s.id,
      name: s.name ?? s.id,
      nameAtMs: now.getTime(),
      games,
      seenWeek,
    };
    txn.set(driverKey(s.id), profile);
    indexDriver(txn, s.id, old ? visible(old) : null, { name: profile.name, games, seenWeek });
  }
  for (const d of new Set([...merged, ...wasMerged])) {
    const p = profiles.get(d);
    if (!p || merged.has(d) === wasMerged.has(d)) continue;
    if (merged.has(d)) unindexDriver(txn, d, visible(p));
    else indexDriver(txn, d, null, { name: p.name, games: p.games, seenWeek: visible(p).seenWeek });
  }
}

/** Runs an operation's remaining batches; returns how many commits it took. */
async function runOp(kv: Deno.Kv, opId: string, maxWrites = 800): Promise<number> {
  let batches = 0;
  for (let attempt = 0; attempt < 200; attempt++) {
    const txn = new KvTxn(kv);
    const op = await txn.get<PeopleOp>(peopleOpKey(opId), { check: true });
    if (!op) return batches;
    const left = await packTracks(txn, op, op.remaining, maxWrites);
    if (left.length > 0) txn.set(peopleOpKey(opId), { ...op, remaining: left });
    else {
      txn.delete(peopleOpKey(opId));
      for (const d of op.drivers) {
        const of = await txn.get<PersonOf>(personOfKey("driver", d), { check: true });
        if (!of || of.op !== opId) continue;
        if (of.personId) txn.set(personOfKey("driver", d), { personId: of.personId, boardId: of.boardId });
        else txn.delete(personOfKey("driver", d));
      }
    }
    markChanged(txn, new Date());
    try {
      await txn.commit();
      batches++;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  throw new Error(
    `Cannot finish regrouping "${opId}": imports kept changing the same boards; it resumes on the next one`,
  );
}

/** Finishes regroupings a stopped process left half done (called before every regrouping and at start). */
export async function finishPeopleOps(kv: Deno.Kv): Promise<number> {
  let n = 0;
  for await (const e of kv.list<PeopleOp>({ prefix: peopleOpsPrefix() })) {
    await runOp(kv, e.value.id);
    n++;
  }
  return n;
}
