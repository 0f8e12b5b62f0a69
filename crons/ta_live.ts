/**
 * Keeps the time-attack live leaderboard live: any import into the store, from any process (a
 * push, an SSH poll, the import CLI, another Deploy isolate), reaches the board within seconds,
 * still at most one edit per 5 s (the throttle lives in `refreshLiveBoard`'s KV state, so
 * instances never edit twice).
 *
 * Two ears on the changes key (rewritten by every import): `Deno.Kv.watch`, which on Deno Deploy
 * hears every isolate's writes but on a local KV file only this process's (measured: another
 * process's commit never arrives), and a one-get poll of its versionstamp every `pollMs` for those.
 * Whatever hears a change calls `changed()`, the one entry point: live timing calls it too.
 */
import { refreshLiveBoard, type TaDeps } from "@/crons/ta_rotation.ts";
import { changesKey } from "@/kv/keys.ts";

/** How often the changes key's versionstamp is read (one get) besides the watch. */
export const LIVE_POLL_MS = 1_000;

/** A running watch. */
export interface LiveBoardWatch {
  /** The board may have changed: refresh it now, or when its throttle allows. */
  changed(): void;
  stop(): void;
}

/** Starts watching the changes key; `now` is the clock (tests move it), `pollMs` the poll's period. */
export function watchLiveBoard(
  deps: TaDeps,
  opts: { now?: () => Date; pollMs?: number; log?: (line: string) => void } = {},
): LiveBoardWatch {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? ((l: string) => console.error(l));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let stopped = false;
  let seen: string | null | undefined;
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
      log(`Time attack: cannot refresh the live leaderboard: ${(err as Error).message}`);
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule(0);
      }
    }
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, ms));
  };
  const heard = (stamp: string | null) => {
    if (seen === undefined) return void (seen = stamp); // the first reading is the baseline
    if (stamp === seen) return;
    seen = stamp;
    schedule(0);
  };
  const reader = deps.kv.watch([changesKey()]).getReader();
  (async () => {
    for (let r = await reader.read(); !r.done; r = await reader.read()) heard(r.value[0]!.versionstamp);
  })().catch(() => {});
  const poll = setInterval(() => {
    deps.kv.get(changesKey()).then((e) => heard(e.versionstamp), () => {});
  }, opts.pollMs ?? LIVE_POLL_MS);
  return {
    changed: () => schedule(0),
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(poll);
      reader.cancel().catch(() => {});
    },
  };
}
