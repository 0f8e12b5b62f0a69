/**
 * The push protocol's authentication (docs/security.md, "The push protocol"). A push names its
 * server, file, timestamp, body size and body SHA-256 in headers and signs all five with the
 * server's secret, so the hub authenticates a push before it reads a byte of its body:
 *
 *     HMAC-SHA256(secret, `podium-push-2\n${timestamp}\n${serverId}\n${fileName}\n${size}\n${sha256}`)  (hex)
 *
 * The hub reads server ID's secret from `PODIUM_SECRET_<ID>` (upper-cased, anything but A-Z and
 * 0-9 turned into `_`) unless the server's config entry names another variable (`secretEnv`).
 * Ids are used exactly: an id that maps to a configured server's variable without being that
 * server (`acc_eu` for `acc-eu`) is unknown, and two configured ids sharing one variable are a
 * start-up error (config.ts).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { type ConfigFile, pushSecretVariable } from "@/config.ts";

/** Header names of a push. */
export const PUSH_HEADERS = {
  server: "x-podium-server",
  file: "x-podium-file",
  timestamp: "x-podium-timestamp",
  size: "x-podium-size",
  sha256: "x-podium-sha256",
  signature: "x-podium-signature",
} as const;

/** The protocol version at the head of the signed text. */
export const PUSH_VERSION = "podium-push-2";

/** How far a push's timestamp may be from the hub's clock. */
export const MAX_SKEW_MS = 5 * 60 * 1000;

/** A file name that is only a name: no folders, no control characters, not "." or "..". */
export const PushFileName = z.string()
  .min(1, "empty")
  .max(255, "longer than 255 characters")
  .refine((n) => !/[\/\\]/.test(n), "must be a plain file name, without folders")
  .refine(
    (n) => ![...n].some((ch) => ch.charCodeAt(0) < 0x20 || ch === "\x7f"),
    "contains control characters",
  )
  .refine((n) => n !== "." && n !== "..", "must be a file name");

/** The headers of a push, validated (the file name arrives percent-encoded). */
export const PushHeaders = z.object({
  server: z.string({ message: "missing" }).regex(
    /^[a-z0-9][a-z0-9_-]{0,39}$/,
    "a server id: lower-case letters, digits, - and _ (max 40)",
  ),
  file: z.string({ message: "missing" }).transform((raw, ctx) => {
    try {
      return decodeURIComponent(raw);
    } catch {
      ctx.addIssue({ code: "custom", message: "not valid percent-encoding" });
      return z.NEVER;
    }
  }).pipe(PushFileName),
  timestamp: z.string({ message: "missing" }).regex(/^\d{1,12}$/, "Unix seconds"),
  size: z.string({ message: "missing" }).regex(/^\d{1,12}$/, "the body's size in bytes")
    .transform(Number),
  sha256: z.string({ message: "missing" }).regex(/^[0-9a-f]{64}$/i, "64 hex characters")
    .transform((s) => s.toLowerCase()),
  signature: z.string({ message: "missing" }).regex(/^[0-9a-f]{64}$/i, "64 hex characters")
    .transform((s) => s.toLowerCase()),
});
export type PushHeaders = z.infer<typeof PushHeaders>;

/**
 * The environment variable holding a server's push secret; null for an id that is not configured
 * but would read a configured server's variable (`acc_eu` beside `acc-eu`): ids are exact.
 */
export function secretVariable(config: Pick<ConfigFile, "servers">, serverId: string): string | null {
  const own = config.servers.find((s) => s.id === serverId);
  if (own) return pushSecretVariable(own);
  const variable = pushSecretVariable({ id: serverId });
  return config.servers.some((s) => pushSecretVariable(s) === variable) ? null : variable;
}

/** What a push signs. */
export interface SignedFields {
  timestamp: string;
  serverId: string;
  fileName: string;
  size: number;
  sha256: string;
}

/** The text a push signs. */
export function signedText(p: SignedFields): string {
  return `${PUSH_VERSION}\n${p.timestamp}\n${p.serverId}\n${p.fileName}\n${p.size}\n${p.sha256}`;
}

/** The hex HMAC-SHA256 of a push. */
export function signPush(secret: string, push: SignedFields): string {
  return createHmac("sha256", secret).update(signedText(push)).digest("hex");
}

/** Compares a claimed signature with the right one in constant time. */
export function signatureMatches(expectedHex: string, claimedHex: string): boolean {
  const a = Buffer.from(expectedHex, "hex");
  const b = Buffer.from(claimedHex, "hex");
  return a.length === b.length && a.length === 32 && timingSafeEqual(a, b);
}

/** Whether a push's timestamp is within the allowed skew of `now`. */
export function isFresh(timestamp: string, now: Date): boolean {
  return Math.abs(now.getTime() - Number(timestamp) * 1000) <= MAX_SKEW_MS;
}
