import { createHash } from "node:crypto";

/** A file's identity: the SHA-256 of its raw bytes, lower-case hex. Synchronous: no thread hop per file. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
