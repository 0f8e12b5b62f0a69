/**
 * People: one human, several game identities (ACC/AC driver ids, ET:Legacy GUIDs, iRacing customer
 * ids). The small API other domains use: `personOf(kv, identity)` and `displayName(kv, identity)`
 * (one or two gets), `boardIdOf` for the id ACC/AC boards count a driver under. Merges and splits
 * are in kv/people/merge.ts; see docs/identities.md.
 */
import { type IdentityKind, personKey, personOfKey, personsPrefix } from "@/kv/people/keys.ts";
import type { Person, PersonOf } from "@/kv/people/types.ts";

export type { Person, PersonOf } from "@/kv/people/types.ts";

/** One game identity. */
export interface Identity {
  kind: IdentityKind;
  id: string;
}

/** A fresh person id: "p-" and 8 hex digits. */
export function newPersonId(): string {
  return `p-${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;
}

/** True for a person id (as on boards and driver pages). */
export function isPersonId(id: string): boolean {
  return /^p-[0-9a-f]{8}$/.test(id);
}

/** A person's identities, drivers first. */
export function identitiesOf(p: Pick<Person, "drivers" | "etl" | "iracing">): Identity[] {
  return [
    ...p.drivers.map((id) => ({ kind: "driver" as const, id })),
    ...p.etl.map((id) => ({ kind: "etl" as const, id })),
    ...p.iracing.map((id) => ({ kind: "iracing" as const, id })),
  ];
}

/** An identity as typed: "etl:<GUID>", "iracing:<customer id>", otherwise an ACC/AC driver id. */
export function parseIdentity(text: string): Identity | null {
  const t = text.trim();
  if (t === "") return null;
  const m = /^(etl|iracing):(.+)$/i.exec(t);
  if (!m) return { kind: "driver", id: t };
  const kind = m[1]!.toLowerCase() as IdentityKind;
  const id = m[2]!.trim();
  if (kind === "etl") return /^[0-9A-Fa-f]{8,32}$/.test(id) ? { kind, id: id.toUpperCase() } : null;
  return /^\d{1,12}$/.test(id) ? { kind, id } : null;
}

/** The text form parseIdentity reads. */
export function identityText(i: Identity): string {
  return i.kind === "driver" ? i.id : `${i.kind}:${i.id}`;
}

/** A person by id, or null. */
export async function getPerson(kv: Deno.Kv, id: string): Promise<Person | null> {
  return (await kv.get<Person>(personKey(id))).value;
}

/** The person owning an identity, or null when it is a person of its own. Two gets at most. */
export async function personOf(kv: Deno.Kv, identity: Identity): Promise<Person | null> {
  const of = (await kv.get<PersonOf>(personOfKey(identity.kind, identity.id))).value;
  return of?.personId ? await getPerson(kv, of.personId) : null;
}

/** The name to show for an identity: its person's, else `fallback` (the name in the file). */
export async function displayName(kv: Deno.Kv, identity: Identity, fallback: string): Promise<string> {
  return (await personOf(kv, identity))?.name ?? fallback;
}

/**
 * The id ACC/AC boards, PBs and driver pages count a driver under: their person's id when the
 * person has two or more drivers, else the driver's own. One get.
 */
export async function boardIdOf(kv: Deno.Kv, driverId: string): Promise<string> {
  return (await kv.get<PersonOf>(personOfKey("driver", driverId))).value?.boardId ?? driverId;
}

/** Every person, by id (bounded: people are made by admins). */
export async function listPersons(kv: Deno.Kv, limit = 1000): Promise<Person[]> {
  return await Array.fromAsync(kv.list<Person>({ prefix: personsPrefix() }, { limit }), (e) => e.value);
}
