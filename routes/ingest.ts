/**
 * `POST /api/ingest`: a game host pushes one result file (README "Getting files in"), and
 * `GET /agent.ts`: the agent that does the pushing, served so a host runs it straight from here.
 */
import { Hono } from "hono";
import type { AppEnv } from "@/routes/env.ts";
import { HttpError } from "@/routes/errors.ts";
import {
  isFresh,
  PUSH_HEADERS,
  PushHeaders,
  secretVariable,
  signatureMatches,
  signPush,
} from "@/ingest/push_auth.ts";
import { MAX_FILE_BYTES } from "@/ingest/pipeline.ts";
import { sha256Hex } from "@/ingest/hash.ts";
import { importLive, StoreBusy } from "@/ingest/live.ts";
import { rememberSignature } from "@/kv/transport/push.ts";

// The agent is served as it is in the repository (read once; works on Deno Deploy too).
const AGENT = Deno.readTextFileSync(new URL("../agent/agent.ts", import.meta.url));
const TOO_LARGE = `Body over the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit`;

/** Reads a body, stopping (413) as soon as it passes the limit. */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, TOO_LARGE);
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

function pushHeaders(get: (name: string) => string | undefined): PushHeaders {
  const res = PushHeaders.safeParse({
    server: get(PUSH_HEADERS.server),
    file: get(PUSH_HEADERS.file),
    timestamp: get(PUSH_HEADERS.timestamp),
    signature: get(PUSH_HEADERS.signature),
  });
  if (!res.success) {
    const i = res.error.issues[0]!;
    const header = PUSH_HEADERS[i.path[0] as keyof typeof PUSH_HEADERS] ?? "headers";
    throw new HttpError(400, `Invalid ${header}: ${i.message}`);
  }
  return res.data;
}

/** The push route and the agent download. */
export const ingest = new Hono<AppEnv>()
  .post("/api/ingest", async (c) => {
    const deps = c.var.deps;
    const h = pushHeaders((n) => c.req.header(n));
    const variable = secretVariable(deps.config, h.server);
    const secret = Deno.env.get(variable);
    if (!secret) throw new HttpError(403, `Unknown server "${h.server}": the hub has no ${variable}`);
    if (!isFresh(h.timestamp, deps.now())) {
      throw new HttpError(401, "Stale timestamp: more than 5 minutes from the hub's clock");
    }
    const length = c.req.header("content-length");
    if (length !== undefined && !(Number(length) <= MAX_FILE_BYTES)) throw new HttpError(413, TOO_LARGE);
    const bytes = await readLimited(c.req.raw.body, MAX_FILE_BYTES);
    const bodySha256 = sha256Hex(bytes);
    const expected = signPush(secret, {
      timestamp: h.timestamp,
      serverId: h.server,
      fileName: h.file,
      bodySha256,
    });
    if (!signatureMatches(expected, h.signature)) {
      throw new HttpError(401, `Wrong signature: check the secret in ${variable} and on the host`);
    }
    if (!await rememberSignature(deps.kv, h.signature)) {
      throw new HttpError(401, "Replayed request: this signature was already used");
    }
    let r;
    try {
      r = await importLive(deps, { name: h.file, bytes, serverId: h.server, origin: `push:${h.server}` });
    } catch (err) {
      if (err instanceof StoreBusy) {
        return c.json({ error: "The store is busy: try again later" }, 503, { "Retry-After": "2" });
      }
      throw err;
    }
    const base = { status: r.status, file: h.file, sha256: bodySha256 };
    if (r.status === "rejected") return c.json({ ...base, reason: r.reason }, 422);
    if (r.status === "skipped") return c.json({ ...base, reason: r.reason }, 200);
    if (r.status === "duplicate") return c.json({ ...base, sessionId: r.sessionId }, 200);
    return c.json({
      ...base,
      sessionId: r.sessionId,
      records: r.records ?? 0,
      personalBests: r.personalBests ?? 0,
      announcements: r.announcements ?? 0,
    }, 201);
  })
  .get("/agent.ts", (c) => c.body(AGENT, 200, { "Content-Type": "text/typescript; charset=utf-8" }));
