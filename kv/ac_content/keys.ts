/** Keys of AC content names (tracks, cars) read from game servers' `ui_*.json` by the agent. */

/** One name: `kind` "track" (key `track` or `track@layout`) or "car", key lower case. */
export function contentNameKey(kind: "track" | "car", key: string): ["ac_content", "track" | "car", string] {
  return ["ac_content", kind, key];
}

/** Every name of one kind. */
export function contentNamePrefix(kind: "track" | "car"): ["ac_content", "track" | "car"] {
  return ["ac_content", kind];
}

/** The digest of the last upload applied from a server (so a repeated upload writes nothing). */
export function contentDigestKey(server: string): ["ac_content", "digest", string] {
  return ["ac_content", "digest", server];
}
