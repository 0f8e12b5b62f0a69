/** Which servers are running a session now (the home page's "Live now"). */
import type { LiveSession } from "@/games/ac/live.ts";
import { listLiveStates } from "@/kv/live/state.ts";

/** A session counts as running this long after the server's last event (an agent gone quiet). */
export const RUNNING_QUIET_MS = 6 * 60 * 60 * 1000;

/** A server with a running session. */
export interface Running {
  server: string;
  /** The server's name as its session reports it, else its id. */
  name: string;
  session: LiveSession;
}

/** The servers whose live state shows a session started and not ended, heard from recently. */
export async function runningSessions(kv: Deno.Kv, now: Date): Promise<Running[]> {
  const out: Running[] = [];
  for (const { server, state } of await listLiveStates(kv)) {
    const s = state.session;
    if (!s || s.endedAt || !state.updatedAt) continue;
    if (now.getTime() - Date.parse(state.updatedAt) > RUNNING_QUIET_MS) continue;
    out.push({ server, name: s.serverName || server, session: s });
  }
  return out;
}
