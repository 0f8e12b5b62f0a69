/**
 * `POST /api/ac-content`: an agent's AC content names (`--ac-content`, agent/ac_content.ts), signed
 * as a push is (ingest/push.ts `receivePush`), from an `ac` server in the config.
 */
import { type Context, Hono } from "hono";
import type { BodyBudget } from "@/lib/body.ts";
import type { RouteEnv } from "@/routes/route_env.ts";
import { HttpError } from "@/routes/errors.ts";
import type { Push } from "@/ingest/push.ts";
import { receiveSigned } from "@/routes/signed_body.ts";
import { ContentUpload, storeContentNames } from "@/kv/ac_content/names.ts";

/** The content-names route (its bodies counted against `budget`, as pushes are). */
export function acContentRoutes(budget: BodyBudget): Hono<RouteEnv> {
  return new Hono<RouteEnv>().post("/api/ac-content", async (c) => {
    const deps = c.var.deps;
    const push = await receiveSigned(deps, c.req.raw, budget);
    try {
      return await store(c, push);
    } finally {
      push.release();
    }
  });
}

async function store(c: Context<RouteEnv>, push: Push): Promise<Response> {
  const deps = c.var.deps;
  const game = deps.config.servers.find((s) => s.id === push.server)?.game;
  if (game !== "ac") throw new HttpError(422, `Server "${push.server}" is not an AC server in the config`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(push.bytes));
  } catch {
    throw new HttpError(400, "Cannot read the content names: not JSON");
  }
  const parsed = ContentUpload.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new HttpError(
      400,
      `Cannot read the content names: ${i.path.join(".") || "(root)"}: ${i.message}`,
    );
  }
  const r = await storeContentNames(deps.kv, push.server, parsed.data, {
    digest: push.sha256,
    now: deps.now(),
  });
  return c.json({ status: r.unchanged ? "unchanged" : "stored", written: r.written });
}
