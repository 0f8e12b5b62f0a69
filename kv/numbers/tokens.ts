/**
 * The bot's iRacing OAuth tokens, kept in KV so that every process and every restart reuses them:
 * a full password login is rate-limited by iRacing (about 12 an hour), and each refresh token
 * works once, so two processes must not both spend it. Writes are checked against the entry read.
 */
import { z } from "zod";
import { tokenKey } from "@/kv/numbers/keys.ts";
import { commitWithRetry } from "@/kv/retry.ts";
import type { TokenStore } from "@/lib/iracing.ts";

/** What is stored per iRacing account. Times are epoch milliseconds. */
export const StoredTokens = z.object({
  accessToken: z.string().min(1),
  accessExpiresAt: z.number(),
  refreshToken: z.string().min(1).nullable(),
  refreshExpiresAt: z.number().nullable(),
  /** Full logins in the last hour, oldest first: the client refuses to exceed its own budget. */
  logins: z.array(z.number()),
});
export type StoredTokens = z.infer<typeof StoredTokens>;

/** The stored tokens and the entry's versionstamp (null when none are stored). */
export interface TokenEntry {
  tokens: StoredTokens | null;
  versionstamp: string | null;
}

function accountOf(username: string): string {
  return username.trim().toLowerCase();
}

/** Reads the stored tokens of an account; a damaged value reads as none. */
export async function readTokens(kv: Deno.Kv, username: string): Promise<TokenEntry> {
  const e = await kv.get(tokenKey(accountOf(username)));
  const parsed = StoredTokens.safeParse(e.value);
  return { tokens: parsed.success ? parsed.data : null, versionstamp: e.versionstamp };
}

/**
 * Stores new tokens if the entry is still the one read (`expected`). Returns false when another
 * process wrote in between: its tokens are at least as new, and the caller re-reads.
 */
export async function writeTokens(
  kv: Deno.Kv,
  username: string,
  tokens: StoredTokens,
  expected: string | null,
): Promise<boolean> {
  const key = tokenKey(accountOf(username));
  const res = await commitWithRetry(
    () => kv.atomic().check({ key, versionstamp: expected }).set(key, tokens).commit(),
    "iRacing tokens",
  );
  return res.ok;
}

/** Forgets the tokens of an account (after iRacing rejected them). */
export async function clearTokens(kv: Deno.Kv, username: string): Promise<void> {
  const key = tokenKey(accountOf(username));
  await commitWithRetry(() => kv.atomic().delete(key).commit(), "iRacing tokens");
}

/** The iRacing client's token store (lib/iracing.ts `createIracingClient`), kept in `kv`. */
export function kvTokenStore(kv: Deno.Kv): TokenStore {
  return {
    read: (username) => readTokens(kv, username),
    write: (username, tokens, expected) => writeTokens(kv, username, tokens, expected),
  };
}
