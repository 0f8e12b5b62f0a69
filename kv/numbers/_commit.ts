/**
 * One door for this domain's commits. It becomes a re-export of `commitWithRetry` (kv/retry.ts)
 * when that lands on main; until then it commits once.
 */

/** Commits `op`; `what` names the store's write in errors. */
export async function commit(
  op: () => Promise<Deno.KvCommitResult | Deno.KvCommitError>,
  _what: string,
): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
  return await op();
}
