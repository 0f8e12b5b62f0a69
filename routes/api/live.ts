/**
 * Live timing (docs/live.md): `POST /api/live`, where an agent sends a batch of the AC server's
 * plugin events (signed as a push is, ingest/push.ts `receivePush`), and `GET /api/live/:server`,
 * the live state of a server.
 */
import { type Context, Hono } from "hono";
import type { BodyBudget } from "@/lib/body.ts";
import type { RouteEnv } from "@/routes/route_env.ts";
import { HttpError } from "@/routes/errors.ts";
import type { Push } from "@/ingest/push.ts";
import { receiveSigned } from "@/routes/signed_body.ts";
import { LiveBatch } from "@/games/ac/live.ts";
import { applyLiveBatch, getLiveState } from "@/kv/live/state.ts";
import { kvReader } from "@/kv/reader.ts";
import { isStoreBusy, StoreBusyError } from "@/kv/retry.ts";
import { liveView } from "@/routes/api/live_view.ts";
import { loadAcNames } from "@/kv/ac_content/names.ts";

/** The live-timing routes (batch bodies counted against `budget`, as pushes are). */
export function liveRoutes(budget: BodyBudget): Hono<RouteEnv> {
  return new Hono<RouteEnv>()
    .post("/api/live", async (c) => {
      const push = await receiveSigned(c.var.deps, c.req.raw, budget);
      try {
        return await applyBatch(c, push);
      } finally {
        push.release();
      }
    })
    .get("/api/live/:server", async (c) => {
      const deps = c.var.deps;
      const server = c.req.param("server");
      if (!deps.config.servers.some((s) => s.id === server)) {
        throw new HttpError(404, `Unknown server "${server}"`);
      }
      const state = await getLiveState(kvReader(deps.kv), server);
      const names = await loadAcNames(deps.kv, deps.config);
      return c.json(liveView(server, state, names), 200, { "Cache-Control": "no-store" });
    });
}

async function applyBatch(c: Context<RouteEnv>, push: Push): Promise<Response> {
  const deps = c.var.deps;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(push.bytes));
  } catch {
    throw new HttpError(400, "The live batch is not JSON");
  }
  const parsed = LiveBatch.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new HttpError(400, `Invalid live batch at ${i.path.join(".") || "top"}: ${i.message}`);
  }
  try {
    const r = await applyLiveBatch(deps.kv, push.server, parsed.data, {
      now: deps.now(),
      announce: true,
      lapLimits: deps.config.laps,
    });
    if (r.bests.announcements > 0) deps.delivery?.kick();
    return c.json({ ack: r.ack, applied: r.applied, commands: r.commands });
  } catch (err) {
    if (err instanceof StoreBusyError || isStoreBusy(err)) {
      return c.json({ error: "The store is busy: try again later" }, 503, { "Retry-After": "2" });
    }
    throw err;
  }
}
