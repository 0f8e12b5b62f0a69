/**
 * Writes that survive a busy store. Several processes may write one local KV file at once (a CLI
 * backfill beside a serving hub that imports pushed files and delivers announcements); SQLite then
 * answers a commit with "database is locked" while another process holds the write lock. Such a
 * commit changed nothing, so it is retried here, after a short bounded backoff with jitter. Every
 * commit Podium makes goes through `commitWithRetry`.
 */

/** A write that could not get through to the store within its retry budget. */
export class StoreBusyError extends Error {
  override name = "StoreBusyError";
}

/** Counts since the process started, for the CLI's closing lines and the benchmark. */
export const contention = { busyRetries: 0, replans: 0 };

/** How long one write keeps trying, and how the waits grow. */
export interface RetryPolicy {
  budgetMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

const DEFAULT_POLICY: RetryPolicy = {
  budgetMs: 20_000,
  firstDelayMs: 2,
  maxDelayMs: 250,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** True for SQLite's "the file is locked by another writer" answers (SQLITE_BUSY, SQLITE_LOCKED). */
export function isStoreBusy(err: unknown): boolean {
  return err instanceof Error &&
    /database (table )?is locked|SQLITE_BUSY|database is busy/i.test(err.message);
}

/** The wait before retry number `attempt` (1-based): exponential, capped, with full jitter above half. */
export function backoffMs(
  attempt: number,
  policy: Pick<RetryPolicy, "firstDelayMs" | "maxDelayMs" | "random">,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + policy.random() * ceiling / 2;
}

/**
 * Runs `attempt` (which builds and commits one atomic operation, or any other single write) and
 * retries it while the store is busy. Other errors pass through untouched. After the budget it
 * throws StoreBusyError naming the store and what was being written.
 */
export async function commitWithRetry<T>(
  attempt: () => Promise<T>,
  what: string,
  policy: Partial<RetryPolicy> = {},
): Promise<T> {
  const p = { ...DEFAULT_POLICY, ...policy };
  const started = Date.now();
  for (let n = 1;; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isStoreBusy(err)) throw err;
      const wait = backoffMs(n, p);
      if (Date.now() - started + wait > p.budgetMs) {
        throw new StoreBusyError(
          `The store stayed busy for ${Math.round((Date.now() - started) / 1000)} s while writing ${what}: ` +
            `another process holds the KV file's write lock (${(err as Error).message})`,
        );
      }
      contention.busyRetries++;
      await p.sleep(wait);
    }
  }
}
