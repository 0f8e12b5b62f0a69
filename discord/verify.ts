/**
 * Discord's request signatures: Ed25519 over `X-Signature-Timestamp` + the raw body, checked with
 * WebCrypto before anything parses the body. The public key is imported once per verifier.
 */

/** How far a request's timestamp may be from our clock (Discord names no limit; this is ours). */
export const MAX_SKEW_SECONDS = 5 * 60;

/** Why a request was refused; null when it is genuine. */
export type VerifyFailure = "missing signature" | "malformed signature" | "stale timestamp" | "bad signature";

/** Checks one request. */
export type Verifier = (
  req: { signature: string | null; timestamp: string | null; body: Uint8Array },
  now: Date,
) => Promise<VerifyFailure | null>;

/** Hex text to bytes; null when it is not even-length hex. */
export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Bytes to lower-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Imports an application's public key (64 hex characters from the Developer Portal). */
export async function importPublicKey(publicKeyHex: string): Promise<CryptoKey> {
  const raw = hexToBytes(publicKeyHex);
  if (!raw || raw.length !== 32) {
    throw new Error(`Invalid Discord public key: expected 64 hex characters, got ${publicKeyHex.length}`);
  }
  return await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
}

/** A verifier for one public key; the key is imported once, on creation. */
export function createVerifier(publicKeyHex: string): Verifier {
  const key = importPublicKey(publicKeyHex);
  // An unhandled rejection here would kill the process before the first request shows the error.
  key.catch(() => {});
  const encoder = new TextEncoder();
  return async ({ signature, timestamp, body }, now) => {
    if (!signature || !timestamp) return "missing signature";
    const sig = hexToBytes(signature);
    if (!sig || sig.length !== 64) return "malformed signature";
    if (!/^\d{1,12}$/.test(timestamp)) return "stale timestamp";
    if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return "stale timestamp";
    const ts = encoder.encode(timestamp);
    const message = new Uint8Array(ts.length + body.length);
    message.set(ts, 0);
    message.set(body, ts.length);
    // `verify` is a promise: awaited, or every request would pass (the classic bug).
    const ok = await crypto.subtle.verify("Ed25519", await key, sig, message);
    return ok ? null : "bad signature";
  };
}
