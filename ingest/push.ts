/**
 * Receiving one push (docs/security.md, "The push protocol"): the checks in order, each refusal a
 * status and a sentence. Everything up to the signature is decided from the headers alone; the body
 * is read only for an authenticated push, as a stream of at most its signed size, inside the
 * global budget for bodies in flight; nothing is stored before its hash holds, except the replay
 * guard itself.
 */
import type { IngestDeps } from "@/ingest/deps.ts";
import {
  isFresh,
  MAX_SKEW_MS,
  PUSH_HEADERS,
  PushHeaders,
  secretVariable,
  signatureMatches,
  signPush,
} from "@/ingest/push_auth.ts";
import { MAX_FILE_BYTES } from "@/ingest/pipeline.ts";
import { sha256Hex } from "@/lib/hash.ts";
import { rememberSignature } from "@/kv/transport/push.ts";
import { type BodyBudget, BodyTooLarge, formatBytes, readBody } from "@/lib/body.ts";

/** A push the hub refuses: the HTTP status and the sentence for the client. */
export class PushRefused extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 413 | 426 | 503,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

/** An authenticated push, holding its share of the body budget until `release()`. */
export interface Push {
  server: string;
  file: string;
  bytes: Uint8Array;
  sha256: string;
  release(): void;
}

const TOO_LARGE = `Body over the ${formatBytes(MAX_FILE_BYTES)} limit`;

/** The message for an agent that still speaks the first protocol (no signed size and hash). */
export const UPGRADE_MESSAGE = "This push uses an old protocol (no X-Podium-Size and X-Podium-Sha256 " +
  "in its signature): restart the agent so it fetches the current one from the hub's /agent.ts";

function parseHeaders(headers: Headers): PushHeaders {
  if (!headers.has(PUSH_HEADERS.size) && !headers.has(PUSH_HEADERS.sha256)) {
    throw new PushRefused(426, UPGRADE_MESSAGE);
  }
  const res = PushHeaders.safeParse(
    Object.fromEntries(Object.entries(PUSH_HEADERS).map(([k, name]) => [k, headers.get(name) ?? undefined])),
  );
  if (!res.success) {
    const i = res.error.issues[0]!;
    const header = PUSH_HEADERS[i.path[0] as keyof typeof PUSH_HEADERS] ?? "headers";
    throw new PushRefused(400, `Invalid ${header}: ${i.message}`);
  }
  return res.data;
}

/**
 * Checks a push request from its headers, then reads its body: protocol (426), headers (400),
 * server known (403), timestamp fresh (401), size (413), signature (401, constant time),
 * Content-Length agreeing (400), budget (503), body of exactly the signed size and hash (400),
 * replay (401). `env` reads the server's secret. The caller releases the push when done with it.
 */
export async function receivePush(
  deps: Pick<IngestDeps, "kv" | "config" | "now">,
  req: Request,
  opts: { budget: BodyBudget; env?: (name: string) => string | undefined },
): Promise<Push> {
  const h = parseHeaders(req.headers);
  const variable = secretVariable(deps.config, h.server);
  const secret = variable ? (opts.env ?? ((n) => Deno.env.get(n)))(variable) : undefined;
  if (!variable || !secret) {
    const why = variable ? `the hub has no ${variable}` : "its id is not configured";
    throw new PushRefused(403, `Unknown server "${h.server}": ${why}`);
  }
  if (!isFresh(h.timestamp, deps.now())) {
    throw new PushRefused(401, "Stale timestamp: more than 5 minutes from the hub's clock");
  }
  if (h.size > MAX_FILE_BYTES) throw new PushRefused(413, TOO_LARGE);
  const expected = signPush(secret, {
    timestamp: h.timestamp,
    serverId: h.server,
    fileName: h.file,
    size: h.size,
    sha256: h.sha256,
  });
  if (!signatureMatches(expected, h.signature)) {
    throw new PushRefused(401, `Wrong signature: check the secret in ${variable} and on the host`);
  }
  const length = req.headers.get("content-length");
  if (length !== null && Number(length) !== h.size) {
    throw new PushRefused(400, `Content-Length ${length} is not the signed size ${h.size}`);
  }
  const release = opts.budget.reserve(h.size);
  if (!release) throw new PushRefused(503, "The hub is receiving too much at once: try again shortly", 2);
  try {
    const bytes = await readBody(req, h.size).catch((err) => {
      throw err instanceof BodyTooLarge
        ? new PushRefused(400, `Body longer than its signed size ${h.size}`)
        : err;
    });
    if (bytes.length !== h.size) {
      throw new PushRefused(400, `Body of ${bytes.length} bytes, not its signed size ${h.size}: cut short`);
    }
    const sha256 = sha256Hex(bytes);
    if (sha256 !== h.sha256) throw new PushRefused(400, "Body does not match its signed SHA-256");
    if (!await rememberSignature(deps.kv, h.signature, MAX_SKEW_MS)) {
      throw new PushRefused(401, "Replayed request: this signature was already used");
    }
    return { server: h.server, file: h.file, bytes, sha256, release };
  } catch (err) {
    release();
    throw err;
  }
}
