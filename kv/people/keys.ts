/** Keys of people (kv/people/): persons, which person owns an identity, pending regroupings, the audit log. */

/** What kind of game identity: an ACC/AC driver id (boards are shared), an ET:Legacy GUID, an iRacing customer id. */
export type IdentityKind = "driver" | "etl" | "iracing";

/** A person: their name and identities. */
export function personKey(personId: string): ["person", string] {
  return ["person", personId];
}

/** Prefix of every person. */
export function personsPrefix(): ["person"] {
  return ["person"];
}

/** Which person owns a game identity (absent: the identity is a person of its own). */
export function personOfKey(kind: IdentityKind, id: string): ["person_of", IdentityKind, string] {
  return ["person_of", kind, id];
}

/** Every identity of one kind that belongs to a person (ET:Legacy GUIDs for the ETL reads). */
export function personOfPrefix(kind: IdentityKind): ["person_of", IdentityKind] {
  return ["person_of", kind];
}

/** A regrouping whose boards are not all rewritten yet (kv/people/regroup.ts). */
export function peopleOpKey(opId: string): ["people_op", string] {
  return ["people_op", opId];
}

/** Prefix of the regroupings still under way. */
export function peopleOpsPrefix(): ["people_op"] {
  return ["people_op"];
}

/** One audit entry: merges, splits, undos, links and unlinks by admins. Ids sort by time. */
export function peopleAuditKey(id: string): ["people_audit", string] {
  return ["people_audit", id];
}

/** Prefix of the audit log. */
export function peopleAuditPrefix(): ["people_audit"] {
  return ["people_audit"];
}

/** A member's link waiting for an admin's approval. */
export function linkRequestKey(id: string): ["link_request", string] {
  return ["link_request", id];
}
