/**
 * The push protocol's signature, agent side (docs/security.md, "The push protocol"). Everything the
 * hub needs before it reads a body is in signed headers: the server, the file name, a timestamp, the
 * body's size and its SHA-256. The hub checks the signature first, then streams at most that many
 * bytes and checks their hash. Any other upload to the hub (content names, event batches) signs the
 * same way: `signedHeaders(secret, { server, file, body })`.
 */

/** The protocol version in the signed text (older agents signed "timestamp\nserver\nfile\nsha256"). */
export const PUSH_VERSION = "podium-push-2";

/** Header names of a signed upload. */
export const HEADERS = {
  server: "x-podium-server",
  file: "x-podium-file",
  timestamp: "x-podium-timestamp",
  size: "x-podium-size",
  sha256: "x-podium-sha256",
  signature: "x-podium-signature",
} as const;

const enc = new TextEncoder();

/** Lower-case hex of bytes. */
export function hex(buf: ArrayBuffer | Uint8Array): string {
  return Array.from(
    buf instanceof Uint8Array ? buf : new Uint8Array(buf),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/** The hex SHA-256 of bytes. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", bytes));
}

/** What is signed: one line per field, the file name decoded, the hash in lower-case hex. */
export function signedText(
  p: { timestamp: number | string; server: string; file: string; size: number; sha256: string },
): string {
  return `${PUSH_VERSION}\n${p.timestamp}\n${p.server}\n${p.file}\n${p.size}\n${p.sha256}`;
}

/** The hex HMAC-SHA256 of `text` under `secret`. */
export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  return hex(await crypto.subtle.sign("HMAC", key, enc.encode(text)));
}

/**
 * The headers of one signed upload of `body` as `file` from `server`, at `timestamp` (Unix
 * seconds; never reuse one for the same server: the hub refuses a replayed signature).
 */
export async function signedHeaders(
  secret: string,
  p: { server: string; file: string; body: Uint8Array<ArrayBuffer>; timestamp: number },
): Promise<Record<string, string>> {
  const sha256 = await sha256Hex(p.body);
  const fields = { timestamp: p.timestamp, server: p.server, file: p.file, size: p.body.length, sha256 };
  return {
    "content-type": "application/octet-stream",
    [HEADERS.server]: p.server,
    [HEADERS.file]: encodeURIComponent(p.file),
    [HEADERS.timestamp]: String(p.timestamp),
    [HEADERS.size]: String(p.body.length),
    [HEADERS.sha256]: sha256,
    [HEADERS.signature]: await hmacHex(secret, signedText(fields)),
  };
}
