/** Keys of getting files in, under the prefixes kv/keys.ts gives transport. */

/** A push signature already accepted: the replay guard (written with an expiry). */
export function pushSignatureKey(signature: string): ["push_sig", string] {
  return ["push_sig", signature];
}

/**
 * One bucket of an SSH source's seen files (name, size, mtime), the files spread over buckets by
 * a hash of their name: a poll reads a source's few buckets in one range read instead of one key
 * per file, and a new file rewrites only its bucket.
 */
export function sshSeenKey(sourceId: string, bucket: number): ["ssh_seen", string, number] {
  return ["ssh_seen", sourceId, bucket];
}

/** Prefix of one SSH source's seen-file chunks. */
export function sshSeenPrefix(sourceId: string): ["ssh_seen", string] {
  return ["ssh_seen", sourceId];
}

/** The lease an SSH poll holds on a source while it works (written with an expiry). */
export function sshLeaseKey(sourceId: string): ["ssh_lease", string] {
  return ["ssh_lease", sourceId];
}
