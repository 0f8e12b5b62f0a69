/**
 * What admins do to people (docs/identities.md): merge identities into one person, split one off,
 * undo either, and the `aliases` of the config file applied at start. Each is one regrouping
 * (kv/people/regroup.ts) with its audit entry.
 */
import type { DriverProfile } from "@/kv/racing/drivers.ts";
import { driverKey } from "@/kv/racing/keys.ts";
import { getEtlPlayer } from "@/kv/etl/players.ts";
import { kvReader } from "@/kv/reader.ts";
import { peopleAuditKey, peopleAuditPrefix, personOfKey } from "@/kv/people/keys.ts";
import {
  getPerson,
  identitiesOf,
  type Identity,
  identityText,
  newPersonId,
  type Person,
  type PersonOf,
} from "@/kv/people/people.ts";
import { finishPeopleOps, type PeopleAuditEntry, regroup, type RegroupResult } from "@/kv/people/regroup.ts";

/** A merge, split or undo that cannot be done, in words an admin can act on. */
export class PeopleError extends Error {}

/** Who does it, and when. */
export interface PeopleMeta {
  by: string;
  now: Date;
  /** Writes per batch (tests and the benchmark make batches small). */
  maxWrites?: number;
  /** Stop after the first batch, as a process that stopped would (tests). */
  headOnly?: boolean;
}

function batching(meta: PeopleMeta): { maxWrites?: number; headOnly?: boolean } {
  return {
    ...(meta.maxWrites ? { maxWrites: meta.maxWrites } : {}),
    ...(meta.headOnly ? { headOnly: true } : {}),
  };
}

const sameIdentity = (a: Identity, b: Identity) => a.kind === b.kind && a.id === b.id;

/** The name an identity goes by in its game's files (its id when none is stored). */
export async function identityName(kv: Deno.Kv, i: Identity): Promise<string> {
  if (i.kind === "driver") return (await kv.get<DriverProfile>(driverKey(i.id))).value?.name ?? i.id;
  if (i.kind === "etl") return (await getEtlPlayer(kvReader(kv), i.id))?.name ?? i.id;
  return i.id;
}

/** The identity's person as stored, or a person of its own (not stored, no id yet). */
async function holderOf(kv: Deno.Kv, i: Identity): Promise<Person | null> {
  const of = (await kv.get<PersonOf>(personOfKey(i.kind, i.id))).value;
  return of?.personId ? await getPerson(kv, of.personId) : null;
}

function withIdentity(p: Person, i: Identity): Person {
  if (identitiesOf(p).some((x) => sameIdentity(x, i))) return p;
  const key = i.kind === "driver" ? "drivers" : i.kind;
  return { ...p, [key]: [...p[key], i.id] };
}

/**
 * Makes `identities` one person named `name` (default: the first identity's person's name, else
 * `fallbackName`). Their people are merged whole; the first one's id is kept.
 */
export async function mergeIdentities(
  kv: Deno.Kv,
  req: { identities: Identity[]; name?: string; fallbackName?: string; action?: "merge" | "alias" },
  meta: PeopleMeta,
): Promise<{ person: Person; result: RegroupResult | null }> {
  if (req.identities.length === 0) throw new PeopleError("Name at least one identity");
  const before: Person[] = [];
  const lone: Identity[] = [];
  for (const i of req.identities) {
    const p = await holderOf(kv, i);
    if (p) {
      if (!before.some((b) => b.id === p.id)) before.push(p);
    } else if (!lone.some((x) => sameIdentity(x, i))) lone.push(i);
  }
  const now = meta.now.toISOString();
  const fallbackName = req.fallbackName ?? await identityName(kv, req.identities[0]!);
  const first = before.find((p) => identitiesOf(p).some((x) => sameIdentity(x, req.identities[0]!)));
  let person: Person = {
    id: first?.id ?? before[0]?.id ?? newPersonId(),
    name: req.name?.trim() || first?.name || before[0]?.name || fallbackName ||
      identityText(req.identities[0]!),
    drivers: [],
    etl: [],
    iracing: [],
    createdAt: first?.createdAt ?? before[0]?.createdAt ?? now,
    updatedAt: now,
  };
  for (const p of before) for (const i of identitiesOf(p)) person = withIdentity(person, i);
  for (const i of lone) person = withIdentity(person, i);
  if (before.length === 1 && lone.length === 0 && before[0]!.name === person.name) {
    return { person: before[0]!, result: null };
  }
  if (identitiesOf(person).length < 2) {
    throw new PeopleError("A person needs two identities or more: name another");
  }
  const summary = `${person.name}: ${identitiesOf(person).map(identityText).join(", ")}`;
  const result = await regroup(kv, { before, after: [person] }, {
    action: req.action ?? "merge",
    summary,
    by: meta.by,
    now: meta.now,
    ...batching(meta),
  });
  return { person, result };
}

