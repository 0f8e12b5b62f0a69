/**
 * What the iRacing client's parts share: the error every failure becomes, the masking iRacing
 * requires for secrets, and fetch and JSON reading that turn network trouble into that error.
 */

/** What went wrong, for callers that branch on it. */
export type IracingErrorKind =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "maintenance"
  | "unavailable"
  | "rate_limited"
  | "login_failed"
  | "login_limited"
  | "invalid_grant"
  | "bad_response"
  | "network";

/** A failed iRacing call, with a sentence that says what to do. */
export class IracingError extends Error {
  constructor(
    readonly kind: IracingErrorKind,
    message: string,
    readonly status?: number,
    /** When a rate limit lifts, if known. */
    readonly retryAt?: Date,
  ) {
    super(message);
    this.name = "IracingError";
  }
}

/** base64(sha256(secret + id.toLowerCase())): how iRacing wants the password and client secret sent. */
export async function maskSecret(secret: string, id: string): Promise<string> {
  const bytes = new TextEncoder().encode(secret + id.trim().toLowerCase());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return btoa(String.fromCharCode(...digest));
}

/** fetch with a timeout; a network failure or timeout becomes an IracingError naming `what`. */
export async function fetchIracing(
  url: URL | string,
  init: RequestInit,
  what: string,
  timeoutMs: number,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error;
    const why = e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : e.message;
    throw new IracingError("network", `Cannot reach iRacing (${what}): ${why}`);
  }
}

/** The JSON of an answer (a BOM tolerated); a broken body or bad JSON becomes an IracingError. */
export async function readIracingJson(res: Response, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new IracingError("network", `iRacing's answer to ${what} broke off: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    throw new IracingError("bad_response", `iRacing answered ${what} with ${res.status} and no valid JSON`);
  }
}
