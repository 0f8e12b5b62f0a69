/**
 * Receiving one push (README "Getting files in"): the checks in order, each refusal a status and a
 * sentence. Nothing is read past the headers until the server is known, the timestamp fresh and
 * the declared length allowed; nothing is stored before the signature holds, except the replay
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

/** A push the hub refuses: the HTTP status and the sentence for the client. */
export class PushRefused extends Error {
  constructor(readonly status: 400 | 401 | 403 | 413, message: string) {
    super(message);
  }
}

/** An authenticated push. */
export interface Push {
  server: string;
  file: string;
  bytes: Uint8Array;
  sha256: string;
}

const TOO_LARGE = `Body over the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit`;

/** Reads a body, stopping as soon as it passes the limit. */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new PushRefused(413, TOO_LARGE);
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function parseHeaders(headers: Headers): PushHeaders {
  const res = PushHeaders.safeParse({
    server: headers.get(PUSH_HEADERS.server) ?? undefined,
    file: headers.get(PUSH_HEADERS.file) ?? undefined,
    timestamp: headers.get(PUSH_HEADERS.timestamp) ?? undefined,
    signature: headers.get(PUSH_HEADERS.signature) ?? undefined,
  });
  if (!res.success) {
    const i = res.error.issues[0]!;
    const header = PUSH_HEADERS[i.path[0] as keyof typeof PUSH_HEADERS] ?? "headers";
    throw new PushRefused(400, `Invalid ${header}: ${i.message}`);
  }
  return res.data;
}

/**
 * Checks a push request and reads its body: headers (400), server known (403), timestamp fresh
 * (401), size (413, from Content-Length before reading, else while reading), signature (401,
 * constant time), replay (401). `env` reads the server's secret.
 */
export async function receivePush(
  deps: Pick<IngestDeps, "kv" | "config" | "now">,
  req: Request,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): Promise<Push> {
  const h = parseHeaders(req.headers);
  const variable = secretVariable(deps.config, h.server);
  const secret = env(variable);
  if (!secret) throw new PushRefused(403, `Unknown server "${h.server}": the hub has no ${variable}`);
  if (!isFresh(h.timestamp, deps.now())) {
    throw new PushRefused(401, "Stale timestamp: more than 5 minutes from the hub's clock");
  }
  const length = req.headers.get("content-length");
  if (length !== null && !(Number(length) <= MAX_FILE_BYTES)) throw new PushRefused(413, TOO_LARGE);
  const bytes = await readLimited(req.body, MAX_FILE_BYTES);
  const sha256 = sha256Hex(bytes);
  const expected = signPush(secret, {
    timestamp: h.timestamp,
    serverId: h.server,
    fileName: h.file,
    bodySha256: sha256,
  });
  if (!signatureMatches(expected, h.signature)) {
    throw new PushRefused(401, `Wrong signature: check the secret in ${variable} and on the host`);
  }
  if (!await rememberSignature(deps.kv, h.signature, MAX_SKEW_MS)) {
    throw new PushRefused(401, "Replayed request: this signature was already used");
  }
  return { server: h.server, file: h.file, bytes, sha256 };
}
