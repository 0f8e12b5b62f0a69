/**
 * The signed-body routes' one way to receive a push (`/api/ingest`, `/api/live`,
 * `/api/ac-content`): a refused push becomes its HTTP answer, with `Retry-After` when the body
 * budget is full, and `Connection: close` since its body is never read.
 */
import { type Push, PushRefused, receivePush } from "@/ingest/push.ts";
import type { IngestDeps } from "@/ingest/deps.ts";
import type { BodyBudget } from "@/lib/body.ts";
import { HttpError } from "@/routes/errors.ts";

/** The authenticated push, or an `HttpError` saying why it was refused. */
export async function receiveSigned(
  deps: Pick<IngestDeps, "kv" | "config" | "now">,
  req: Request,
  budget: BodyBudget,
): Promise<Push> {
  try {
    return await receivePush(deps, req, { budget });
  } catch (err) {
    if (!(err instanceof PushRefused)) throw err;
    const close = { Connection: "close" };
    if (err.status === 503) {
      throw new HttpError(503, err.message, { ...close, "Retry-After": String(err.retryAfterS ?? 1) });
    }
    throw new HttpError(err.status, err.message, close);
  }
}
