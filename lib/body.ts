/**
 * Request bodies read against a limit, and one budget for the bytes of every body in flight.
 * Nothing is buffered past the limit: the stream is cancelled at the first chunk that passes it.
 */

/** A body past its limit: the request ends with 413. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`Body over the ${formatBytes(limit)} limit`);
  }
}

/** "32 MiB", "256 KiB", "10 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / 1024 / 1024} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * Reads a body of at most `limit` bytes into one array. A `Content-Length` over the limit is
 * refused before the first byte is read; a body that passes the limit while streaming is cancelled
 * there. Throws `BodyTooLarge`.
 */
export async function readBody(
  req: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = req.headers.get("content-length");
  if (declared !== null && !(Number(declared) <= limit)) {
    await req.body?.cancel().catch(() => {});
    throw new BodyTooLarge(limit);
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw new BodyTooLarge(limit);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The bytes every request body in flight may hold together. A request reserves its (declared or
 * maximum) size before reading and releases it when it is done; when the budget is spent the
 * request is answered 503 with `Retry-After` instead of being read.
 */
export class BodyBudget {
  #used = 0;

  constructor(readonly total: number) {}

  /** Bytes reserved now. */
  get used(): number {
    return this.#used;
  }

  /** Reserves `bytes`; the release function, or null when they do not fit. */
  reserve(bytes: number): (() => void) | null {
    if (bytes > this.total || this.#used + bytes > this.total) return null;
    this.#used += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used -= bytes;
    };
  }
}
