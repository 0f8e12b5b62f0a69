/** Errors that become HTTP answers, turned into JSON in one place. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error with the status and the sentence the client should see. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A 400 naming the parameter. */
export function badParam(name: string, problem: string): HttpError {
  return new HttpError(400, `Invalid "${name}": ${problem}`);
}

/** The app's onError: typed errors keep their status; anything else is a logged 500. */
export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof HttpError) return c.json({ error: err.message }, err.status, err.headers);
  console.error(`Unhandled error on ${c.req.method} ${c.req.path}:`, err);
  return c.json({ error: "Internal error; the server log has the details" }, 500);
}
