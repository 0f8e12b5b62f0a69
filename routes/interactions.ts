/**
 * `POST /interactions`: Discord's calls. The raw body's signature is checked before anything
 * parses it (401 otherwise: Discord probes with bad signatures on purpose), then zod parses it
 * and the dispatcher answers. Mounted only when Discord credentials are configured.
 */
import { Hono } from "hono";
import type { RouteEnv } from "@/routes/route_env.ts";
import type { CommandSet } from "@/discord/command.ts";
import { Dispatcher, toResponse } from "@/discord/dispatch.ts";
import { parseInteraction } from "@/discord/interaction.ts";
import { createVerifier } from "@/discord/verify.ts";
import { BodyBudget, BodyTooLarge, readBody } from "@/lib/body.ts";

/** Interactions are small; anything larger is not from Discord. */
const MAX_BODY_BYTES = 256 * 1024;

/** The interactions sub-app for one application's public key and command sets. */
export function interactionRoutes(
  opts: { publicKey: string; sets: CommandSet[]; deferAfterMs?: number; budget?: BodyBudget },
): Hono<RouteEnv> {
  const budget = opts.budget ?? new BodyBudget(16 * MAX_BODY_BYTES);
  const verify = createVerifier(opts.publicKey);
  const dispatcher = new Dispatcher(opts.sets, opts.deferAfterMs ? { deferAfterMs: opts.deferAfterMs } : {});
  return new Hono<RouteEnv>().post("/", async (c) => {
    // Unsigned until read: streamed against the limit, inside the budget for bodies in flight.
    const release = budget.reserve(MAX_BODY_BYTES);
    if (!release) {
      const headers = { "Retry-After": "1", Connection: "close" };
      return c.json({ error: "Too many requests at once: try again shortly" }, 503, headers);
    }
    let body: Uint8Array;
    try {
      body = await readBody(c.req.raw, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge) return c.json({ error: err.message }, 413, { Connection: "close" });
      throw err;
    } finally {
      release();
    }
    const failure = await verify({
      signature: c.req.header("X-Signature-Ed25519") ?? null,
      timestamp: c.req.header("X-Signature-Timestamp") ?? null,
      body,
    }, c.var.deps.now());
    if (failure) return c.json({ error: `Invalid request signature: ${failure}` }, 401);
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch {
      return c.json({ error: "Malformed interaction: the body is not JSON" }, 400);
    }
    const parsed = parseInteraction(raw);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    return toResponse(await dispatcher.handle(c.var.deps, parsed.value));
  });
}
