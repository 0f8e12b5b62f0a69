/**
 * Keys of live timing (docs/live.md), under the prefixes kv/keys.ts gives it: each server's live
 * state, the live laps not yet matched with a results file, and the admin commands waiting for
 * the server's agent.
 */

/** A server's live state (`LiveState`): session, cars, and where its event stream is. */
export function liveStateKey(server: string): ["live", string] {
  return ["live", server];
}

/** Prefix of every server's live state. */
export function liveStatesPrefix(): ["live"] {
  return ["live"];
}

/** A lap seen live, until the results file with it arrives, in the order it was driven. */
export function liveLapKey(
  server: string,
  atMs: number,
  stream: string,
  seq: number,
): ["live_lap", string, number, string, number] {
  return ["live_lap", server, atMs, stream, seq];
}

/** Prefix of a server's live laps. */
export function liveLapsPrefix(server: string): ["live_lap", string] {
  return ["live_lap", server];
}

/** A command for a server's agent (kick, chat), by id (time-ordered). */
export function liveCommandKey(server: string, id: string): ["live_cmd", string, string] {
  return ["live_cmd", server, id];
}

/** Prefix of a server's pending commands. */
export function liveCommandsPrefix(server: string): ["live_cmd", string] {
  return ["live_cmd", server];
}
