/**
 * Keeps the time-attack live leaderboard fresh between the minute crons: watches the changes key
 * (rewritten by every import) and runs `refreshLiveBoard` when it moves, again when a throttled
 * edit falls due. A local KV file's watch sees only this process's writes (measured: another
 * process's write never arrived); those imports are picked up by the minute cron. At most one refresh runs at a time here; the
 * KV state behind `refreshLiveBoard` keeps instances from editing twice.
 */
import { refreshLiveBoard, type TaDeps } from "@/crons/ta_rotation.ts";
import { changesKey } from "@/kv/keys.ts";

/** Starts watching; returns a function that stops it. */
export function watchLiveBoard(deps: TaDeps, now: () => Date = () => new Date()): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const r = await refreshLiveBoard(deps, now());
      if (r.status === "waiting") schedule(r.dueMs - now().getTime());
    } catch (err) {
      console.error("Time attack: cannot refresh the live leaderboard:", (err as Error).message);
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule(0);
      }
    }
  };
  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, ms));
  };
  const stream = deps.kv.watch([changesKey()]);
  const reader = stream.getReader();
  (async () => {
    while (!(await reader.read()).done) schedule(0);
  })().catch(() => {});
  return () => {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  };
}
