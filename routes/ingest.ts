/**
 * `POST /api/ingest`: a game host pushes one result file (docs/game_servers.md), and
 * `GET /agent/<name>.ts`: the agent that does the pushing, served as a folder so a host runs it
 * straight from here and its relative imports resolve (`GET /agent.ts` redirects to its entry point).
 */
import { type Context, Hono } from "hono";
import type { RouteEnv } from "@/routes/route_env.ts";
import { HttpError } from "@/routes/errors.ts";
import type { Push } from "@/ingest/push.ts";
import { receiveSigned } from "@/routes/signed_body.ts";
import { MAX_FILE_BYTES } from "@/ingest/pipeline.ts";
import type { BodyBudget } from "@/lib/body.ts";
import { importLive, StoreBusy } from "@/ingest/live.ts";
import type { IngestDeps } from "@/ingest/deps.ts";

// The agent's modules are served as they are in the repository: the `.ts` files directly in agent/,
// read once (works on Deno Deploy too). Only names from this map are ever served: no paths.
const AGENT_DIR = new URL("../agent/", import.meta.url);
const AGENT_FILES = new Map(
  [...Deno.readDirSync(AGENT_DIR)]
    .filter((e) => e.isFile && /^[a-z0-9_]+\.ts$/.test(e.name))
    .map((e) => [e.name, Deno.readTextFileSync(new URL(e.name, AGENT_DIR))] as const),
);
const TS = { "Content-Type": "text/typescript; charset=utf-8" };

/** Bytes all bodies in flight may hold together: a few of the largest push. */
export const BODY_BUDGET_BYTES = 4 * MAX_FILE_BYTES;

/** The push route (its bodies counted against `budget`) and the agent download. */
export function ingestRoutes(budget: BodyBudget): Hono<RouteEnv> {
  return new Hono<RouteEnv>()
    .post("/api/ingest", async (c) => {
      const deps = c.var.deps;
      const push = await receiveSigned(deps, c.req.raw, budget);
      try {
        return await answer(c, deps, push);
      } finally {
        push.release();
      }
    })
    // Today's command lines name /agent.ts: Deno follows the redirect and resolves the agent's
    // relative imports against /agent/agent.ts.
    .get("/agent.ts", (c) => c.redirect("/agent/agent.ts", 302))
    .get("/agent/:name", (c) => {
      const text = AGENT_FILES.get(c.req.param("name"));
      if (text === undefined) throw new HttpError(404, "No such agent module");
      return c.body(text, 200, TS);
    });
}

async function answer(c: Context<RouteEnv>, deps: IngestDeps, push: Push): Promise<Response> {
  const item = { name: push.file, bytes: push.bytes, serverId: push.server, origin: `push:${push.server}` };
  const r = await importLive(deps, item).catch((err) =>
    err instanceof StoreBusy ? null : Promise.reject(err)
  );
  if (!r) return c.json({ error: "The store is busy: try again later" }, 503, { "Retry-After": "2" });
  const base = { status: r.status, file: push.file, sha256: push.sha256 };
  if (r.status === "rejected") return c.json({ ...base, reason: r.reason }, 422);
  if (r.status === "skipped") return c.json({ ...base, reason: r.reason }, 200);
  if (r.status === "duplicate") return c.json({ ...base, sessionId: r.sessionId }, 200);
  const { sessionId, records = 0, personalBests = 0, announcements = 0, replaced } = r;
  return c.json({
    ...base,
    sessionId,
    records,
    personalBests,
    announcements,
    // A longer file that completed the one stored under its name (docs/security.md).
    ...(replaced ? { replaced } : {}),
  }, 201);
}
