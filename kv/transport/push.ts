/** The push endpoint's replay guard: each accepted signature is remembered until it could no longer be fresh. */
import { pushSignatureKey } from "@/kv/transport/keys.ts";
import { MAX_SKEW_MS } from "@/ingest/push_auth.ts";
import { commitWithRetry } from "@/kv/retry.ts";

/**
 * Records a signature as used; false when it already was (a replay). Kept twice the allowed skew:
 * a timestamp can be up to 5 minutes ahead of the hub's clock and still fresh 5 minutes later.
 */
export async function rememberSignature(kv: Deno.Kv, signature: string): Promise<boolean> {
  const key = pushSignatureKey(signature);
  const res = await commitWithRetry(
    () =>
      kv.atomic()
        .check({ key, versionstamp: null })
        .set(key, true, { expireIn: 2 * MAX_SKEW_MS + 60_000 })
        .commit(),
    "a push signature",
  );
  return res.ok;
}
