/** Keys of getting files in, under the prefixes kv/keys.ts gives transport. */

/** A push signature already accepted: the replay guard (written with an expiry). */
export function pushSignatureKey(signature: string): ["push_sig", string] {
  return ["push_sig", signature];
}

/** What an SSH source's folder looked like when last polled (chunked listing of seen files). */
export function sshSeenKey(sourceId: string, chunk: number): ["ssh_seen", string, number] {
  return ["ssh_seen", sourceId, chunk];
}

/** Prefix of one SSH source's seen-file chunks. */
export function sshSeenPrefix(sourceId: string): ["ssh_seen", string] {
  return ["ssh_seen", sourceId];
}

/** The lease an SSH poll holds on a source while it works (written with an expiry). */
export function sshLeaseKey(sourceId: string): ["ssh_lease", string] {
  return ["ssh_lease", sourceId];
}
