/**
 * `POST /api/ingest`: a game host pushes one result file (README "Getting files in"), and
 * `GET /agent.ts`: the agent that does the pushing, served so a host runs it straight from here.
 */
import { Hono } from "hono";
import type { AppEnv } from "@/routes/env.ts";
import { HttpError } from "@/routes/errors.ts";
import { PushRefused, receivePush } from "@/ingest/push.ts";
import { importLive, StoreBusy } from "@/ingest/live.ts";

// The agent is served as it is in the repository (read once; works on Deno Deploy too).
const AGENT = Deno.readTextFileSync(new URL("../agent/agent.ts", import.meta.url));

/** The push route and the agent download. */
export const ingest = new Hono<AppEnv>()
  .post("/api/ingest", async (c) => {
    const deps = c.var.deps;
    const push = await receivePush(deps, c.req.raw).catch((err) => {
      throw err instanceof PushRefused ? new HttpError(err.status, err.message) : err;
    });
    const item = { name: push.file, bytes: push.bytes, serverId: push.server, origin: `push:${push.server}` };
    const r = await importLive(deps, item).catch((err) =>
      err instanceof StoreBusy ? null : Promise.reject(err)
    );
    if (!r) return c.json({ error: "The store is busy: try again later" }, 503, { "Retry-After": "2" });
    const base = { status: r.status, file: push.file, sha256: push.sha256 };
    if (r.status === "rejected") return c.json({ ...base, reason: r.reason }, 422);
    if (r.status === "skipped") return c.json({ ...base, reason: r.reason }, 200);
    if (r.status === "duplicate") return c.json({ ...base, sessionId: r.sessionId }, 200);
    const { sessionId, records = 0, personalBests = 0, announcements = 0 } = r;
    return c.json({ ...base, sessionId, records, personalBests, announcements }, 201);
  })
  .get("/agent.ts", (c) => c.body(AGENT, 200, { "Content-Type": "text/typescript; charset=utf-8" }));
