/** The ET:Legacy JSON API, mounted at /api/etl; see docs/etl.md "ET:Legacy API" for the shapes. */
import { Hono } from "hono";
import { z } from "zod";
import type { RouteEnv } from "@/routes/route_env.ts";
import { badParam, HttpError } from "@/routes/errors.ts";
import { metricById, METRICS } from "@/games/etl/metrics.ts";
import { getSession } from "@/kv/etl/sessions.ts";
import { EtlWho } from "@/kv/etl/people.ts";
import { etlZones } from "@/config.ts";
import { getRoundAwards } from "@/kv/etl/endstats.ts";
import { kvReader } from "@/kv/reader.ts";
import {
  getPlayerView,
  getRoundView,
  getSessionView,
  leaderboard,
  listRounds,
  listSessionViews,
  type Period,
  PERIODS,
  roundView,
} from "@/kv/etl/views.ts";

const Limit = (max: number, dflt: number) =>
  z.coerce.number({ message: "expected a number" }).int("expected a whole number").min(1, "at least 1")
    .max(max, `at most ${max}`).default(dflt);

const RoundsQuery = z.object({
  limit: Limit(100, 20),
  cursor: z.string().max(500).optional(),
  session: z.string().regex(/^\d{4}-\d{2}-\d{2}-\d{6}$/, "a session id such as 2025-10-19-212643").optional(),
});

const LeaderboardQuery = z.object({
  metric: z.string({ message: `required, one of ${METRICS.map((m) => m.id).join(", ")}` })
    .refine((m) => metricById(m) !== undefined, { message: `one of ${METRICS.map((m) => m.id).join(", ")}` }),
  period: z.enum(Object.keys(PERIODS) as [Period, ...Period[]], { message: "one of all, 7d, 30d, 90d, 365d" })
    .default("all"),
  limit: Limit(100, 10),
});

function parseQuery<T extends z.ZodType>(schema: T, query: Record<string, string>): z.infer<T> {
  const res = schema.safeParse(query);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    throw badParam(String(issue.path[0] ?? "query"), issue.message);
  }
  return res.data;
}

function idParam(value: string, name: string): string {
  if (value.length > 200) throw badParam(name, "too long");
  return value;
}

/** `/api/etl/*` routes. */
export const etlApi = new Hono<RouteEnv>()
  .get("/rounds", async (c) => {
    const q = parseQuery(RoundsQuery, c.req.query());
    const { kv } = c.var.deps;
    const zoneOf = etlZones(c.var.deps.config);
    if (q.session === undefined) {
      try {
        return c.json(
          await listRounds(kv, { limit: q.limit, zoneOf, ...(q.cursor ? { cursor: q.cursor } : {}) }),
        );
      } catch (err) {
        if (q.cursor && err instanceof TypeError) throw badParam("cursor", "not a cursor from this API");
        throw err;
      }
    }
    const s = await getSession(kv, q.session);
    if (!s) throw new HttpError(404, `Unknown session "${q.session}"; see /api/etl/sessions`);
    const offset = q.cursor === undefined ? 0 : Number(q.cursor);
    if (!Number.isInteger(offset) || offset < 0) throw badParam("cursor", "not a cursor from this API");
    const newest = s.rounds.slice().reverse();
    const who = await EtlWho.load(kvReader(kv));
    const page = newest.slice(offset, offset + q.limit).map((r) => roundView(r, s.id, zoneOf, who));
    const next = offset + q.limit < newest.length ? String(offset + q.limit) : null;
    return c.json({ rounds: page, cursor: next });
  })
  .get("/rounds/:id", async (c) => {
    const id = idParam(c.req.param("id"), "id");
    const r = await getRoundView(c.var.deps.kv, id, etlZones(c.var.deps.config));
    if (!r) throw new HttpError(404, `Unknown round "${id}"; see /api/etl/rounds`);
    return c.json(r);
  })
  .get("/rounds/:id/awards", async (c) => {
    const id = idParam(c.req.param("id"), "id");
    const a = await getRoundAwards(kvReader(c.var.deps.kv), id);
    if (!a) throw new HttpError(404, `No endstats file stored for round "${id}"`);
    return c.json(a);
  })
  .get("/sessions", async (c) => {
    const { limit } = parseQuery(z.object({ limit: Limit(200, 20) }), c.req.query());
    const { kv, viewCache } = c.var.deps;
    return c.json({
      sessions: await viewCache.through(
        kv,
        `etl-sessions\u0000${limit}`,
        () => listSessionViews(kv, limit, etlZones(c.var.deps.config)),
      ),
    });
  })
  .get("/sessions/:id", async (c) => {
    const id = idParam(c.req.param("id"), "id");
    const { kv, viewCache } = c.var.deps;
    const s = await viewCache.through(
      kv,
      `etl-session\u0000${id}`,
      () => getSessionView(kv, id, etlZones(c.var.deps.config)),
    );
    if (!s) throw new HttpError(404, `Unknown session "${id}"; see /api/etl/sessions`);
    return c.json(s);
  })
  .get("/players/:guid", async (c) => {
    const guid = idParam(c.req.param("guid"), "guid").toUpperCase();
    const p = await getPlayerView(c.var.deps.kv, guid, etlZones(c.var.deps.config));
    if (!p) throw new HttpError(404, `Unknown player "${guid}"`);
    return c.json(p);
  })
  .get("/leaderboard", async (c) => {
    const q = parseQuery(LeaderboardQuery, c.req.query());
    const { kv, viewCache, now } = c.var.deps;
    const day = now().toISOString().slice(0, 10);
    const key = `etl-lb\u0000${q.metric}\u0000${q.period}\u0000${q.limit}\u0000${
      q.period === "all" ? "" : day
    }`;
    return c.json(
      await viewCache.through(
        kv,
        key,
        () =>
          leaderboard(kv, q.metric, {
            period: q.period,
            now: now(),
            limit: q.limit,
            zoneOf: etlZones(c.var.deps.config),
          }),
      ),
    );
  })
  .get(
    "/metrics",
    (c) =>
      c.json(
        METRICS.map((m) => ({ id: m.id, label: m.label, definition: m.definition, minRounds: m.minRounds })),
      ),
  );
