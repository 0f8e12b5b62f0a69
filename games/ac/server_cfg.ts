/**
 * Assetto Corsa server configuration files, edited as text: `server_cfg.ini` keeps every line
 * it has (comments, order, other sections, line endings) and gets only the event's keys set;
 * `entry_list.ini` is written whole, the slots shared round-robin over the event's cars (as the
 * AC time-attack bot's update_server.py did).
 */

/** What an event puts on the server. */
export interface ServerEvent {
  track: string;
  layout: string;
  cars: string[];
  /** Entry-list slots (MAX_CLIENTS). */
  slots: number;
  /** Server name shown in the lobby, when set. */
  name?: string;
}

/** The `[SERVER]` keys an event sets, in the order they are appended when missing. */
export function serverKeys(e: ServerEvent): Record<string, string> {
  const keys: Record<string, string> = {};
  if (e.name !== undefined) keys.NAME = e.name;
  keys.TRACK = e.track;
  keys.CONFIG_TRACK = e.layout;
  keys.CARS = e.cars.join(";");
  keys.NUM_CARS = String(e.cars.length);
  keys.MAX_CLIENTS = String(e.slots);
  keys.LOOP_MODE = "1";
  return keys;
}

/**
 * `server_cfg.ini` with `keys` set in its `[SERVER]` section: existing keys are rewritten in
 * place, missing ones appended at the section's end (a missing section is added).
 */
export function editServerCfg(text: string, keys: Record<string, string>): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.length ? text.split(/\r?\n/) : [];
  const todo = new Map(Object.entries(keys));
  let inServer = false;
  let serverEnd = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const section = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (section) {
      if (inServer) serverEnd = i;
      inServer = section[1]!.trim().toUpperCase() === "SERVER";
      continue;
    }
    if (!inServer) continue;
    const kv = /^(\s*)([A-Za-z0-9_]+)(\s*)=/.exec(line);
    const key = kv?.[2]?.toUpperCase();
    if (key && todo.has(key)) {
      lines[i] = `${kv![1]}${kv![2]}${kv![3]}=${todo.get(key)}`;
      todo.delete(key);
    }
  }
  if (todo.size === 0) return lines.join(eol);
  const added = [...todo].map(([k, v]) => `${k}=${v}`);
  if (inServer) serverEnd = lines.length;
  if (serverEnd === -1) {
    if (lines.length && lines.at(-1) === "") lines.pop();
    return [...lines, "[SERVER]", ...added, ""].join(eol);
  }
  // Before the blank lines that end the section.
  let at = serverEnd;
  while (at > 0 && lines[at - 1]!.trim() === "") at--;
  lines.splice(at, 0, ...added);
  return lines.join(eol);
}

/** A whole `entry_list.ini`: `slots` cars, the event's cars in turn. */
export function entryList(e: ServerEvent): string {
  const out: string[] = [];
  for (let i = 0; i < e.slots; i++) {
    out.push(
      `[CAR_${i}]`,
      `MODEL=${e.cars[i % e.cars.length]}`,
      "SKIN=",
      "SPECTATOR_MODE=0",
      "DRIVERNAME=",
      "TEAM=",
      "GUID=",
      "BALLAST=0",
      "RESTRICTOR=0",
      "",
    );
  }
  return out.join("\n");
}
