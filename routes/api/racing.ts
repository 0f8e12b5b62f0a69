/** The read-only JSON API. Handlers validate, call kv/, and shape the answer; see docs/api.md. */
import { Hono } from "hono";
import { z } from "zod";
import type { RouteEnv } from "@/routes/route_env.ts";
import { badParam, HttpError } from "@/routes/errors.ts";
import { getTrack, listTracks } from "@/kv/racing/tracks.ts";
import { loadAcNames, withAcNames } from "@/kv/ac_content/names.ts";
import { recordsOf } from "@/kv/racing/records.ts";
import { driverPbs } from "@/kv/racing/records.ts";
import { boardIdOf } from "@/kv/people/people.ts";
import { getSession } from "@/kv/racing/sessions.ts";
import { kvReader } from "@/kv/reader.ts";
import { ALL_CLASSES } from "@/kv/racing/keys.ts";
import { baseAccTrack } from "@/games/acc/tracks.ts";
import { deliveryStatus } from "@/discord/delivery_status.ts";

const RecordsQuery = z.object({
  game: z.enum(["acc", "ac"], { message: "expected acc or ac" }),
  track: z.string({ message: "required, a track id from /api/tracks" }).min(1, "required").max(200),
  kind: z.enum(["Q", "R"], { message: "expected Q or R (practice never sets records)" }),
  class: z.string().min(1).max(60).optional(),
  limit: z.coerce.number({ message: "expected a number" }).int("expected a whole number").min(1, "at least 1")
    .max(100, "at most 100").default(10),
});

function parseQuery<T extends z.ZodType>(schema: T, query: Record<string, string>): z.infer<T> {
  const res = schema.safeParse(query);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    throw badParam(String(issue.path[0] ?? "query"), issue.message);
  }
  return res.data;
}

/** `/api/*` routes. */
export const api = new Hono<RouteEnv>()
  .get("/health", async (c) => {
    const { kv, now, delivery } = c.var.deps;
    await kv.get(["health"]);
    // Announcements: pending count, dead letters with their reasons, the last one delivered.
    const announcements = { enabled: delivery !== null, ...await deliveryStatus(kv, { deadLetters: 5 }) };
    return c.json({ status: "ok", time: now().toISOString(), announcements });
  })
  .get("/tracks", async (c) => {
    const { kv, config } = c.var.deps;
    const tracks = withAcNames(await listTracks(kv), await loadAcNames(kv, config));
    return c.json(tracks.map((t) => ({
      game: t.game,
      track: t.track,
      name: t.name,
      sessions: t.sessions,
      lastSessionAt: t.lastSessionAt,
    })));
  })
  .get("/records", async (c) => {
    const q = parseQuery(RecordsQuery, c.req.query());
    // ACC ids with a content year (monza_2020) name the base track, as at import.
    if (q.game === "acc") q.track = baseAccTrack(q.track);
    const { kv, viewCache, config } = c.var.deps;
    const cls = q.class ?? ALL_CLASSES;
    const board = { game: q.game, track: q.track, kind: q.kind, cls };
    const answer = await viewCache.through(
      kv,
      `records\u0000${JSON.stringify(board)}\u0000${q.limit}`,
      async () => {
        const [track, { entries, of }] = await Promise.all([
          getTrack(kv, q.game, q.track),
          recordsOf(kvReader(kv), board, q.limit),
        ]);
        return track
          ? {
            game: q.game,
            track: q.track,
            name: withAcNames([track], await loadAcNames(kv, config))[0]!.name,
            kind: q.kind,
            class: cls,
            of,
            entries,
          }
          : null;
      },
    );
    if (!answer) throw new HttpError(404, `Unknown track "${q.track}" for ${q.game}; see /api/tracks`);
    return c.json(answer);
  })
  .get("/drivers/:id", async (c) => {
    const id = c.req.param("id");
    if (id.length > 200) throw badParam("id", "too long");
    const { kv, rankCache } = c.var.deps;
    const [found, boardId] = await Promise.all([
      driverPbs(kvReader(kv), id, { kv, rankCache }),
      boardIdOf(kv, id),
    ]);
    // A driver merged into a person (kv/people/): the person's numbers.
    if (boardId !== id) return c.redirect(`/api/drivers/${encodeURIComponent(boardId)}`, 302);
    if (!found) throw new HttpError(404, `Unknown driver "${id}"`);
    return c.json(found);
  })
  .get("/sessions/:id", async (c) => {
    const id = c.req.param("id");
    if (id.length > 200) throw badParam("id", "longer than 200 characters");
    const withLaps = c.req.query("laps");
    if (withLaps !== undefined && withLaps !== "1" && withLaps !== "0") {
      throw badParam("laps", "expected 1 or 0");
    }
    const session = await getSession(kvReader(c.var.deps.kv), id, { withLaps: withLaps === "1" });
    if (!session) throw new HttpError(404, `Unknown session "${id}"`);
    return c.json(session);
  });
