/**
 * `GET /api/numbers/:guild`: a guild's car numbers, public (no Discord ids):
 * `{numbers: [{number, driver, verified, claimedAt}], league}`; `?format=csv` gives the same as CSV.
 * See docs/numbers.md.
 */
import { Hono } from "hono";
import type { RouteEnv } from "@/routes/route_env.ts";
import { badParam, HttpError } from "@/routes/errors.ts";
import { publicNumbers } from "@/kv/numbers/public.ts";
import { numbersCsv } from "@/lib/numbers_csv.ts";

/** `/api/numbers/*` routes. */
export const numbersApi = new Hono<RouteEnv>()
  .get("/:guild", async (c) => {
    const guild = c.req.param("guild");
    if (!/^\d{17,20}$/.test(guild)) throw badParam("guild", "expected a Discord server id (17-20 digits)");
    const format = c.req.query("format") ?? "json";
    if (format !== "json" && format !== "csv") throw badParam("format", "expected json or csv");
    const list = await publicNumbers(c.var.deps.kv, guild);
    if (!list) throw new HttpError(404, `No car numbers for server ${guild}`);
    if (format === "csv") {
      return c.body(numbersCsv(list.numbers), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="numbers-${guild}.csv"`,
      });
    }
    return c.json({ numbers: list.numbers, league: list.league });
  });
