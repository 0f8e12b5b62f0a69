/**
 * The push protocol's authentication (README "Getting files in"). A push names its server and
 * file in headers and signs them, with a Unix timestamp and the SHA-256 of the body, using the
 * server's secret:
 *
 *     HMAC-SHA256(secret, `${timestamp}\n${serverId}\n${fileName}\n${sha256Hex(body)}`)  (hex)
 *
 * The hub reads server ID's secret from `PODIUM_SECRET_<ID>` (upper-cased, anything but A-Z and
 * 0-9 turned into `_`) unless the server's config entry names another variable (`secretEnv`).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { ConfigFile } from "@/config.ts";

/** Header names of a push. */
export const PUSH_HEADERS = {
  server: "x-podium-server",
  file: "x-podium-file",
  timestamp: "x-podium-timestamp",
  signature: "x-podium-signature",
} as const;

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
  signature: z.string({ message: "missing" }).regex(/^[0-9a-f]{64}$/i, "64 hex characters")
    .transform((s) => s.toLowerCase()),
});
export type PushHeaders = z.infer<typeof PushHeaders>;

/** The environment variable holding a server's push secret. */
export function secretVariable(config: Pick<ConfigFile, "servers">, serverId: string): string {
  const configured = config.servers.find((s) => s.id === serverId)?.secretEnv;
  return configured ?? `PODIUM_SECRET_${serverId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** The text a push signs. */
export function signedText(
  timestamp: string,
  serverId: string,
  fileName: string,
  bodySha256: string,
): string {
  return `${timestamp}\n${serverId}\n${fileName}\n${bodySha256}`;
}

/** The hex HMAC-SHA256 of a push. */
export function signPush(
  secret: string,
  push: { timestamp: string; serverId: string; fileName: string; bodySha256: string },
): string {
  return createHmac("sha256", secret)
    .update(signedText(push.timestamp, push.serverId, push.fileName, push.bodySha256))
    .digest("hex");
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
