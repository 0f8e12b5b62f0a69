/** The push endpoint's replay guard: each accepted signature is remembered until it could no longer be fresh. */
import { pushSignatureKey } from "@/kv/transport/keys.ts";
import { commitWithRetry } from "@/kv/retry.ts";

/**
 * Records a signature as used; false when it already was (a replay). Kept twice the allowed skew
 * (`maxSkewMs`, the push protocol's): a timestamp can be that far ahead of the hub's clock and
 * still fresh as long again later.
 */
export async function rememberSignature(
  kv: Deno.Kv,
  signature: string,
  maxSkewMs: number,
): Promise<boolean> {
  const key = pushSignatureKey(signature);
  const res = await commitWithRetry(
    () =>
      kv.atomic()
        .check({ key, versionstamp: null })
        .set(key, true, { expireIn: 2 * maxSkewMs + 60_000 })
        .commit(),
    "a push signature",
  );
  return res.ok;
}