/** Takes one identity out of its person (the person keeps the rest, or ends when one is left). */
export async function splitIdentity(
  kv: Deno.Kv,
  identity: Identity,
  meta: PeopleMeta,
): Promise<{ person: Person; result: RegroupResult }> {
  const p = await holderOf(kv, identity);
  if (!p) throw new PeopleError(`"${identityText(identity)}" belongs to no merged person`);
  const key = identity.kind === "driver" ? "drivers" : identity.kind;
  const rest: Person = {
    ...p,
    [key]: p[key].filter((x) => x !== identity.id),
    updatedAt: meta.now.toISOString(),
  };
  const result = await regroup(kv, { before: [p], after: [rest] }, {
    action: "split",
    summary: `${identityText(identity)} out of ${p.name}`,
    by: meta.by,
    now: meta.now,
    ...batching(meta),
  });
  return { person: p, result };
}

/** The newest audit entries first. */
export async function listPeopleAudit(kv: Deno.Kv, limit = 20): Promise<PeopleAuditEntry[]> {
  return await Array.fromAsync(
    kv.list<PeopleAuditEntry>({ prefix: peopleAuditPrefix() }, { limit, reverse: true }),
    (e) => e.value,
  );
}

/**
 * Reverses an audit entry's regrouping (default: the newest merge, split or undo), provided the
 * people it made are still as it left them.
 */
export async function undoPeopleChange(
  kv: Deno.Kv,
  auditId: string | null,
  meta: PeopleMeta,
): Promise<{ entry: PeopleAuditEntry; result: RegroupResult }> {
  const entry = auditId
    ? (await kv.get<PeopleAuditEntry>(peopleAuditKey(auditId))).value
    : (await listPeopleAudit(kv, 50)).find((e) => ["merge", "split", "undo", "alias"].includes(e.action)) ??
      null;
  if (!entry) {
    throw new PeopleError(auditId ? `No people change "${auditId}" in the audit log` : "Nothing to undo");
  }
  const current: Person[] = [];
  for (const p of entry.after) {
    const cur = await getPerson(kv, p.id);
    if (
      !cur ||
      identitiesOf(cur).map(identityText).sort().join() !== identitiesOf(p).map(identityText).sort().join()
    ) {
      throw new PeopleError(`"${p.name}" changed after that; undo the later changes first`);
    }
    current.push(cur);
  }
  for (const p of entry.before) {
    for (const i of identitiesOf(p)) {
      const holder = await holderOf(kv, i);
      if (holder && !current.some((c) => c.id === holder.id)) {
        throw new PeopleError(`"${identityText(i)}" is in "${holder.name}" now; split it off first`);
      }
    }
  }
  const now = meta.now.toISOString();
  const result = await regroup(kv, {
    before: current,
    after: entry.before.map((p) => ({ ...p, updatedAt: now })),
  }, {
    action: "undo",
    summary: `undo of ${entry.action} (${entry.summary})`,
    by: meta.by,
    now: meta.now,
    undoes: entry.id,
    ...batching(meta),
  });
  return { entry, result };
}

/** One alias of the config file: a name and the identities it owns. */
export interface Alias {
  name: string;
  drivers?: string[];
  etl?: string[];
  iracing?: (string | number)[];
}

/**
 * Applies the config file's aliases: each becomes one person with that name (nothing is written
 * for an alias already in place, so this runs at every start). Returns how many changed.
 */
export async function applyAliases(kv: Deno.Kv, aliases: readonly Alias[], now: Date): Promise<number> {
  let changed = 0;
  for (const a of aliases) {
    const identities: Identity[] = identitiesOf({
      drivers: a.drivers ?? [],
      etl: (a.etl ?? []).map((g) => g.toUpperCase()),
      iracing: (a.iracing ?? []).map(String),
    });
    const { result } = await mergeIdentities(kv, { identities, name: a.name, action: "alias" }, {
      by: "config",
      now,
    });
    if (result) changed++;
  }
  return changed;
}

/** At start: finishes a regrouping a stopped process left half done, then applies the aliases. */
export async function preparePeople(kv: Deno.Kv, aliases: readonly Alias[], now: Date): Promise<string> {
  const resumed = await finishPeopleOps(kv);
  const changed = await applyAliases(kv, aliases, now);
  return `People: ${aliases.length} alias(es) in the config, ${changed} applied now; ${resumed} regrouping(s) finished`;
}
